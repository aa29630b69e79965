"""What each indicator counts (计算口径), as queries over the records: the rows it is about and, for a rate, which
of them count. Every measure groups by the area where the person lives, so one query gives every area's figure.

A measure is registered here by key; an Indicator (data, editable) names its measure. Parts of the plan the
platform does not yet hold (household income growth …) have no measure: the dashboard says "no data" for them
rather than a number.
"""

from collections.abc import Callable
from dataclasses import dataclass
from datetime import date

from django.db.models import Exists, OuterRef, Q, QuerySet
from django.utils.translation import gettext_lazy as _

from canlian.employment.selectors import PLAN_END, PLAN_START


@dataclass(frozen=True)
class Measure:
    key: str
    label: str
    rows: Callable[[date, int], QuerySet]  # (as-of day, year) → the rows the figure is about
    counted: Callable[[date, int], Q] | None = None  # a rate: which rows count; None: the figure is a count
    area_field: str = "residence_area"  # from a row to the area id it is counted in
    persons: bool = True  # the rows are persons (the drill-down lists them)
    link: str = ""  # rows that are not persons: the page that lists them, by area (a URL name taking ?area=)

    @property
    def is_rate(self) -> bool:
        return self.counted is not None


def _persons(on: date):
    from canlian.registry.models import Person, registered_on

    return Person.objects.filter(registered_on(on))


def _carded(on: date, **card) -> Exists:
    from canlian.registry.models import Certificate, valid_certificate_on

    return Exists(Certificate.objects.filter(valid_certificate_on(on), person=OuterRef("pk"), **card))


def _working_age(on: date) -> QuerySet:
    from canlian.employment.selectors import working_age_persons

    return working_age_persons(user=None, on=on, scoped=False)


def _employed(on: date, year: int) -> Q:
    from canlian.employment.selectors import spell_on

    return Q(spell_on(on, employed=True))


def _eligible(scheme: str):
    def rows(on: date, year: int) -> QuerySet:
        from canlian.benefits.eligibility import eligible_persons
        from canlian.benefits.selectors import benefit_options

        return eligible_persons(scheme, on=on, options=benefit_options(on=on))
    return rows


def _entitled(scheme: str):
    def counted(on: date, year: int) -> Q:
        from canlian.benefits.models import Entitlement
        from canlian.benefits.payroll import covering

        return Q(Exists(Entitlement.objects.filter(covering(on.replace(day=1)), person=OuterRef("pk"), scheme=scheme)))
    return counted


def _department_record(kind: str):
    def counted(on: date, year: int) -> Q:
        from canlian.exchange.models import DepartmentRecord

        return Q(Exists(DepartmentRecord.objects.filter(person=OuterRef("pk"), kind=kind, started_on__lte=on).filter(
            Q(ended_on__isnull=True) | Q(ended_on__gte=on))))
    return counted


def _period(on: date, year: int) -> tuple[date, date]:
    return date(year, 1, 1), min(date(year, 12, 31), on)


def _needing(*kinds: str):
    def rows(on: date, year: int) -> QuerySet:
        from canlian.services.selectors import needing_during

        start, end = _period(on, year)
        return _persons(end).filter(needing_during(kinds, start, end))
    return rows


def _served(*kinds: str):
    def counted(on: date, year: int) -> Q:
        from canlian.services.selectors import served_during

        return Q(served_during(kinds, *_period(on, year)))
    return counted


def _school_age_in_scope(on: date, year: int) -> QuerySet:
    """Compulsory-education age (6–15) with a vision, hearing or intellectual disability (the plan's 97% target)."""
    from canlian.registry.choices import Category
    from canlian.registry.rules import add_years

    return _persons(on).filter(birth_date__lte=add_years(on, -6), birth_date__gt=add_years(on, -16)).filter(
        _carded(on, category__in=[Category.VISION, Category.HEARING, Category.INTELLECTUAL]))


def _in_school(on: date, year: int) -> Q:
    from canlian.services.models import ServiceRecord

    return Q(Exists(ServiceRecord.objects.filter(
        person=OuterRef("pk"), kind="education", subtype__in=["mainstream", "special_school", "welfare_class",
                                                             "home_teaching"], started_on__lte=on).filter(
        Q(ended_on__isnull=True) | Q(ended_on__gte=on))))


def _training(on: date, year: int) -> QuerySet:
    from canlian.employment.models import TrainingEnrolment

    return TrainingEnrolment.objects.filter(course__starts_on__year=year, course__starts_on__lte=on)


def _modifications(on: date, year: int) -> QuerySet:
    from canlian.services.models import ServiceRecord

    return ServiceRecord.objects.filter(kind="home_modification", outcome__in=["completed", "improved"],
                                        ended_on__year=year, ended_on__lte=on)


def _entered(self_employed: bool):
    """Persons who entered work (or started a business) in the plan period up to the day: the "50 + 50" goal."""
    def rows(on: date, year: int) -> QuerySet:
        from django.db.models import Subquery

        from canlian.employment.choices import EmploymentForm
        from canlian.employment.models import EmploymentRecord

        before = EmploymentRecord.objects.filter(person=OuterRef("person"), started_on__lt=OuterRef("started_on"))
        spells = (EmploymentRecord.objects.filter(employed=True, started_on__gte=PLAN_START,
                                                  started_on__lte=min(on, PLAN_END))
                  .annotate(was_employed=Subquery(before.order_by("-started_on").values("employed")[:1]),
                            was_form=Subquery(before.order_by("-started_on").values("form")[:1])))
        if self_employed:
            # The spell before, if any: a first-ever spell has none (NULL), and NOT (NULL = x) would drop it.
            spells = spells.filter(form=EmploymentForm.SELF_EMPLOYED).filter(
                Q(was_form__isnull=True) | ~Q(was_form=EmploymentForm.SELF_EMPLOYED))
        else:
            spells = spells.exclude(form=EmploymentForm.SELF_EMPLOYED).filter(
                Q(was_employed__isnull=True) | Q(was_employed=False))
        return _persons(on).filter(Exists(spells.filter(person=OuterRef("pk"))))
    return rows


def _villages(on: date, year: int) -> QuerySet:
    from canlian.areas.models import Area

    return Area.objects.filter(level=Area.Level.VILLAGE)


def _officer_in_post(on: date, year: int) -> Q:
    from canlian.organisation.models import OfficerPost, held_on

    return Q(Exists(OfficerPost.objects.filter(held_on(on), area=OuterRef("pk"))))


def _cadres(on: date, year: int) -> QuerySet:
    from canlian.organisation.models import StaffMember, held_on

    return StaffMember.objects.filter(held_on(on))


def _disabled_cadre(on: date, year: int) -> Q:
    from canlian.organisation.selectors import disabled_condition

    return Q(disabled_condition(on))


MEASURES = {measure.key: measure for measure in [
    Measure("registered", _("在册残疾人数"), lambda on, year: _persons(on)),
    Measure("certified", _("持证残疾人数"), lambda on, year: _persons(on).filter(_carded(on))),
    Measure("severe", _("一、二级（重度）持证人数"), lambda on, year: _persons(on).filter(_carded(on, grade__lte=2))),
    Measure("non_severe", _("三、四级持证人数"), lambda on, year: _persons(on).filter(_carded(on, grade__gte=3))),
    Measure("working_age", _("就业年龄段（16—59 岁）人数"), lambda on, year: _working_age(on)),
    Measure("employed", _("就业年龄段已就业人数"), lambda on, year: _working_age(on).filter(_employed(on, year))),
    Measure("employment_rate", _("就业率：就业年龄段中已就业的比例"), lambda on, year: _working_age(on), _employed),
    Measure("living_allowance", _("生活补贴覆盖率：符合条件者中正在享受的比例"), _eligible("living_allowance"),
            _entitled("living_allowance")),
    Measure("nursing_allowance", _("护理补贴覆盖率：符合条件者中正在享受的比例"), _eligible("nursing_allowance"),
            _entitled("nursing_allowance")),
    Measure("pension_insurance", _("养老保险参保率：就业年龄段中参保的比例（人社部门数据）"),
            lambda on, year: _working_age(on), _department_record("pension_insurance")),
    Measure("medical_insurance", _("医疗保险参保率：在册残疾人中参保的比例（医保部门数据）"),
            lambda on, year: _persons(on), _department_record("medical_insurance")),
    Measure("rehabilitation", _("基本康复服务率：有康复需求者中当年获得服务的比例"),
            _needing("rehabilitation", "child_rehabilitation"), _served("rehabilitation", "child_rehabilitation")),
    Measure("assistive_device", _("辅助器具适配率：有适配需求者中当年获得适配的比例"),
            _needing("assistive_device"), _served("assistive_device")),
    Measure("compulsory_education", _("义务教育入学率：6—15 岁视力、听力、智力残疾儿童少年中入学的比例"),
            _school_age_in_scope, _in_school),
    Measure("training", _("职业培训人次（当年开班）"), _training, area_field="person__residence_area", persons=False),
    Measure("home_modifications", _("家庭无障碍改造户数（当年验收）"), _modifications,
            area_field="person__residence_area", persons=False),
    Measure("new_jobs", _("新增就业人数（2021 年起，不含自主创业）"), _entered(self_employed=False)),
    Measure("new_businesses", _("扶持创业人数（2021 年起，自主创业）"), _entered(self_employed=True)),
    Measure("community_officers", _("专职委员覆盖率：社区和嘎查中配备了专职委员的比例"), _villages, _officer_in_post,
            area_field="pk", persons=False, link="organisation:posts"),
    Measure("disabled_cadres", _("残疾人干部比例：在职残联干部中持有效残疾人证的比例"), _cadres, _disabled_cadre,
            area_field="unit_area", persons=False, link="organisation:cadres"),
]}


def as_of(year: int, today: date) -> date:
    """A year's figures are read on its last day, or today for the year under way."""
    return min(date(year, 12, 31), today)
