"""The English locale is complete: every message translated, none fuzzy, the compiled file current."""

import re
import shutil
from pathlib import Path

from django.conf import settings
from django.core.management import call_command
from django.test import override_settings
from django.utils import translation

PO = Path(settings.BASE_DIR) / "locale" / "en" / "LC_MESSAGES" / "django.po"


def _entries(text: str):
    for block in text.split("\n\n"):
        if "msgid " not in block or re.search(r'^msgid ""\nmsgstr ""\n"Project', block, re.M):
            continue
        yield block


def _untranslated(po_text: str) -> list[str]:
    untranslated = []
    for block in _entries(po_text):
        if block.startswith('msgid ""\nmsgstr ""'):
            continue
        if "#, fuzzy" in block:
            untranslated.append(block)
            continue
        strings = re.findall(r'^msgstr(?:\[\d\])? "(.*)"((?:\n".*")*)', block, re.M)
        if any(not (first + "".join(re.findall(r'"(.*)"', rest))) for first, rest in strings):
            untranslated.append(block)
    return untranslated


def test_every_message_has_an_english_translation():
    untranslated = _untranslated(PO.read_text(encoding="utf-8"))
    assert not untranslated, "untranslated or fuzzy messages:\n\n" + "\n\n".join(untranslated[:10])


def test_the_catalogue_covers_every_message_in_the_source(tmp_path, monkeypatch):
    """Extract the messages afresh (as `make messages` does) and find none without a translation."""
    source = tmp_path / "src"
    for folder in ("canlian", "templates"):
        shutil.copytree(Path(settings.BASE_DIR) / folder, source / folder,
                        ignore=shutil.ignore_patterns("tests", "__pycache__", "migrations"))
    target = source / "locale" / "en" / "LC_MESSAGES"
    target.mkdir(parents=True)
    shutil.copy(PO, target / "django.po")
    monkeypatch.chdir(source)  # makemessages writes beside the sources it reads: work on a copy
    with override_settings(LOCALE_PATHS=[str(source / "locale")]):
        call_command("makemessages", locale=["en"], verbosity=0, no_obsolete=True)
    untranslated = _untranslated((target / "django.po").read_text(encoding="utf-8"))
    assert not untranslated, "run `make messages` and translate:\n\n" + "\n\n".join(untranslated[:10])


def test_pages_speak_english_when_chosen(client):
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    page = client.get("/accounts/login/")
    assert page.headers["Content-Language"] == "en"
    assert 'lang="en"' in page.content.decode()
    with translation.override("en"):
        assert translation.gettext("登录") != "登录"


def test_chinese_is_the_default_whatever_the_browser_says(client):
    page = client.get("/accounts/login/", headers={"accept-language": "en-US,en;q=0.9"})
    assert 'lang="zh-Hans"' in page.content.decode()
    assert "工作人员登录" in page.content.decode()
