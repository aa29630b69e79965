"""Builders for rights-case tests: partner bodies, and cases taken, handed on, answered and closed through the real
services, so each carries the steps and deadline an officer's would."""

from datetime import date

from canlian.rights import services
from canlian.rights.models import Case, Partner
from canlian.rights.rules import CaseKind, CaseSource, Satisfaction

# A Tuesday, the last working day before National Day 2025 (10-01 to 10-08 off; Saturday 10-11 is worked).
BEFORE_NATIONAL_DAY = date(2025, 9, 30)

# The catalogue's defaults (rights.due_working_days.*, rights.remind_working_days).
DUE_WORKING_DAYS = {CaseKind.CONSULTATION: 3, CaseKind.HELP: 10, CaseKind.COMPLAINT: 15, CaseKind.PETITION: 42,
                    CaseKind.LEGAL_AID: 5, CaseKind.INFRINGEMENT: 15}
REMIND_WORKING_DAYS = 2


def make_partner(name: str = "二连浩特市法律援助中心", kind: str = Partner.Kind.LEGAL_AID, *,
                 active: bool = True) -> Partner:
    return Partner.objects.create(name=name, kind=kind, phone="0479-7512148", active=active)


def open_case(*, by, area=None, person=None, kind: str = CaseKind.COMPLAINT,
              source: str = CaseSource.HOTLINE_12385, received_on: date = BEFORE_NATIONAL_DAY,
              summary: str = "反映小区新建坡道坡度过陡，轮椅无法通行。", caller_name: str = "",
              caller_phone: str = "13904791234") -> Case:
    """A case taken by `by`: about `person` when given, else a caller (王秀兰 unless named) from `area`."""
    if person is None and not caller_name:
        caller_name = "王秀兰"
    return services.case_open(by=by, kind=kind, source=source, received_on=received_on, summary=summary,
                              area=area, person=person, caller_name=caller_name, caller_phone=caller_phone)


def answered(case: Case, *, by, on: date | None = None, handler=None) -> Case:
    """Assigned to `handler` (or answered on the spot by `by`), then answered on `on` (the day received)."""
    if handler is not None:
        case = services.case_assign(case=case, by=by, officer=handler)
    return services.case_reply(case=case, by=by, replied_on=on or case.received_on, reply="已电话答复，告知办理渠道。")


def closed(case: Case, *, by, replied_on: date | None = None, on: date | None = None,
           satisfaction: str = Satisfaction.SATISFIED, outcome: str = "已解决。") -> Case:
    """Answered on `replied_on` (the day received) and closed on `on` (the day answered)."""
    case = answered(case, by=by, on=replied_on)
    return services.case_close(case=case, by=by, closed_on=on or case.answered_on, outcome=outcome,
                               satisfaction=satisfaction)
