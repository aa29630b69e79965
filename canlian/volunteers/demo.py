"""The Erenhot volunteers and emergency register demo: two volunteer organisations and sixteen volunteers, this
year's requests in every state (one unanswered past its deadline), services with hours and feedback, two awards;
emergency needs recorded for thirty persons with severe disabilities, most paired with a helper, a few pairings
not confirmed for over half a year, a few not yet paired.

Synthetic and deterministic; no real person's data is used.
"""

import random
from datetime import timedelta
from decimal import Decimal

from django.db import transaction
from django.utils import timezone

from canlian.accounts.models import User
from canlian.areas.models import Area
from canlian.registry.demo import CITY, SEED
from canlian.registry.models import Certificate, Person, valid_certificate_on
from canlian.volunteers import rules, services
from canlian.volunteers.models import EmergencyProfile, Organisation, Pairing, Volunteer
from canlian.volunteers.rules import EmergencyNeed, RequestKind
from canlian.volunteers.selectors import emergency_facts

NAMES = ["刘洋", "高娃", "陈晨", "额尔登", "孙悦", "阿如娜", "郑磊", "萨日娜", "胡杨", "吉雅", "冯雪", "朝鲁",
         "蒋欣", "包斯琴", "韩冬", "塔娜"]
DETAILS = {
    RequestKind.DAILY_CARE: "独居老人，需每周上门帮助打扫和采购。",
    RequestKind.MOBILITY: "坐轮椅出行，需陪同去银行办理业务。",
    RequestKind.ESCORT: "需陪同到市医院复查，挂号取药。",
    RequestKind.TUTORING: "孩子随班就读，需课后辅导数学。",
    RequestKind.CULTURE_SPORTS: "想参加社区书法活动，需有人陪同。",
}


@transaction.atomic
def demo_volunteers_load() -> dict:
    """Organisations, volunteers, requests and services, awards; the emergency register (idempotent: nothing when
    any volunteer exists)."""
    if Volunteer.objects.exists():
        return {"volunteers": Volunteer.objects.count(), "profiles": EmergencyProfile.objects.count()}
    rng = random.Random(SEED + 11)
    officer = User.objects.get(username="officer")
    today = timezone.localdate()
    city = Area.objects.get(code=CITY[0])
    villages = list(Area.objects.filter(level=Area.Level.VILLAGE).order_by("code"))
    youth = Organisation.objects.create(name="二连浩特市青年志愿者协会", area=city, contact_name="刘洋",
                                        contact_phone="0479-7516688")
    team = Organisation.objects.create(name="北疆社区助残志愿服务队", area=villages[0], contact_name="陈晨",
                                       contact_phone="13947900102")
    volunteers = []
    for index, name in enumerate(NAMES):
        area = city if index % 4 == 0 else villages[index % len(villages)]
        skills = rng.sample(list(RequestKind.values), rng.randint(2, 4))
        volunteers.append(services.volunteer_register(
            by=officer, name=name, phone=f"1394790{index:04d}", area=area, skills=skills, consent=True,
            consent_on=today - timedelta(days=300 - index * 10), availability=rng.choice(["周末全天", "工作日晚上", "周六上午"]),
            organisation=youth if area == city else (team if area == villages[0] else None)))
    persons = list(Person.objects.filter(residence_area__in=villages).order_by("pk")[::23][:14])
    done = 0
    for index, person in enumerate(persons):
        kind = list(RequestKind.values)[index % len(RequestKind.values)]
        asked = today - timedelta(days=60 - index * 4)
        request = services.request_open(person=person, by=officer, kind=kind, detail=DETAILS[kind],
                                        requested_on=asked)
        if index >= 12:  # the last two wait; the older of them is past its deadline
            continue
        if index == 11:
            services.request_cancel(request=request, by=officer, reason="本人住院，暂不需要。")
            continue
        candidates = [v for v in volunteers if rules.match(
            volunteer_id=v.pk, skills=v.skills, request_kind=kind, volunteer_area_path=v.area.path,
            person_area_path=person.residence_area.path, open_requests=0)]
        if not candidates:
            continue
        volunteer = candidates[0]
        services.request_match(request=request, by=officer, volunteer=volunteer, on=asked + timedelta(days=1))
        for visit in range(1 + index % 3):
            services.service_log(
                request=request, by=officer, served_on=asked + timedelta(days=2 + visit * 7),
                hours=Decimal(rng.choice(["1.5", "2", "2.5", "3", "4"])), note=DETAILS[kind],
                feedback=rng.choice(["satisfied", "satisfied", "fairly"]),
                finished=index < 7 and visit == index % 3)
        done += index < 7
    services.award_record(volunteer=volunteers[0], by=officer, title="优秀志愿者", awarded_on=_last(today, 3, 5),
                          awarded_by="二连浩特市残疾人联合会")
    services.award_record(volunteer=volunteers[2], by=officer, title="助残先进个人", awarded_on=_last(today, 5, 19),
                          awarded_by="二连浩特市残疾人联合会")
    profiles = _emergency(rng, officer=officer, volunteers=volunteers, today=today)
    return {"volunteers": len(volunteers), "requests": len(persons), "done": done, "profiles": profiles}


def _last(today, month: int, day: int):
    """The latest such day not after today: this year's, or last year's early in the year (an award is never
    dated in the future)."""
    this_year = today.replace(month=month, day=day)
    return this_year if this_year <= today else this_year.replace(year=today.year - 1)


def _emergency(rng, *, officer, volunteers, today) -> int:
    """Needs recorded for thirty severe cardholders; 24 paired, 4 of those confirmed over half a year ago."""
    severe = list(Person.objects.filter(certificates__in=Certificate.objects.filter(
        valid_certificate_on(today), grade__lte=2)).distinct().order_by("pk")[::10][:30])
    for index, person in enumerate(severe):
        suggested = rules.needs_suggested(**emergency_facts(person, on=today)) or [EmergencyNeed.MOBILITY]
        if index % 7 == 0:
            suggested.append(EmergencyNeed.POWER)
        services.emergency_profile_save(person=person, by=officer, needs=suggested,
                                        note="使用家用制氧机" if EmergencyNeed.POWER in suggested else "")
        if index >= 24:
            continue
        started = today - timedelta(days=400 if index < 4 else 60 + index)
        if index % 3 == 0:
            services.pairing_set(person=person, by=officer, helper_kind=Pairing.HelperKind.VOLUNTEER, helper_name="",
                                 helper_phone="", volunteer=volunteers[index % len(volunteers)], started_on=started)
        else:
            services.pairing_set(person=person, by=officer, helper_kind=Pairing.HelperKind.NEIGHBOUR,
                                 helper_name=rng.choice(NAMES), helper_phone=f"1594790{index:04d}",
                                 started_on=started)
    return len(severe)
