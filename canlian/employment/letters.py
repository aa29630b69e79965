"""The decision letter (残疾人就业保障金审核决定书) as PDF, from HTML with WeasyPrint and a CJK font."""

from django.conf import settings
from django.template.loader import render_to_string

from canlian.common.numbers import number
from canlian.employment import services
from canlian.employment.models import Declaration
from canlian.parameters.selectors import parameter_value


def decision_letter_pdf(declaration: Declaration) -> bytes:
    """The letter for a decided declaration, worked with the parameters its review kept."""
    from weasyprint import HTML  # imported here: loading Pango costs a second that other pages need not pay

    html = render_to_string("employment/decision_letter.html", {
        "declaration": declaration, "employer": declaration.employer, "steps": services.declaration_levy(declaration).steps,
        "accepted": declaration.employees.filter(rejection="").order_by("pk"),
        "rejected": declaration.employees.exclude(rejection="").order_by("pk"),
        "declared": declaration.employees.count(),
        "federation_name": settings.CANLIAN_FEDERATION_NAME,
        "per_mille": number(parameter_value("levy.late_surcharge_per_mille", on=declaration.due_on or declaration.decided_on))})
    return HTML(string=html).write_pdf()
