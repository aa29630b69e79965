import pytest
from django.core.exceptions import ImproperlyConfigured

from canlian.common.env import env_bool, env_int, env_list, env_str


@pytest.mark.parametrize("value", ["1", "true", "TRUE", "yes", " on "])
def test_env_bool_reads_true_words(monkeypatch, value):
    monkeypatch.setenv("CANLIAN_TEST_FLAG", value)
    assert env_bool("CANLIAN_TEST_FLAG", default=False) is True


@pytest.mark.parametrize("value", ["0", "false", "No", "off", ""])
def test_env_bool_reads_false_words(monkeypatch, value):
    monkeypatch.setenv("CANLIAN_TEST_FLAG", value)
    assert env_bool("CANLIAN_TEST_FLAG", default=True) is False


def test_env_bool_uses_default_when_unset(monkeypatch):
    monkeypatch.delenv("CANLIAN_TEST_FLAG", raising=False)
    assert env_bool("CANLIAN_TEST_FLAG", default=True) is True


def test_env_bool_bad_value_names_the_variable(monkeypatch):
    monkeypatch.setenv("CANLIAN_TEST_FLAG", "maybe")
    with pytest.raises(ImproperlyConfigured, match="CANLIAN_TEST_FLAG") as error:
        env_bool("CANLIAN_TEST_FLAG", default=False)
    assert "'maybe'" in str(error.value)


def test_env_int_reads_integer(monkeypatch):
    monkeypatch.setenv("CANLIAN_TEST_NUMBER", "42")
    assert env_int("CANLIAN_TEST_NUMBER", default=1) == 42


def test_env_int_uses_default_when_unset(monkeypatch):
    monkeypatch.delenv("CANLIAN_TEST_NUMBER", raising=False)
    assert env_int("CANLIAN_TEST_NUMBER", default=7) == 7


@pytest.mark.parametrize("value", ["ten", "1.5", ""])
def test_env_int_bad_value_names_the_variable(monkeypatch, value):
    monkeypatch.setenv("CANLIAN_TEST_NUMBER", value)
    with pytest.raises(ImproperlyConfigured, match="CANLIAN_TEST_NUMBER"):
        env_int("CANLIAN_TEST_NUMBER", default=1)


def test_env_str_without_default_names_the_missing_variable(monkeypatch):
    monkeypatch.delenv("CANLIAN_TEST_TEXT", raising=False)
    with pytest.raises(ImproperlyConfigured, match="CANLIAN_TEST_TEXT"):
        env_str("CANLIAN_TEST_TEXT")


def test_env_list_splits_on_commas_and_drops_blanks(monkeypatch):
    monkeypatch.setenv("CANLIAN_TEST_LIST", " a.example, b.example ,,")
    assert env_list("CANLIAN_TEST_LIST", default=[]) == ["a.example", "b.example"]
