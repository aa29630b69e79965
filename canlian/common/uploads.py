"""Uploaded documents (scans and photos) checked by what they contain, not by what they are called."""

import hashlib
import unicodedata
import uuid

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.files.base import File
from django.template.defaultfilters import filesizeformat
from django.utils.translation import gettext as _

# The first bytes of each accepted type: a renamed .exe or .html is not a PDF whatever its name says.
_SIGNATURES = {b"%PDF-": ("application/pdf", "pdf"), b"\xff\xd8\xff": ("image/jpeg", "jpg"),
               b"\x89PNG\r\n\x1a\n": ("image/png", "png")}


def document_type(upload: File) -> tuple[str, str] | None:
    """(content type, extension) from the file's first bytes, or None when it is not a PDF, JPEG or PNG."""
    upload.seek(0)
    head = upload.read(8)
    upload.seek(0)
    return next((kind for signature, kind in _SIGNATURES.items() if head.startswith(signature)), None)


def document_checked(upload: File) -> dict:
    """Check one upload; returns what to store (a random file name, its type, size and SHA-256) or raises with
    a message naming the file."""
    name = unicodedata.normalize("NFKC", upload.name or "")[-120:]
    if not upload.size:
        raise ValidationError(_("“%(name)s”是空文件，请重新扫描或拍照。") % {"name": name})
    if upload.size > settings.DOCUMENT_MAX_BYTES:
        raise ValidationError(_("“%(name)s”有 %(size)s，超过 %(max)s 的上限：请压缩后再上传。") % {
            "name": name, "size": filesizeformat(upload.size), "max": filesizeformat(settings.DOCUMENT_MAX_BYTES)})
    kind = document_type(upload)
    if kind is None:
        raise ValidationError(_("“%(name)s”不是 PDF、JPEG 或 PNG 文件（按文件内容判断）：请上传扫描件或照片。")
                              % {"name": name})
    digest = hashlib.sha256()
    for chunk in upload.chunks():
        digest.update(chunk)
    upload.seek(0)
    return {"name": name, "content_type": kind[0], "size": upload.size, "sha256": digest.hexdigest(),
            "stored_name": f"{uuid.uuid4().hex}.{kind[1]}"}
