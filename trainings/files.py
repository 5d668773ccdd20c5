"""Checks an uploaded material by its content, not its name, and makes a safe display name.

The type comes from the first bytes (PDF, JPEG, PNG) or, for a zip, from the package's
``[Content_Types].xml`` (docx, xlsx, pptx). The name's extension must agree with the content:
a program renamed to ``.pdf`` is refused, and so is a picture renamed to ``.pdf``.
"""

from __future__ import annotations

import re
import unicodedata
import zipfile
from typing import IO

from django.utils.translation import gettext as _

MAX_UPLOAD_BYTES = 20 * 1024 * 1024
_CONTENT_TYPES_LIMIT = 1024 * 1024  # a real [Content_Types].xml is a few kB

EXTENSIONS = {
    "pdf": "pdf",
    "docx": "docx",
    "xlsx": "xlsx",
    "pptx": "pptx",
    "jpg": "jpg",
    "jpeg": "jpg",
    "png": "png",
}
CONTENT_TYPES = {
    "pdf": "application/pdf",
    "docx": "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
    "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    "pptx": "application/vnd.openxmlformats-officedocument.presentationml.presentation",
    "jpg": "image/jpeg",
    "png": "image/png",
}
_OOXML_MAIN = {
    b"wordprocessingml.document.main+xml": "docx",
    b"spreadsheetml.sheet.main+xml": "xlsx",
    b"presentationml.presentation.main+xml": "pptx",
}
_UNSAFE = re.compile(r"[^\w\s.\-()]+", re.UNICODE)


class UploadRefused(ValueError):
    """The file may not be stored; the message says why, in the user's language."""


def check_name(name: str) -> tuple[str, str]:
    """(sanitized display name, kind from the extension) or UploadRefused.

    A name that tries to reach another folder (``../``, ``/``, ``\\``) or hides control
    characters is refused outright rather than silently cleaned: someone typed it on purpose.
    """
    if not name or not name.strip():
        raise UploadRefused(_("The file has no name."))
    if "/" in name or "\\" in name or ".." in name or name.startswith("."):
        raise UploadRefused(_("The file name may not contain a folder path (/, \\ or ..)."))
    if any(unicodedata.category(ch).startswith("C") for ch in name):
        raise UploadRefused(_("The file name contains invalid characters."))
    stem, dot, ext = name.strip().rpartition(".")
    kind = EXTENSIONS.get(ext.lower()) if dot else None
    if kind is None:
        raise UploadRefused(
            _("Only PDF, Word (docx), Excel (xlsx), PowerPoint (pptx), JPEG and PNG files.")
        )
    stem = _UNSAFE.sub("_", unicodedata.normalize("NFC", stem)).strip(" ._") or "tai-lieu"
    return f"{stem[:150]}.{ext.lower()}", kind


def sniff(fileobj: IO[bytes]) -> str | None:
    """The kind of file by its content, or None when it is none of the allowed kinds."""
    fileobj.seek(0)
    head = fileobj.read(8)
    fileobj.seek(0)
    if head.startswith(b"%PDF-"):
        return "pdf"
    if head.startswith(b"\xff\xd8\xff"):
        return "jpg"
    if head.startswith(b"\x89PNG\r\n\x1a\n"):
        return "png"
    if head.startswith(b"PK\x03\x04"):
        try:
            with zipfile.ZipFile(fileobj) as archive:
                info = archive.getinfo("[Content_Types].xml")
                if info.file_size > _CONTENT_TYPES_LIMIT:
                    return None
                content = archive.read(info)
        except (zipfile.BadZipFile, KeyError, OSError, RuntimeError, ValueError):
            return None
        finally:
            fileobj.seek(0)
        for marker, kind in _OOXML_MAIN.items():
            if marker in content:
                return kind
    return None


def check_upload(*, name: str, fileobj: IO[bytes], size: int) -> tuple[str, str]:
    """(safe display name, kind) for a file that may be stored, else UploadRefused."""
    display, kind_by_name = check_name(name)
    if size > MAX_UPLOAD_BYTES:
        raise UploadRefused(
            _("The file is too large (%(size)s MB); the limit is %(limit)s MB.")
            % {"size": f"{size / 1024 / 1024:.1f}", "limit": MAX_UPLOAD_BYTES // 1024 // 1024}
        )
    if size == 0:
        raise UploadRefused(_("The file is empty."))
    kind = sniff(fileobj)
    if kind is None:
        raise UploadRefused(
            _("The content of this file is not an allowed type (PDF, docx, xlsx, pptx, JPEG, PNG).")
        )
    if kind != kind_by_name:
        raise UploadRefused(
            _("The file's name says .%(ext)s but its content is %(kind)s.")
            % {"ext": display.rpartition(".")[2], "kind": kind.upper()}
        )
    return display, kind
