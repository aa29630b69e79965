"""Erenhot's benefit standards for the demo (domain.md §2); a federation enters its own in the admin."""

import random
from datetime import date
from decimal import Decimal
from pathlib import Path

from django.db import transaction
from django.db.models import Sum
from django.utils import timezone

from canlian.accounts.models import User
from canlian.accounts.scope import residence_in_scope
from canlian.areas.models import Area
from canlian.benefits import payroll, services
from canlian.benefits.choices import Period, Scheme
from canlian.benefits.eligibility import eligible_persons
from canlian.benefits.models import Entitlement, PaymentAccount, PayrollRun, Standard
from canlian.benefits.payroll import PAYROLL_SCHEMES
from canlian.benefits.selectors import benefit_options
from canlian.registry import services as registry_services
from canlian.registry.choices import AssistanceKind, LifeStatus
from canlian.registry.demo import CITY, SEED
from canlian.registry.models import AssistanceStatus, Person

DEMO_STANDARDS = [
    (Scheme.LIVING_ALLOWANCE, date(2020, 1, 1), Decimal("110.00"), Period.MONTH,
     "二连浩特市“十四五”残疾人事业发展规划：2020年每人每月110元 [C]；现行标准 [U]"),
    (Scheme.NURSING_ALLOWANCE, date(2020, 1, 1), Decimal("110.00"), Period.MONTH,
     "二连浩特市“十四五”残疾人事业发展规划：2020年每人每月110元 [C]；现行标准 [U]"),
    (Scheme.PENSION_PREMIUM, date(2020, 1, 1), Decimal("300.00"), Period.YEAR,
     "二连浩特市“十四五”残疾人事业发展规划：每人每年300元 [C]"),
    (Scheme.INSURANCE_PREMIUM, date(2023, 1, 1), Decimal("380.00"), Period.YEAR,
     "城乡居民医保个人缴费标准 2023年380元 [P]"),
    (Scheme.INSURANCE_PREMIUM, date(2024, 1, 1), Decimal("400.00"), Period.YEAR,
     "城乡居民医保个人缴费标准 2024年400元 [P]"),
]


@transaction.atomic
def demo_standards_load() -> int:
    """Enter the demo standards that are missing; running it again changes nothing. Returns how many were added."""
    added = 0
    for scheme, day, amount, period, source in DEMO_STANDARDS:
        _standard, created = Standard.objects.get_or_create(
            scheme=scheme, effective_from=day, grade=None, area=None,
            defaults={"amount": amount, "period": period, "source": source})
        added += created
    return added


# The seed's recipients (domain.md §6): 170 persons in 低保 (143 urban, 27 rural), 150 living-allowance and
# 297 nursing-allowance recipients. A few eligible persons are left without benefits for the coverage worklist.
DIBAO_PERSONS, LIVING_RECIPIENTS, NURSING_RECIPIENTS = 170, 150, 297
HISTORY_MONTHS = [date(2026, month, 1) for month in range(1, 11)]  # paid on the platform; November is yours to pay
BANKS = ["内蒙古农村信用社", "中国农业银行二连浩特支行", "中国邮政储蓄银行二连浩特支行", "中国建设银行二连浩特支行"]


def _stamp(obj, reason: str):
    obj._change_reason = reason
    return obj


def demo_benefits_load(*, tmp_dir: Path) -> dict:
    """Statuses, entitlements, accounts, ten months of payroll (January–October 2026, each built, reviewed,
    approved, exported and reconciled by three people), open applications and one late death to recover.
    Runs once: a second call finds the runs and changes nothing."""
    demo_standards_load()
    if PayrollRun.objects.exists():
        return {"created": False}
    users = {user.username: user for user in User.objects.filter(username__in=["officer", "finance", "leader",
                                                                              "beijiang"])}
    city = Area.objects.get(code=CITY[0])
    rng = random.Random(SEED + 4)
    with transaction.atomic():
        persons = list(Person.objects.filter(residence_area__path__startswith=city.path,
                                             life_status=LifeStatus.ACTIVE).order_by("id_number"))
        dibao = rng.sample(persons, DIBAO_PERSONS)
        AssistanceStatus.objects.bulk_create(
            AssistanceStatus(person=person, kind=AssistanceKind.DIBAO, started_on=date(2019, 1, 1),
                             started_by="二连浩特市民政局低保名单（示例）") for person in dibao)
        options = benefit_options(on=HISTORY_MONTHS[0])
        for scheme, wanted in ((Scheme.LIVING_ALLOWANCE, LIVING_RECIPIENTS), (Scheme.NURSING_ALLOWANCE,
                                                                               NURSING_RECIPIENTS)):
            eligible = list(eligible_persons(scheme, on=HISTORY_MONTHS[0], options=options).order_by("id_number"))
            for person in rng.sample(eligible, min(wanted, len(eligible))):
                _stamp(Entitlement(person=person, scheme=scheme, starts_on=date(2020, 1, 1)), "系统上线前已享受（存量录入）").save()
        holders = Person.objects.filter(entitlements__isnull=False).distinct().order_by("id_number")
        for n, person in enumerate(holders):
            if n % 150 == 7:
                continue  # a few without an account: the run page flags them, the bank returns them
            _stamp(PaymentAccount(person=person, bank=BANKS[n % len(BANKS)], number=f"62298{n:014d}",
                                  holder=person.name), "存量账户录入").save()
    officer, finance, leader = users["officer"], users["finance"], users["leader"]
    for month in HISTORY_MONTHS:
        if month == date(2026, 3, 1):
            _accounts_entered_late()
        for scheme in PAYROLL_SCHEMES:
            run = services.payroll_run_build(scheme=scheme, month=month, area=city, by=officer)
            services.payroll_run_review(run=run, by=finance, note="核对无误")
            services.payroll_run_approve(run=run, by=leader, note="同意发放")
            run = services.payroll_run_export(run=run, by=officer, kind="csv", target=tmp_dir / f"{run.pk}.csv")
            # The bank returns the transfers without an account; their months are paid once the account is in.
            returned = (run.lines.filter(account_number="").values("person__id_number")
                        .annotate(total=Sum("amount")).order_by("person__id_number"))
            failures = [payroll.Failure(row=n, id_number=row["person__id_number"], amount=row["total"],
                                        reason="户名或账号为空") for n, row in enumerate(returned, start=2)]
            services.payroll_run_reconcile(run=run, by=finance, failures=failures)
    _open_applications(users["beijiang"], officer)
    _late_death(officer)
    return {"created": True, "runs": PayrollRun.objects.count(), "entitlements": Entitlement.objects.count()}


def _accounts_entered_late() -> None:
    for n, person in enumerate(Person.objects.filter(entitlements__isnull=False, payment_account__isnull=True)
                               .distinct().order_by("id_number")):
        _stamp(PaymentAccount(person=person, bank=BANKS[0], number=f"62297{n:014d}", holder=person.name),
               "补录代发账户").save()


def _open_applications(community_officer, officer) -> None:
    """Applications waiting on the worklist: two for community review, one for the federation's approval."""
    gaps = list(eligible_persons(Scheme.NURSING_ALLOWANCE, on=timezone.localdate(),
                                 options=benefit_options(on=timezone.localdate()))
                .filter(residence_in_scope(community_officer)).exclude(entitlements__scheme=Scheme.NURSING_ALLOWANCE)
                .order_by("id_number")[:3])
    for n, person in enumerate(gaps):
        application = services.application_submit(person=person, scheme=Scheme.NURSING_ALLOWANCE,
                                                  by=community_officer, note="家属到社区提出申请（示例）")
        if n == 0:
            services.application_review(application=application, by=officer, note="入户核实，情况属实")


def _late_death(officer) -> None:
    """A death in September reported only now: the October payments become a recovery (追缴)."""
    entitled = Entitlement.objects.filter(scheme=Scheme.NURSING_ALLOWANCE, state=Entitlement.State.ACTIVE,
                                          payroll_lines__for_month=HISTORY_MONTHS[-1]).order_by("person__id_number")
    person = entitled.first().person
    with transaction.atomic():
        registry_services.person_change_life_status(person=person, by=officer, status=LifeStatus.DECEASED,
                                                    since=date(2026, 9, 18), reason="家属10月底告知（示例）")
