"""Text messages (短信) through a pluggable backend: `SMS_BACKEND` names a class with `send(phone, text)`.

The default writes each message as a JSON line to `CANLIAN_DATA_DIR/sms/outbox.jsonl` and to the log, so the
platform works offline and tests read the codes; a province sets its SMS gateway's class instead."""

import json
import logging
from functools import cache

from django.conf import settings
from django.utils import timezone
from django.utils.module_loading import import_string

logger = logging.getLogger("canlian.sms")


class FileBackend:
    def send(self, phone: str, text: str) -> None:
        outbox = settings.DATA_DIR / "sms" / "outbox.jsonl"
        outbox.parent.mkdir(parents=True, exist_ok=True)
        with outbox.open("a", encoding="utf-8") as file:
            file.write(json.dumps({"at": timezone.now().isoformat(), "phone": phone, "text": text},
                                  ensure_ascii=False) + "\n")
        logger.info("短信已写入发件箱：%s****%s", phone[:3], phone[-4:])  # never the text: it holds the code


@cache
def _backend():
    return import_string(settings.SMS_BACKEND)()


def sms_send(phone: str, text: str) -> None:
    _backend().send(phone, text)


def outbox_last(phone: str) -> str | None:
    """The last message the file backend wrote to a phone (for the demo and the tests)."""
    outbox = settings.DATA_DIR / "sms" / "outbox.jsonl"
    if not outbox.exists():
        return None
    lines = [json.loads(line) for line in outbox.read_text(encoding="utf-8").splitlines() if line.strip()]
    return next((line["text"] for line in reversed(lines) if line["phone"] == phone), None)
