"""The reference printed on a certificate-validity proof (残疾人证有效证明): the card number and the day, signed with
the platform's key, so the public check page and the departments' verification API can confirm a proof is genuine."""

from datetime import date

from django.core import signing

SALT = "canlian.registry.validity-proof"


def proof_token(number: str, *, on: date) -> str:
    return signing.dumps({"n": number, "d": on.isoformat()}, salt=SALT, compress=True)


def proof_read(token: str, *, number: str) -> date | None:
    """The day a genuine proof for this number was issued, or None (forged, altered, or another card's)."""
    try:
        data = signing.loads(token, salt=SALT)
    except signing.BadSignature:
        return None
    if not isinstance(data, dict) or data.get("n") != number:
        return None
    try:
        return date.fromisoformat(str(data.get("d", "")))
    except ValueError:
        return None
