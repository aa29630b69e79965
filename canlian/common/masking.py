"""Masking of personal numbers on screen and in exports."""


def mask_id_number(id_number: str) -> str:
    """Show the area code and the last four characters only: 152501********123X."""
    if len(id_number) < 10:
        return "*" * len(id_number)
    return id_number[:6] + "*" * (len(id_number) - 10) + id_number[-4:]


def mask_certificate_number(number: str) -> str:
    """Mask the ID part of a certificate number, keep category, grade and reissue suffix."""
    return mask_id_number(number[:18]) + number[18:]

