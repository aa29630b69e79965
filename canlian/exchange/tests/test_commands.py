"""`canlian import` and the task worker, as an operator runs them."""

from datetime import date
from io import StringIO

import pytest
from django.core.management import CommandError, call_command

from canlian.exchange import tasks
from canlian.exchange.models import ImportBatch
from canlian.exchange.tests.factories import batch_create, write_csv
from canlian.registry.models import AssistanceStatus
from canlian.registry.tests.factories import make_certificate, make_person


@pytest.fixture(autouse=True)
def _imports_in_tmp(settings, tmp_path):
    settings.IMPORT_DIR = tmp_path / "imports"


@pytest.fixture
def dibao_list(officer, areas, tmp_path):
    person = make_person(by=officer, area=areas["beijiang"], name="张三丰")
    make_certificate(person=person, by=officer, category=4, grade=2)
    return write_csv(tmp_path / "低保.csv", [["姓名", "身份证号", "救助类型", "起始日期"],
                                            ["张三丰", person.id_number, "低保", "2024/1/1"],
                                            ["李四", "152501198001010012", "低保", "2024/1/1"]], encoding="gbk")


def _run(*args) -> str:
    out = StringIO()
    call_command("import", *args, stdout=out, stderr=StringIO())
    return out.getvalue()


def test_import_command_validates_without_changing_anything(officer, dibao_list):
    report = _run("assistance", str(dibao_list), "--user", officer.username, "--date", "2024-06-30")
    assert "将新增 1" in report
    assert "第 3 行 【身份证号】 身份证号校验位错误" in report
    assert "尚未修改任何数据" in report
    assert AssistanceStatus.objects.count() == 0


def test_import_command_with_commit_applies_the_valid_rows(officer, dibao_list):
    report = _run("assistance", str(dibao_list), "--user", officer.username, "--date", "2024-06-30", "--commit")
    assert "导入结果：已导入。新增 1" in report
    assert AssistanceStatus.objects.get().started_on == date(2024, 1, 1)
    again = _run("assistance", str(dibao_list), "--user", officer.username, "--date", "2024-06-30", "--commit")
    assert "未做任何修改" in again
    assert AssistanceStatus.objects.count() == 1


def test_import_command_names_the_missing_column(officer, tmp_path):
    path = write_csv(tmp_path / "bad.csv", [["姓名", "身份证号"], ["张三", "152501198001010011"]])
    with pytest.raises(CommandError, match="缺少必填列：救助类型、起始日期"):
        _run("assistance", str(path), "--user", officer.username)


def test_import_command_refuses_an_unknown_user(officer, dibao_list):
    with pytest.raises(CommandError, match="没有启用的用户"):
        _run("assistance", str(dibao_list), "--user", "nobody")


@pytest.mark.django_db(transaction=True)
def test_database_worker_runs_a_queued_validation(settings, officer, areas, dibao_list):
    settings.TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}
    batch = batch_create(dibao_list, by=officer, source="assistance", area=areas["city"],
                         list_date=date(2024, 6, 30))
    tasks.enqueue_validation(batch)  # outside a transaction: queued at once
    batch.refresh_from_db()
    assert batch.state == ImportBatch.State.QUEUED
    call_command("db_worker", "--batch", "--no-startup-delay", stdout=StringIO(), stderr=StringIO())
    batch.refresh_from_db()
    assert batch.state == ImportBatch.State.VALIDATED
    assert (batch.new_count, batch.error_rows) == (1, 1)
