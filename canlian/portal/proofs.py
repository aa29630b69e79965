"""The certificate-validity proof (残疾人证有效证明) a resident downloads: a PDF with the card's state on the day and
the signed reference (registry/proofs.py) that the public check page and the departments' API confirm."""

from datetime import date

from django.conf import settings
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils.http import urlencode

from canlian.registry.choices import CertificateStatus
from canlian.registry.models import Certificate
from canlian.registry.proofs import proof_token


def validity_proof_pdf(card: Certificate, *, on: date, base_url: str) -> bytes:
    from weasyprint import HTML  # imported here: loading Pango costs a second that other pages need not pay

    token = proof_token(card.number, on=on)
    html = render_to_string("portal/validity_proof.html", {
        "card": card, "person": card.person, "on": on,
        "valid": card.is_valid_on(on), "status_label": CertificateStatus(card.status_on(on)).label, "token": token,
        "check_url": f"{base_url}{reverse('portal:verify')}?"
                     f"{urlencode({'number': card.number, 'name': card.person.name, 'proof': token})}",
        "federation_name": settings.CANLIAN_FEDERATION_NAME})
    return HTML(string=html).write_pdf()
