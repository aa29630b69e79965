"""Policy is data with effective dates: a new value starts on a date, past periods keep theirs."""

from datetime import date, timedelta

from django.utils import timezone

from canlian.parameters.models import Parameter
from canlian.parameters.selectors import parameter_int


def test_a_new_value_cannot_start_in_the_past(admin_user, client):
    client.force_login(admin_user)
    yesterday = timezone.localdate() - timedelta(days=1)
    response = client.post("/admin/parameters/parameter/add/", {
        "key": "certificate.expiry_notice_days", "value": "60", "effective_from": yesterday.isoformat(),
        "source": "测试", "note": ""})
    assert response.status_code == 200
    assert "已过去的期间保持原取值" in response.content.decode()
    assert not Parameter.objects.filter(key="certificate.expiry_notice_days", value=60).exists()


def test_a_new_value_from_tomorrow_leaves_today_alone(admin_user, client):
    client.force_login(admin_user)
    tomorrow = timezone.localdate() + timedelta(days=1)
    response = client.post("/admin/parameters/parameter/add/", {
        "key": "certificate.expiry_notice_days", "value": "60", "effective_from": tomorrow.isoformat(),
        "source": "测试", "note": ""})
    assert response.status_code == 302
    assert parameter_int("certificate.expiry_notice_days", on=timezone.localdate()) == 90
    assert parameter_int("certificate.expiry_notice_days", on=tomorrow) == 60
    assert Parameter.history.filter(value=60, history_user=admin_user).exists()


def test_parameters_cannot_be_deleted(admin_user, client):
    client.force_login(admin_user)
    parameter = Parameter.objects.first()
    client.post(f"/admin/parameters/parameter/{parameter.pk}/delete/", {"post": "yes"})
    assert Parameter.objects.filter(pk=parameter.pk).exists()


def test_defaults_are_seeded_from_the_catalogue(db):
    assert parameter_int("certificate.validity_years", on=date(2024, 1, 1)) == 10


def test_a_value_reads_as_officials_write_it(db):
    parameter = Parameter.objects.get(key="household.elder_parent_age")
    assert str(parameter) == "依老养残：父母年龄下限（岁） = 60（2000-01-01 起）"
