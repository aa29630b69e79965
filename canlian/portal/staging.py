"""Documents uploaded during an online application, kept until the application is submitted (暂存).

Each is checked by content when it arrives (PDF, JPEG, PNG; size; an image must open) and stored under a random
name, images already saved again without their metadata; the session keeps the list. Files left by journeys never finished are removed after a
day, by the next upload."""

import time
import uuid
from pathlib import Path

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.files import File
from django.utils.translation import gettext as _

from canlian.common.uploads import document_checked, document_cleaned

KEEP_SECONDS = 24 * 3600


def _folder() -> Path:
    folder = settings.DATA_DIR / "portal-staging"
    folder.mkdir(parents=True, exist_ok=True)
    return folder


def _sweep(folder: Path) -> None:
    cutoff = time.time() - KEEP_SECONDS
    for path in folder.iterdir():
        if path.stat().st_mtime < cutoff:
            path.unlink(missing_ok=True)


def document_stage(upload) -> dict:
    """Check and keep one upload; returns what the session remembers (raises ValidationError with the reason)."""
    upload = document_cleaned(upload)
    facts = document_checked(upload)
    folder = _folder()
    _sweep(folder)
    token = f"{uuid.uuid4().hex}.{facts['stored_name'].rsplit('.', 1)[1]}"
    with (folder / token).open("wb") as target:
        for chunk in upload.chunks():
            target.write(chunk)
    return {"token": token, "name": facts["name"], "size": facts["size"], "content_type": facts["content_type"]}


def staged_files(documents: list[dict]) -> list[File]:
    """The staged documents as files to hand to the application; refused when one is no longer there."""
    paths = [_folder() / Path(document["token"]).name for document in documents]  # never outside the folder
    missing = [document["name"] for document, path in zip(documents, paths, strict=True) if not path.is_file()]
    if missing:  # kept over a day, or uploaded to another server: say so rather than send the application without
        raise ValidationError(_("上传的材料已失效，请返回“上传证明材料”删除后重新上传：%(names)s") % {
            "names": "、".join(missing)})
    return [File(path.open("rb"), name=document["name"]) for document, path in zip(documents, paths, strict=True)]


def staged_discard(documents: list[dict]) -> None:
    for document in documents:
        (_folder() / Path(document["token"]).name).unlink(missing_ok=True)
