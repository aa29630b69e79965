"""Rights cases (维权案件): their kinds, where they come from, and the deadline rules, as pure functions over dates.

A case's deadline is a number of working days after it was received, set per kind (a parameter with effective
dates); a reminder falls due a few working days before it, and an open case past it is escalated (超期督办).
"""

from dataclasses import dataclass
from datetime import date, timedelta

from django.db import models
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from canlian.common.workdays import add_working_days, is_working_day, working_days_between


class CaseKind(models.TextChoices):
    CONSULTATION = "consultation", gettext_lazy("咨询")
    HELP = "help", gettext_lazy("求助")
    COMPLAINT = "complaint", gettext_lazy("投诉")
    PETITION = "petition", gettext_lazy("信访")
    LEGAL_AID = "legal_aid", gettext_lazy("法律援助")
    INFRINGEMENT = "infringement", gettext_lazy("权益侵害")


class CaseSource(models.TextChoices):
    HOTLINE_12345 = "12345", gettext_lazy("12345 政务服务热线")
    HOTLINE_12385 = "12385", gettext_lazy("12385 残疾人服务热线")
    VISIT = "visit", gettext_lazy("来访")
    LETTER = "letter", gettext_lazy("来信")
    PORTAL = "portal", gettext_lazy("网上办事")
    DEPARTMENT = "department", gettext_lazy("部门转办")


class CaseState(models.TextChoices):
    RECEIVED = "received", gettext_lazy("待分派")
    ASSIGNED = "assigned", gettext_lazy("办理中")
    ANSWERED = "answered", gettext_lazy("已答复，待回访")
    CLOSED = "closed", gettext_lazy("已办结")


class Satisfaction(models.TextChoices):
    SATISFIED = "satisfied", gettext_lazy("满意")
    FAIRLY = "fairly", gettext_lazy("基本满意")
    DISSATISFIED = "dissatisfied", gettext_lazy("不满意")
    UNREACHED = "unreached", gettext_lazy("未能回访")


def due_on(received_on: date, working_days: int, calendar_days: int = 0) -> date:
    """The deadline: `working_days` working days after the day the case was received (受理之日起 N 个工作日), and
    no later than `calendar_days` days after it where the law counts days (信访: 60 日; 0: no such limit)."""
    due = add_working_days(received_on, working_days)
    return min(due, received_on + timedelta(days=calendar_days)) if calendar_days else due


@dataclass(frozen=True)
class Timeliness:
    status: str  # "on_time", "due_soon", "overdue" or "done"
    text: str


def timeliness(*, due: date, today: date, remind_working_days: int, closed_on: date | None = None) -> Timeliness:
    """Where a case stands against its deadline on a day, said as an officer would say it."""
    if closed_on is not None:
        if closed_on <= due:
            return Timeliness("done", _("按期办结（期限 %(due)s）") % {"due": due})
        # Closed on the holiday after the deadline is still late: at least one day, as for an open case below.
        return Timeliness("done", _("超期 %(n)d 个工作日办结（期限 %(due)s）") % {
            "n": max(working_days_between(due, closed_on), 1), "due": due})
    if today > due:
        return Timeliness("overdue", _("已超期 %(n)d 个工作日（期限 %(due)s）") % {
            "n": max(working_days_between(due, today), 1), "due": due})
    if today == due:
        return Timeliness("due_soon", _("今天到期（期限 %(due)s）") % {"due": due})
    left = working_days_between(today, due)
    if left <= remind_working_days:
        return Timeliness("due_soon", _("还剩 %(n)d 个工作日（期限 %(due)s）") % {"n": left, "due": due})
    return Timeliness("on_time", _("期限 %(due)s，还剩 %(n)d 个工作日") % {"due": due, "n": left})


def reminder_day(due: date, remind_working_days: int) -> date:
    """The first day on which `remind_working_days` working days or fewer are left before the deadline (the
    deadline itself is a working day, as due_on makes it)."""
    day = due
    for _step in range(remind_working_days):
        day -= timedelta(days=1)
        while not is_working_day(day):
            day -= timedelta(days=1)
    return day
