"""Builders for needs-and-services tests: providers, devices, screenings and survey answers shaped like POST data."""

import uuid
from datetime import date
from decimal import Decimal

from canlian.exchange.models import ChildScreening, ImportBatch
from canlian.services import services
from canlian.services.choices import InstitutionKind
from canlian.services.models import DeviceProduct, Institution, SurveyVisit
from canlian.services.selectors import sections_for

# An adult's survey with no unmet need, section by section, as the officer answers it.
NOTHING_NEEDED = {
    "assistance": {"living_allowance": "no", "nursing_allowance": "no", "hardship": "no"},
    "insurance": {"pension": "yes", "medical": "yes"},
    "rehabilitation": {"need": "no", "receives": "no", "family_doctor": "yes"},
    "devices": {"need": "no", "receives": "no"},
    "education": {"placement": "mainstream", "need": "no"},
    "employment": {"employed": "yes", "form": "flexible", "reason": ""},
    "care": {"need": "no", "receives": "no"},
    "accessibility": {"need": "no", "receives": "no"},
    "culture": {"participates": "yes", "need": "no"},
}


def post_data(section: str, answers: dict) -> dict:
    """A section's answers as the tablet posts them: `<section>-<question>`."""
    return {f"{section}-{key}": value for key, value in answers.items()}


def save_section(visit: SurveyVisit, by, section: str, **changes) -> SurveyVisit:
    """Save one section: "nothing needed" with the answers given changed."""
    answers = {**NOTHING_NEEDED[section], **changes}
    return services.survey_section_save(visit=visit, by=by, section=section, data=post_data(section, answers))


def answered_visit(person, by, *, on: date, skip: tuple[str, ...] = (), **sections) -> SurveyVisit:
    """A visit with every section that applies answered: "nothing needed" unless a section's answers are given."""
    visit = services.survey_visit_start(person=person, by=by, visited_on=on)
    for spec in sections_for(person, on=on):
        if spec.key not in skip:
            save_section(visit, by, spec.key, **sections.get(spec.key, {}))
    visit.refresh_from_db()
    return visit


def make_institution(area, *, name: str = "市康复中心", kind: str = InstitutionKind.REHABILITATION,
                     qualified_from: date = date(2020, 1, 1), qualified_until: date | None = None,
                     designated_for_children: bool = False) -> Institution:
    return Institution.objects.create(name=name, kind=kind, area=area, qualified_from=qualified_from,
                                      qualified_until=qualified_until,
                                      designated_for_children=designated_for_children)


def make_product(*, name: str = "手动轮椅", category: str = "轮椅", limit: Decimal = Decimal(800)) -> DeviceProduct:
    product = DeviceProduct.objects.create(name=name, category=category, subsidy_limit=limit)
    product.refresh_from_db()  # the limit as the database keeps it (800.00), as a view would read it
    return product


def make_screening(person, *, by, area, screened_on: date = date(2025, 3, 1), finding: str = "听力") -> ChildScreening:
    """A health department's screening report (残疾儿童筛查) matched to a person, as an import leaves it."""
    batch = ImportBatch.objects.create(source="child_screening", area=area, list_date=screened_on,
                                       file_name="筛查名单.xlsx", file_sha256=uuid.uuid4().hex * 2, created_by=by,
                                       state=ImportBatch.State.COMMITTED)
    return ChildScreening.objects.create(id_number=person.id_number, name=person.name, birth_date=person.birth_date,
                                         screened_on=screened_on, finding=finding, institution="市妇幼保健院",
                                         area=area, person=person, batch=batch)
