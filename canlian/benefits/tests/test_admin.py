"""Standards are policy data with effective dates: a new amount starts on a date, paid months keep theirs."""

from datetime import timedelta

from django.utils import timezone

from canlian.benefits.demo import demo_standards_load
from canlian.benefits.models import Standard


def _add(client, day, period="month"):
    return client.post("/admin/benefits/standard/add/", {
        "scheme": "living_allowance", "amount": "130.00", "period": period, "effective_from": day.isoformat(),
        "grade": "", "area": "", "source": "测试"})


def test_a_new_standard_cannot_start_in_the_past(admin_user, client):
    client.force_login(admin_user)
    response = _add(client, timezone.localdate() - timedelta(days=1))
    assert response.status_code == 200
    assert "已过去的月份保持原标准" in response.content.decode()
    assert not Standard.objects.exists()


def test_a_new_standard_from_tomorrow_is_recorded_with_who_entered_it(admin_user, client):
    client.force_login(admin_user)
    response = _add(client, timezone.localdate() + timedelta(days=1))
    assert response.status_code == 302
    assert Standard.objects.get().created_by == admin_user


def test_standards_are_never_edited_or_deleted(admin_user, client):
    demo_standards_load()
    client.force_login(admin_user)
    standard = Standard.objects.first()
    client.post(f"/admin/benefits/standard/{standard.pk}/change/", {"amount": "999"})
    client.post(f"/admin/benefits/standard/{standard.pk}/delete/", {"post": "yes"})
    standard.refresh_from_db()
    assert standard.amount != 999


def test_one_standard_per_scheme_and_day_for_everyone_in_the_database(db):
    from datetime import date

    import pytest
    from django.db import IntegrityError, transaction

    Standard.objects.create(scheme="living_allowance", effective_from=date(2027, 1, 1), amount=130, source="a")
    with pytest.raises(IntegrityError), transaction.atomic():
        Standard.objects.create(scheme="living_allowance", effective_from=date(2027, 1, 1), amount=140, source="b")
    Standard.objects.create(scheme="living_allowance", effective_from=date(2027, 1, 1), amount=150, grade=1,
                            source="a grade's own standard may start the same day")


def test_a_monthly_subsidy_cannot_be_given_a_yearly_amount(admin_user, client):
    client.force_login(admin_user)
    response = _add(client, timezone.localdate() + timedelta(days=1), period="year")
    assert "生活补贴和护理补贴按月发放" in response.content.decode()
    assert not Standard.objects.exists()
