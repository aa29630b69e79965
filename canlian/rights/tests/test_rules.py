"""The deadline rules of rights cases (办结期限), as pure functions over dates: a case is due N working days after it
was received, China's statutory holidays skipped and the make-up working days (调休) counted; the handler is
reminded a few working days before; and where a case stands against its deadline is said as an officer would."""

from datetime import date, timedelta

from hypothesis import given
from hypothesis import strategies as st

from canlian.common.workdays import is_working_day, working_days_between
from canlian.rights.rules import due_on, reminder_day, timeliness

# 2025: National Day and Mid-Autumn 10-01 to 10-08 off, Sunday 09-28 and Saturday 10-11 worked;
# Spring Festival 01-28 to 02-04 off, Sunday 01-26 and Saturday 02-08 worked (国务院办公厅 2024 年 11 月通知).
NATIONAL_DAY_EVE = date(2025, 9, 30)


# ---- 办结期限: working days after the day received -------------------------------------------------------------

def test_a_consultation_received_the_day_before_national_day_is_due_on_the_make_up_saturday_after_it():
    # 3 working days: 10-09, 10-10 and Saturday 10-11; the eight days off do not count.
    assert due_on(NATIONAL_DAY_EVE, 3) == date(2025, 10, 11)


def test_a_legal_aid_case_received_the_day_before_national_day_is_due_five_working_days_after_the_holiday():
    assert due_on(NATIONAL_DAY_EVE, 5) == date(2025, 10, 14)


def test_the_make_up_sunday_before_national_day_counts_as_a_working_day():
    assert due_on(date(2025, 9, 26), 1) == date(2025, 9, 28)


def test_a_case_received_during_the_holiday_counts_from_the_first_working_day_after_it():
    assert due_on(date(2025, 10, 3), 1) == date(2025, 10, 9)


def test_a_consultation_received_the_friday_before_spring_festival_is_due_the_first_day_back():
    # Sunday 01-26 and Monday 01-27 are worked, then nothing until Wednesday 02-05.
    assert due_on(date(2025, 1, 24), 3) == date(2025, 2, 5)


def test_a_help_request_received_on_the_eve_of_spring_festival_is_due_ten_working_days_after_the_holiday():
    # 02-05, 06, 07, Saturday 08, 10, 11, 12, 13, 14, 17.
    assert due_on(date(2025, 1, 27), 10) == date(2025, 2, 17)


# ---- 到期提醒: a few working days before ---------------------------------------------------------------------

def test_the_reminder_for_a_deadline_just_after_the_holiday_falls_before_it():
    # Due Thursday 10-09: the two working days before it are 09-30 and 09-29, on the other side of the holiday.
    assert reminder_day(date(2025, 10, 9), 2) == date(2025, 9, 29)


def test_the_reminder_for_a_deadline_on_the_make_up_saturday_falls_on_the_first_day_back():
    assert reminder_day(date(2025, 10, 11), 2) == date(2025, 10, 9)


def test_the_reminder_can_fall_on_a_make_up_sunday():
    assert reminder_day(date(2025, 2, 5), 2) == date(2025, 1, 26)


def test_with_no_reminder_days_the_reminder_is_the_deadline_itself():
    assert reminder_day(date(2025, 10, 14), 0) == date(2025, 10, 14)


# ---- Where a case stands (on time, due soon, overdue, closed) -------------------------------------------------

def test_a_case_with_more_than_the_reminder_days_left_is_on_time():
    status = timeliness(due=date(2025, 10, 14), today=NATIONAL_DAY_EVE, remind_working_days=2)
    # Left: 10-09, 10-10, 10-11, 10-13, 10-14.
    assert (status.status, status.text) == ("on_time", "期限 2025-10-14，还剩 5 个工作日")


def test_a_case_with_the_reminder_days_left_is_due_soon():
    status = timeliness(due=date(2025, 10, 14), today=date(2025, 10, 11), remind_working_days=2)
    assert (status.status, status.text) == ("due_soon", "还剩 2 个工作日（期限 2025-10-14）")


def test_holidays_do_not_count_as_days_left():
    # Six calendar days before the deadline, but only one working day: due soon during the holiday.
    status = timeliness(due=date(2025, 10, 9), today=date(2025, 10, 3), remind_working_days=2)
    assert (status.status, status.text) == ("due_soon", "还剩 1 个工作日（期限 2025-10-09）")


def test_a_case_open_on_its_deadline_is_due_today_not_overdue():
    status = timeliness(due=date(2025, 10, 14), today=date(2025, 10, 14), remind_working_days=2)
    assert (status.status, status.text) == ("due_soon", "今天到期（期限 2025-10-14）")


def test_an_open_case_past_its_deadline_is_overdue_by_the_working_days_since():
    status = timeliness(due=NATIONAL_DAY_EVE, today=date(2025, 10, 10), remind_working_days=2)
    assert (status.status, status.text) == ("overdue", "已超期 2 个工作日（期限 2025-09-30）")


def test_an_open_case_past_its_deadline_during_a_holiday_is_overdue_by_at_least_one_day():
    status = timeliness(due=NATIONAL_DAY_EVE, today=date(2025, 10, 5), remind_working_days=2)
    assert (status.status, status.text) == ("overdue", "已超期 1 个工作日（期限 2025-09-30）")


def test_a_case_closed_by_its_deadline_was_closed_on_time_whatever_the_day_now():
    for closed_on in (date(2025, 10, 13), date(2025, 10, 14)):
        status = timeliness(due=date(2025, 10, 14), today=date(2026, 3, 1), remind_working_days=2,
                            closed_on=closed_on)
        assert (status.status, status.text) == ("done", "按期办结（期限 2025-10-14）")


def test_a_case_closed_after_its_deadline_says_by_how_many_working_days():
    status = timeliness(due=date(2025, 9, 29), today=date(2026, 3, 1), remind_working_days=2,
                        closed_on=date(2025, 10, 10))
    # Late by 09-30, 10-09 and 10-10; the holiday between does not count.
    assert (status.status, status.text) == ("done", "超期 3 个工作日办结（期限 2025-09-29）")


def test_a_case_closed_on_a_holiday_after_its_deadline_was_closed_late_not_zero_days_late():
    status = timeliness(due=NATIONAL_DAY_EVE, today=date(2026, 3, 1), remind_working_days=2,
                        closed_on=date(2025, 10, 2))
    assert (status.status, status.text) == ("done", "超期 1 个工作日办结（期限 2025-09-30）")


# ---- The rules agree with each other, on any day --------------------------------------------------------------

days = st.dates(min_value=date(2016, 1, 1), max_value=date(2026, 12, 31))
deadlines = st.integers(min_value=1, max_value=42)
reminders = st.integers(min_value=0, max_value=5)


@given(received=days, working_days=deadlines)
def test_the_deadline_is_a_working_day_exactly_the_working_days_after_receipt(received, working_days):
    due = due_on(received, working_days)
    assert is_working_day(due)
    assert working_days_between(received, due) == working_days


@given(received=days, working_days=deadlines, remind=reminders, offset=st.integers(min_value=-70, max_value=70))
def test_a_case_is_due_soon_exactly_from_its_reminder_day_to_its_deadline(received, working_days, remind, offset):
    # The sweep reminds the handler on reminder_day; the pages say "还剩 …" from the same day: the two must agree.
    due = due_on(received, working_days)
    today = due + timedelta(days=offset)
    status = timeliness(due=due, today=today, remind_working_days=remind).status
    assert (status == "due_soon") == (reminder_day(due, remind) <= today <= due)
    assert (status == "overdue") == (today > due)


@given(received=days, working_days=deadlines, remind=reminders)
def test_the_reminder_day_is_a_working_day_with_the_reminder_days_left(received, working_days, remind):
    due = due_on(received, working_days)
    day = reminder_day(due, remind)
    assert is_working_day(day) and day <= due
    assert working_days_between(day, due) == remind


def test_a_petitions_deadline_is_never_later_than_the_sixty_days_the_regulation_gives():
    # 42 working days from 2025-09-26 cross the National Day week and land on 2025-12-01, 66 days on: the 信访工作条例
    # counts 60 days, so the deadline is 2025-11-25.
    assert due_on(date(2025, 9, 26), 42) == date(2025, 12, 1)
    assert due_on(date(2025, 9, 26), 42, 60) == date(2025, 11, 25)
    assert due_on(date(2025, 3, 3), 42, 60) == date(2025, 4, 30)  # no holiday in between: the working days end first
