"""Volunteer services (志愿助残) and the emergency register (应急结对帮扶) as pure functions: which volunteers suit a
request and in what order, a volunteer's star level by hours, and how urgently a person needs help in an emergency.
Each answer explains itself in the words an officer would use."""

from dataclasses import dataclass
from decimal import Decimal

from django.db import models
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from canlian.registry.choices import Category


class RequestKind(models.TextChoices):
    """What a disabled person asks volunteers for (志愿服务需求), and what a volunteer offers."""

    DAILY_CARE = "daily_care", gettext_lazy("生活照料")
    MOBILITY = "mobility", gettext_lazy("出行帮助")
    ESCORT = "escort", gettext_lazy("陪诊")
    TUTORING = "tutoring", gettext_lazy("支教助学")
    CULTURE_SPORTS = "culture_sports", gettext_lazy("文体活动")


class EmergencyNeed(models.TextChoices):
    """Why a person needs help in a disaster, an epidemic or an accident, most urgent first (应急需求)."""

    POWER = "power", gettext_lazy("依赖电力维持的设备（呼吸机、制氧机等）")
    BEDRIDDEN = "bedridden", gettext_lazy("长期卧床，需抬运撤离")
    MOBILITY = "mobility", gettext_lazy("行动不便，需协助撤离")
    VISION = "vision", gettext_lazy("视力障碍，需引导撤离")
    MENTAL = "mental", gettext_lazy("精神或智力障碍，需专人陪护")
    HEARING = "hearing", gettext_lazy("听力障碍，听不到警报和广播")
    LIVING_ALONE = "living_alone", gettext_lazy("独居")


URGENCY = list(EmergencyNeed.values)  # the choices' order is the order of urgency


@dataclass(frozen=True)
class Candidate:
    volunteer_id: int
    rank: tuple  # smaller is better
    reason: str


def match(*, volunteer_id: int, skills: list[str], request_kind: str, volunteer_area_path: str,
          person_area_path: str, open_requests: int) -> Candidate | None:
    """Whether a volunteer suits a request, and how well: they must offer the kind of help asked for; those closer
    to the person come first (the same community, then a neighbouring one, then one registered higher up), then
    those with fewer requests in hand. None: not suitable."""
    if request_kind not in skills:
        return None
    parent = _parent(person_area_path)
    if volunteer_area_path.startswith(person_area_path):
        distance = 0  # the person's own community (or, for a person filed at a higher level, an area below it)
    elif (volunteer_area_path == parent and not _county_or_above(parent)) or _parent(volunteer_area_path) == parent:
        distance = 1  # the street or sumu above, or a neighbouring community under it
    elif person_area_path.startswith(volunteer_area_path):
        distance = 2  # registered at a higher level (the city): serves everywhere under it
    else:
        distance = 3
    where = [_("同一社区（嘎查）"), _("同一上级区域（邻近社区）"), _("上级区域登记，可到此服务"), _("其他区域")][distance]
    kind = RequestKind(request_kind).label
    return Candidate(volunteer_id, (distance, open_requests),
                     _("%(where)s，可提供%(kind)s，手头 %(n)d 项服务") % {"where": where, "kind": kind, "n": open_requests})


def _parent(path: str) -> str:
    """The path of the area above ("/15/1525/" → "/15/"); the root's is "/"."""
    return path[:path.rstrip("/").rfind("/") + 1]


def _county_or_above(path: str) -> bool:
    """Whether the area is a county-level city or above, by its code (统计用区划代码: the last six digits, township
    and village, are zero): a community directly under the city has no street above it, only the city."""
    return path.rstrip("/").rsplit("/", 1)[-1].endswith("000000")


def star_level(hours: Decimal, thresholds: list[Decimal]) -> int:
    """A volunteer's star level (星级志愿者) by total service hours: the stars whose hours they have reached."""
    return sum(hours >= threshold for threshold in thresholds)


@dataclass(frozen=True)
class Urgency:
    rank: int  # 0 is the most urgent; a person with no need recorded comes last
    text: str


def urgency(needs: list[str]) -> Urgency:
    """How urgently a person needs help in an emergency: by their most urgent need, then by how many needs they
    have (sorting the emergency office's list); the text names the needs, most urgent first."""
    known = sorted((need for need in set(needs) if need in URGENCY), key=URGENCY.index)
    if not known:
        return Urgency(len(URGENCY) * 10, _("未登记应急需求"))
    rank = URGENCY.index(known[0]) * 10 - min(len(known), 9)
    return Urgency(rank, "；".join(str(EmergencyNeed(need).label) for need in known))


def needs_suggested(*, categories: list[int], severe: bool, living_alone: bool) -> list[str]:
    """The needs an officer should ask about, from what the register already says (the officer confirms them on a
    visit): severe physical disability → mobility, vision → guidance, hearing → alerts, mental or intellectual →
    a companion, and living alone."""
    suggested = []
    if (severe and Category.PHYSICAL in categories) or Category.MULTIPLE in categories:
        suggested.append(EmergencyNeed.MOBILITY)
    if Category.VISION in categories:
        suggested.append(EmergencyNeed.VISION)
    if Category.HEARING in categories:
        suggested.append(EmergencyNeed.HEARING)
    if Category.MENTAL in categories or Category.INTELLECTUAL in categories:
        suggested.append(EmergencyNeed.MENTAL)
    if living_alone:
        suggested.append(EmergencyNeed.LIVING_ALONE)
    return [str(need) for need in suggested]
