from datetime import date

from canlian.common.workdays import add_working_days, is_working_day, working_days_between


def test_national_day_holiday_and_its_make_up_working_days_count_as_the_state_council_set_them():
    # 2025: 10月1日至8日放假，9月28日（周日）、10月11日（周六）上班.
    assert is_working_day(date(2025, 9, 28))
    assert not is_working_day(date(2025, 10, 8))
    assert is_working_day(date(2025, 10, 11))


def test_a_deadline_of_working_days_skips_the_holiday():
    assert add_working_days(date(2025, 9, 30), 1) == date(2025, 10, 9)
    assert add_working_days(date(2025, 9, 30), 0) == date(2025, 9, 30)


def test_working_days_between_counts_after_the_start_up_to_the_end():
    assert working_days_between(date(2025, 9, 30), date(2025, 10, 9)) == 1
    assert working_days_between(date(2025, 10, 9), date(2025, 10, 9)) == 0


def test_beyond_the_published_calendar_weekdays_are_working_days():
    assert is_working_day(date(2099, 3, 2))  # a Monday
    assert not is_working_day(date(2099, 3, 1))  # a Sunday
