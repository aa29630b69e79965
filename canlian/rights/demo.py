"""The Erenhot rights cases demo: the 96 calls and visits the seed reports for 2016–2020, all closed, and this
year's cases in every state — waiting, being handled, late and escalated, answered, closed, one reopened after
the caller was not satisfied.

Synthetic and deterministic; no real person's data is used.
"""

import random
from datetime import date, timedelta

from django.db import transaction
from django.utils import timezone

from canlian.accounts.models import User
from canlian.areas.models import Area
from canlian.common.workdays import add_working_days
from canlian.registry.demo import SEED
from canlian.registry.models import Person
from canlian.rights import services
from canlian.rights.models import Case, Partner
from canlian.rights.rules import CaseKind, CaseSource, Satisfaction

SEED_YEARS = {2016: 18, 2017: 20, 2018: 19, 2019: 21, 2020: 18}  # 96 calls and visits (the seed, 2016–2020)
KINDS = [CaseKind.CONSULTATION] * 8 + [CaseKind.HELP] * 5 + [CaseKind.COMPLAINT] * 3 + [
    CaseKind.PETITION, CaseKind.LEGAL_AID, CaseKind.INFRINGEMENT]
SUMMARIES = {
    CaseKind.CONSULTATION: ["咨询残疾人证办理需要准备哪些材料。", "咨询重度残疾人护理补贴的申请条件。",
                            "咨询辅助器具免费适配的政策。", "咨询残疾人子女上学的资助政策。"],
    CaseKind.HELP: ["家中轮椅损坏，请求帮助维修或更换。", "母亲卧床，家中无人照料，请求托养帮助。",
                    "冬季取暖困难，请求临时救助。"],
    CaseKind.COMPLAINT: ["反映小区新建坡道坡度过陡，轮椅无法通行。", "反映公交车未开启语音报站。"],
    CaseKind.PETITION: ["来信反映低保评定不公，要求复核。"],
    CaseKind.LEGAL_AID: ["工伤致残后用人单位拒绝赔偿，申请法律援助。"],
    CaseKind.INFRINGEMENT: ["反映用人单位以残疾为由解除劳动合同。"],
}
CALLERS = ["王秀兰", "李志强", "张桂英", "刘海", "陈淑珍", "杨宝山", "赵丽娟", "乌兰图雅", "黄建华", "周玉梅"]
PARTNERS = [("二连浩特市法律援助中心", Partner.Kind.LEGAL_AID, "0479-7512148"),
            ("二连浩特市公安局", Partner.Kind.POLICE, "0479-7512110"),
            ("二连浩特市劳动保障监察大队", Partner.Kind.LABOUR, "0479-7512333")]


def _case(rng, *, officer, received_on, persons, areas, sources):
    kind = rng.choice(KINDS)
    person = rng.choice(persons) if rng.random() < 0.6 else None
    return services.case_open(
        by=officer, kind=kind, source=rng.choice(sources), received_on=received_on,
        summary=rng.choice(SUMMARIES[kind]), person=person, area=None if person else rng.choice(areas),
        caller_name="" if person else rng.choice(CALLERS), caller_phone=f"1390479{rng.randint(0, 9999):04d}")


def _closed(rng, case, *, officer, late: bool, satisfaction: str):
    replied = add_working_days(case.received_on, rng.randint(1, 3))
    closed = add_working_days(case.due_on, rng.randint(1, 4)) if late else min(
        add_working_days(replied, 1), case.due_on)
    services.case_assign(case=case, by=officer, officer=officer)
    services.case_reply(case=case, by=officer, replied_on=replied, reply="已按政策答复并告知办理渠道。")
    return services.case_close(case=case, by=officer, closed_on=closed, outcome="已解决或已告知办理途径。",
                               satisfaction=satisfaction)


@transaction.atomic
def demo_cases_load() -> dict:
    """Partners, 2016–2020's closed cases and this year's (idempotent: nothing when any case exists)."""
    if Case.objects.exists():
        return {"cases": Case.objects.count()}
    rng = random.Random(SEED + 9)
    officer = User.objects.get(username="officer")
    today = timezone.localdate()
    for name, kind, phone in PARTNERS:
        Partner.objects.get_or_create(name=name, defaults={"kind": kind, "phone": phone})
    legal_aid = Partner.objects.get(kind=Partner.Kind.LEGAL_AID)
    persons = list(Person.objects.order_by("pk")[::9])
    areas = list(Area.objects.filter(level=Area.Level.VILLAGE).order_by("code"))
    calls_and_visits = [CaseSource.HOTLINE_12385, CaseSource.HOTLINE_12345, CaseSource.VISIT]
    for year, count in SEED_YEARS.items():
        for n in range(count):
            received = date(year, 1, 4) + timedelta(days=rng.randint(0, 350))
            case = _case(rng, officer=officer, received_on=received, persons=persons, areas=areas,
                         sources=calls_and_visits)
            _closed(rng, case, officer=officer, late=n % 9 == 8,
                    satisfaction=rng.choice([Satisfaction.SATISFIED] * 6 + [Satisfaction.FAIRLY] * 3 + [
                        Satisfaction.DISSATISFIED]))
    sources = list(CaseSource.values)
    sources.remove(CaseSource.PORTAL)
    recent = [_case(rng, officer=officer, received_on=today - timedelta(days=days), persons=persons, areas=areas,
                    sources=sources) for days in (40, 35, 30, 21, 14, 12, 9, 6, 4, 31, 1, 0)]
    for case in recent[:3]:  # closed this year, on time
        _closed(rng, case, officer=officer, late=False, satisfaction=Satisfaction.SATISFIED)
    reopened = _closed(rng, recent[3], officer=officer, late=False, satisfaction=Satisfaction.DISSATISFIED)
    services.case_reopen(case=reopened, by=officer, reason="回访不满意：坡道整改尚未完成，重新督办。")
    services.case_assign(case=recent[4], by=officer, partner=legal_aid, note="申请法律援助，转法律援助中心审查。")
    for case in recent[5:7]:  # answered, waiting for the return call
        services.case_assign(case=case, by=officer, officer=officer)
        services.case_reply(case=case, by=officer, replied_on=today, reply="已电话答复，约定下周回访。")
    for case in recent[7:9]:
        services.case_assign(case=case, by=officer, officer=officer)
    # The last three wait to be assigned: the oldest, received a month ago, is past its deadline (unless a petition).
    result = services.cases_sweep(on=today)
    return {"cases": Case.objects.count(), "reminded": result.reminded, "escalated": result.escalated}
