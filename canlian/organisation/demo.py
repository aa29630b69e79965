"""The Erenhot organisation demo: a community officer in every community and gacha but one (whose officer left in the
autumn), the five special associations and the communities' own, the facilities the plan names (温馨家园, the
rehabilitation centre, the care centre still being built), and twelve cadres of whom two are disabled.

Synthetic and deterministic; no real person's data is used.
"""

from datetime import date

from django.db import transaction
from django.utils import timezone

from canlian.areas.models import Area
from canlian.organisation.models import Association, Facility, OfficerPost, StaffMember
from canlian.registry.demo import CITY, COMMUNITIES, SUMU
from canlian.registry.models import Certificate, Person, valid_certificate_on

# Holders of the communities' and gachas' posts, in the order of registry.demo's areas; None: vacant this year.
HOLDERS = ["乌日娜", "王海燕", "巴图", "张丽", "萨仁", "刘建军", "其其格", "赵敏",
           "宝音", "阿拉坦", "额尔敦", "苏日娜", None]
CADRES = [  # name, unit (city or sumu), position, started
    ("孟根", CITY[0], "理事长", date(2016, 3, 1)), ("李红梅", CITY[0], "副理事长", date(2018, 9, 1)),
    ("特木尔", CITY[0], "康复部部长", date(2019, 4, 1)), ("周静", CITY[0], "就业服务所所长", date(2020, 7, 1)),
    ("高娃", CITY[0], "维权信访专干", date(2021, 3, 1)), ("马超", CITY[0], "财务", date(2017, 5, 1)),
    ("娜仁", CITY[0], "组联部干事", date(2022, 6, 1)), ("陈晓", CITY[0], "教育就业干事", date(2023, 8, 1)),
    ("图雅", CITY[0], "康复干事", date(2024, 2, 1)), ("吴刚", CITY[0], "办公室主任", date(2015, 10, 1)),
    ("斯琴", SUMU[0], "苏木残联理事长", date(2019, 1, 1)), ("杨帆", SUMU[0], "苏木残联干事", date(2022, 3, 1)),
]


@transaction.atomic
def demo_organisation_load(*, today: date | None = None) -> dict:
    """Posts, associations, facilities and cadres (idempotent: nothing when any post exists)."""
    if OfficerPost.objects.exists():
        return {"posts": OfficerPost.objects.filter(ended_on__isnull=True).count()}
    today = today or timezone.localdate()
    # The last 30 September before today: loaded in spring, "this autumn" would still lie ahead and the post be held.
    left_on = date(today.year if today > date(today.year, 9, 30) else today.year - 1, 9, 30)
    villages = list(Area.objects.filter(level=Area.Level.VILLAGE).order_by("code"))
    for index, (area, holder) in enumerate(zip(villages, HOLDERS, strict=False)):
        started = date(2021 + index % 3, 1 + index % 12, 1)
        if holder is None:  # the last gacha's officer moved away in the autumn
            OfficerPost.objects.create(area=area, holder_name="包金花", holder_phone="13847900013",
                                       started_on=date(2021, 5, 1), ended_on=left_on,
                                       end_reason="迁居外地")
            continue
        OfficerPost.objects.create(area=area, holder_name=holder, holder_phone=f"1384790{index:04d}",
                                   holder_disabled=index % 4 == 1, started_on=started)
    city, sumu = Area.objects.get(code=CITY[0]), Area.objects.get(code=SUMU[0])
    for kind, name, chair in [(Association.Kind.BLIND, "二连浩特市盲人协会", "杜建国"),
                              (Association.Kind.DEAF, "二连浩特市聋人协会", "韩雪"),
                              (Association.Kind.LIMB, "二连浩特市肢残人协会", "白音"),
                              (Association.Kind.INTELLECTUAL, "二连浩特市智力残疾人及亲友协会", "徐秀英"),
                              (Association.Kind.MENTAL, "二连浩特市精神残疾人及亲友协会", "郭平")]:
        Association.objects.create(kind=kind, name=name, area=city, chair_name=chair, members=20 + len(name),
                                   founded_on=date(2012, 5, 1))
    for area in villages[:len(COMMUNITIES)]:
        Association.objects.create(kind=Association.Kind.COMMUNITY, name=f"{area.name}残疾人协会", area=area,
                                   members=12, founded_on=date(2015, 6, 1))
    facilities = [
        (Facility.Kind.REHABILITATION_CENTRE, "二连浩特市残疾人康复中心", city, 40, Facility.Status.OPEN, date(2014, 9, 1)),
        (Facility.Kind.CARE_CENTRE, "二连浩特市残疾人托养中心", city, 50, Facility.Status.BUILDING, None),
        (Facility.Kind.EMPLOYMENT_BASE, "二连浩特市残疾人辅助性就业基地", city, 30, Facility.Status.OPEN, date(2019, 6, 1)),
        (Facility.Kind.SPORTS, "格日勒敖都苏木残疾人文体活动室", sumu, 20, Facility.Status.PLANNED, None),
    ] + [(Facility.Kind.WARM_HOME, f"{area.name}温馨家园", area, 15, Facility.Status.OPEN, date(2018, 3, 1))
         for area in villages[:4]]
    for kind, name, area, capacity, status, opened in facilities:
        Facility.objects.create(kind=kind, name=name, area=area, capacity=capacity, status=status, opened_on=opened)
    areas = {CITY[0]: city, SUMU[0]: sumu}
    # Two cadres are disabled persons on the register with a valid card (2 of 12: 16.67%, the plan asks ≥ 15%).
    disabled = list(Person.objects.filter(birth_date__year__range=(1975, 1990))
                    .filter(certificates__in=Certificate.objects.filter(valid_certificate_on(today)))
                    .distinct().order_by("pk")[:2])
    for index, (name, unit, position, started) in enumerate(CADRES):
        person = disabled[index // 5] if index in (4, 9) and len(disabled) > index // 5 else None
        StaffMember.objects.create(name=person.name if person else name, unit_area=areas[unit], position=position,
                                   person=person, started_on=started)
    return {"posts": OfficerPost.objects.filter(ended_on__isnull=True).count(), "villages": len(villages),
            "cadres": len(CADRES)}
