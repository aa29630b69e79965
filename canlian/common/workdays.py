"""Working days (工作日) for deadlines: China's statutory holidays and make-up working days (调休), from the
chinesecalendar package; beyond the years it has published, Monday to Friday."""

from datetime import date, timedelta

import chinese_calendar


def is_working_day(day: date) -> bool:
    try:
        return chinese_calendar.is_workday(day)
    except NotImplementedError:
        # The State Council publishes next year's holidays each autumn; until the package has them, weekdays.
        return day.weekday() < 5


def add_working_days(start: date, days: int) -> date:
    """The day on which `days` working days after `start` have passed (a deadline of N 工作日)."""
    day = start
    remaining = days
    while remaining > 0:
        day += timedelta(days=1)
        remaining -= is_working_day(day)
    return day


def working_days_between(start: date, end: date) -> int:
    """Working days after `start` up to and including `end` (0 when end is not after start)."""
    return sum(is_working_day(start + timedelta(days=n)) for n in range(1, (end - start).days + 1))
