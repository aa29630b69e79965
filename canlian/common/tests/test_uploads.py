"""Uploaded documents: images are kept without the metadata a phone writes into them (where and when, which phone),
a damaged or oversized image is refused, a PDF is kept as it came."""

import struct
import zlib
from io import BytesIO

import pytest
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from PIL import Image
from PIL.PngImagePlugin import PngInfo

from canlian.common.uploads import document_checked, document_cleaned

PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"


def _exif() -> Image.Exif:
    exif = Image.Exif()
    exif[0x010F] = "HUAWEI"  # Make
    exif[0x0110] = "P60 Pro"  # Model
    exif[0x0132] = "2025:09:30 08:15:00"  # DateTime
    exif[0x010E] = "13900000001"  # ImageDescription: anything a phone or an app writes
    return exif


def jpeg_with_exif(size=(64, 48)) -> bytes:
    out = BytesIO()
    Image.new("RGB", size, (200, 30, 30)).save(out, format="JPEG", exif=_exif())
    return out.getvalue()


def _upload(name: str, content: bytes, kind: str = "image/jpeg") -> SimpleUploadedFile:
    return SimpleUploadedFile(name, content, content_type=kind)


def _png_header(width: int, height: int) -> bytes:
    """A PNG whose header claims a size; the pixels are not there (nor needed to refuse it)."""
    def chunk(kind: bytes, data: bytes) -> bytes:
        return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data))

    return (b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", struct.pack(">IIBBBBB", width, height, 8, 2, 0, 0, 0))
            + chunk(b"IDAT", zlib.compress(b"\x00" * 16)) + chunk(b"IEND", b""))


def test_a_photo_is_kept_without_its_exif():
    original = jpeg_with_exif()
    assert b"HUAWEI" in original and Image.open(BytesIO(original)).getexif()
    cleaned = document_cleaned(_upload("身份证.jpg", original))
    content = cleaned.read()
    assert b"HUAWEI" not in content and b"13900000001" not in content and b"Exif" not in content
    with Image.open(BytesIO(content)) as image:
        assert image.format == "JPEG" and image.size == (64, 48)
        assert not image.getexif() and "exif" not in image.info
    assert cleaned.name == "身份证.jpg"
    assert document_checked(cleaned)["content_type"] == "image/jpeg"


def test_a_png_keeps_its_transparency_and_loses_its_text_and_exif():
    image = Image.new("RGBA", (20, 10), (0, 128, 0, 255))
    image.putpixel((0, 0), (0, 0, 0, 0))
    info = PngInfo()
    info.add_text("Author", "张三丰 13900000001")
    out = BytesIO()
    image.save(out, format="PNG", pnginfo=info, exif=_exif())
    assert b"13900000001" in out.getvalue()
    cleaned = document_cleaned(_upload("户口簿.png", out.getvalue(), "image/png")).read()
    assert b"13900000001" not in cleaned and b"HUAWEI" not in cleaned
    with Image.open(BytesIO(cleaned)) as kept:
        assert kept.format == "PNG" and kept.mode == "RGBA"
        assert kept.getpixel((0, 0))[3] == 0 and kept.getpixel((5, 5)) == (0, 128, 0, 255)
        assert "Author" not in kept.info


def test_a_png_without_transparency_stays_without_it():
    out = BytesIO()
    Image.new("P", (8, 8)).save(out, format="PNG")
    with Image.open(BytesIO(document_cleaned(_upload("扫描.png", out.getvalue(), "image/png")).read())) as kept:
        assert kept.mode == "RGB"


def test_a_truncated_jpeg_is_refused_as_damaged():
    whole = jpeg_with_exif(size=(400, 300))
    with pytest.raises(ValidationError, match=r"“残疾人证\.jpg”无法作为图片打开，可能已损坏"):
        document_cleaned(_upload("残疾人证.jpg", whole[: len(whole) // 2]))


@pytest.mark.parametrize("content", [b"\xff\xd8\xff\xe0" + b"not a picture at all" * 10,
                                     b"\x89PNG\r\n\x1a\n" + b"\x00" * 32])
def test_a_file_that_only_starts_like_an_image_is_refused(content):
    with pytest.raises(ValidationError, match="无法作为图片打开"):
        document_cleaned(_upload("照片.jpg", content))


def test_an_image_over_twenty_megapixels_is_refused_without_being_decoded():
    with pytest.raises(ValidationError, match="图像过大（超过 2000 万像素）"):
        document_cleaned(_upload("大图.png", _png_header(10_000, 6_000), "image/png"))


def test_a_decompression_bomb_is_refused():
    with pytest.raises(ValidationError, match="无法作为图片打开"):
        document_cleaned(_upload("炸弹.png", _png_header(40_000, 40_000), "image/png"))


def test_a_pdf_passes_through_unchanged():
    upload = _upload("证明.pdf", PDF, "application/pdf")
    kept = document_cleaned(upload)
    assert kept is upload
    assert kept.read() == PDF


def test_what_is_neither_image_nor_pdf_is_left_to_the_check_that_refuses_it():
    upload = _upload("setup.png", b"MZ\x90\x00 this is a program", "image/png")
    assert document_cleaned(upload) is upload
    with pytest.raises(ValidationError, match="不是 PDF、JPEG 或 PNG 文件（按文件内容判断）"):
        document_checked(upload)


def test_a_photo_taken_sideways_is_kept_upright_once_its_orientation_tag_is_gone():
    exif = _exif()
    exif[0x0112] = 6  # Orientation: rotate 90° clockwise to show
    out = BytesIO()
    Image.new("RGB", (64, 48), (200, 30, 30)).save(out, format="JPEG", exif=exif)
    with Image.open(BytesIO(document_cleaned(_upload("竖拍.jpg", out.getvalue())).read())) as kept:
        assert kept.size == (48, 64) and not kept.getexif()


@pytest.mark.parametrize("mode", ["P", "RGB"])
def test_a_png_with_a_transparent_colour_keeps_it(mode):
    image = Image.new(mode, (8, 8), 1 if mode == "P" else (255, 255, 255))
    image.putpixel((0, 0), 0 if mode == "P" else (0, 0, 0))
    out = BytesIO()
    image.save(out, format="PNG", transparency=0 if mode == "P" else (0, 0, 0))
    with Image.open(BytesIO(document_cleaned(_upload("透明.png", out.getvalue(), "image/png")).read())) as kept:
        assert kept.mode == "RGBA"
        assert kept.getpixel((0, 0))[3] == 0 and kept.getpixel((4, 4))[3] == 255
