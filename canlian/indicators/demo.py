"""The Erenhot watchlist demo (防止返贫监测): households' incomes for last year, a few events (medical bills, an
illness), two households that left 低保 this year, then the rule's sweep as of two months ago and today; three in four
households flagged then have been visited with assistance (a few of them too long ago), the rest are overdue, and one
flag has been closed.

Synthetic and deterministic; no real person's data is used.
"""

import random
from datetime import timedelta
from decimal import Decimal

from django.db import transaction
from django.utils import timezone

from canlian.accounts.models import User
from canlian.indicators import services
from canlian.indicators.models import FollowUp, RiskFlag
from canlian.indicators.rules import EventKind
from canlian.registry.choices import AssistanceKind
from canlian.registry.demo import SEED
from canlian.registry.models import AssistanceStatus, Household
from canlian.registry.services import household_update_income

SITUATIONS = [
    ("家中收入主要靠低保和两项补贴，房屋安全，子女在外务工偶有接济。", [FollowUp.Measure.SUBSIDY]),
    ("户主住院后需长期服药，家庭自付医疗费用较高。", [FollowUp.Measure.MEDICAL_ASSISTANCE, FollowUp.Measure.TEMPORARY_ASSISTANCE]),
    ("重度残疾人居家，家人照料无法外出务工。", [FollowUp.Measure.CARE, FollowUp.Measure.EMPLOYMENT]),
    ("老人年事已高照料吃力，已联系社区日间照料。", [FollowUp.Measure.CARE, FollowUp.Measure.REHABILITATION]),
]


@transaction.atomic
def demo_watchlist_load() -> dict:
    """Incomes, events and 低保 exits, then the sweeps and follow-ups (idempotent: nothing once a follow-up exists;
    flags alone may already be there, opened by the registry's events while its demo loaded)."""
    if FollowUp.objects.exists():
        return {"flags": RiskFlag.objects.count()}
    rng = random.Random(SEED + 7)
    today = timezone.localdate()
    officer = User.objects.get(username="officer")
    households = list(Household.objects.order_by("pk"))
    for household in households:
        # 2025 incomes around the city's rural and urban levels; about one in twelve under the monitoring line.
        income = Decimal(round(rng.lognormvariate(9.6, 0.65), -1))
        household_update_income(household=household, by=officer, per_capita_income=income, income_year=today.year - 1)
    chosen = rng.sample(households, 12)
    two_months_ago = today - timedelta(days=60)
    for household, (kind, amount) in zip(chosen[:6], [
            (EventKind.MEDICAL_SPENDING, Decimal("23800.00")), (EventKind.MEDICAL_SPENDING, Decimal("8600.00")),
            (EventKind.SERIOUS_ILLNESS, None), (EventKind.MEDICAL_SPENDING, Decimal("31250.50")),
            (EventKind.SERIOUS_ILLNESS, None), (EventKind.DEATH, None)], strict=True):
        services.household_event_record(household=household, by=officer, kind=kind, amount=amount,
                                        occurred_on=two_months_ago - timedelta(days=rng.randint(1, 90)),
                                        note="演示数据")
    for household in chosen[6:8]:  # left 低保 this year: a spell that civil affairs' list ended
        member = household.members.filter(person__isnull=False).first()
        AssistanceStatus.objects.create(person_id=member.person_id, kind=AssistanceKind.DIBAO,
                                        started_on=today.replace(year=today.year - 3, month=1, day=1),
                                        ended_on=two_months_ago - timedelta(days=10),
                                        started_by="民政低保名单（演示）", ended_by="民政低保名单（演示）：收入超过标准")
    services.watchlist_sweep(on=two_months_ago)
    flagged = RiskFlag.objects.filter(opened_on=two_months_ago).select_related("household").order_by("pk")
    visited = [flag.household for index, flag in enumerate(flagged) if index % 4]  # a quarter not yet visited
    for household in dict.fromkeys(visited):
        situation, measures = rng.choice(SITUATIONS)
        services.follow_up_record(household=household, by=officer, visited_on=today - timedelta(days=rng.randint(3, 40)),
                                  situation=situation, measures=measures)
    closable = RiskFlag.objects.filter(household__in=visited, reason="low_income").first()
    if closable is not None:
        services.risk_flag_close(flag=closable, by=officer, note="子女就业后家庭收入已超过监测线（演示）")
    services.watchlist_sweep(on=today)
    return {"flags": RiskFlag.objects.count(), "open": RiskFlag.objects.filter(closed_on__isnull=True).count()}
