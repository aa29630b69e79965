"""Uploaded documents (scans and photos) checked by what they contain, not by what they are called."""

import hashlib
import unicodedata
import uuid
from io import BytesIO

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile, File
from django.template.defaultfilters import filesizeformat
from django.utils.translation import gettext as _
from PIL import Image, ImageFile, ImageOps, UnidentifiedImageError

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


MAX_IMAGE_PIXELS = 20_000_000  # above a phone's 12-megapixel photo; a "decompression bomb" claiming more is refused unread


def document_cleaned(upload: File) -> File:
    """The upload to keep: a JPEG or PNG decoded and saved again without its metadata (EXIF: where and when a
    photo was taken, the phone); a PDF as it is. A file that claims to be an image and is not is refused; an empty
    or oversized one is left for document_checked to refuse, before anything is decoded."""
    kind = document_type(upload)
    if kind is None or kind[0] == "application/pdf" or not upload.size or upload.size > settings.DOCUMENT_MAX_BYTES:
        return upload
    name = unicodedata.normalize("NFKC", upload.name or "")[-120:]
    upload.seek(0)
    # WeasyPrint turns on Pillow's "load truncated images" for the whole process; a damaged upload must still fail.
    tolerant, ImageFile.LOAD_TRUNCATED_IMAGES = ImageFile.LOAD_TRUNCATED_IMAGES, False
    try:
        with Image.open(upload) as image:
            if image.width * image.height > MAX_IMAGE_PIXELS:
                raise ValidationError(_("“%(name)s”的图像过大（超过 2000 万像素），请缩小后再上传。") % {"name": name})
            image.load()
            fmt = "PNG" if kind[0] == "image/png" else "JPEG"
            # A palette or colour-keyed PNG keeps its transparency too (else it turns black, text and all).
            alpha = "A" in image.getbands() or "transparency" in image.info
            # Turned upright first: the EXIF orientation a phone writes goes with the rest of the metadata.
            pixels = ImageOps.exif_transpose(image).convert("RGBA" if fmt == "PNG" and alpha else "RGB")
            out = BytesIO()
            pixels.save(out, format=fmt, **({"quality": 90} if fmt == "JPEG" else {}))
    except (UnidentifiedImageError, OSError, Image.DecompressionBombError, ValueError):
        raise ValidationError(_("“%(name)s”无法作为图片打开，可能已损坏：请重新拍照或扫描。") % {"name": name}) from None
    finally:
        ImageFile.LOAD_TRUNCATED_IMAGES = tolerant
    upload.seek(0)
    return ContentFile(out.getvalue(), name=name)
