"""Uploaded files: the types we accept (checked by content, not only by name), a size limit, the
original (Japanese) name cleaned, and storage under a generated name in a folder per domain.

A domain keeps its own rules (who may upload, how many files, the audit entry) and calls
`read_upload` then `store`; anything refused raises `UploadRefused` with a translated message.
"""
from __future__ import annotations

import io
import secrets
import unicodedata
import zipfile
from dataclasses import dataclass
from pathlib import Path

from flask import current_app
from flask_babel import gettext as _
from werkzeug.datastructures import FileStorage

MAX_NAME_LENGTH = 200

# extension -> content type sent back on download
ALLOWED_TYPES = {
    "pdf": "application/pdf",
    "docx": "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
    "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    "pptx": "application/vnd.openxmlformats-officedocument.presentationml.presentation",
    "png": "image/png",
    "jpg": "image/jpeg",
    "jpeg": "image/jpeg",
    "txt": "text/plain; charset=utf-8",
    "csv": "text/csv; charset=utf-8",
}
# Office Open XML: a zip with a content-types part and the folder of its application
OOXML_PARTS = {"docx": "word/", "xlsx": "xl/", "pptx": "ppt/"}


class UploadRefused(Exception):
    """The file breaks a rule; the message (already translated) says which and is shown to the user."""


@dataclass(frozen=True)
class Upload:
    """A file that passed the checks, not yet stored."""

    original_name: str
    extension: str
    data: bytes

    @property
    def content_type(self) -> str:
        return ALLOWED_TYPES[self.extension]

    @property
    def size(self) -> int:
        return len(self.data)


def allowed_extensions() -> str:
    return ", ".join(sorted(ALLOWED_TYPES))


def max_bytes() -> int:
    """The size limit of one uploaded file (``UPLOAD_MAX_BYTES``)."""
    return int(current_app.config["UPLOAD_MAX_BYTES"])


def megabytes(limit: int) -> str:
    """A byte limit as people read it: 10485760 -> "10", 1572864 -> "1.5"."""
    return f"{round(limit / 1024 / 1024, 1):g}"


def clean_name(filename: str | None) -> str:
    """The original (Japanese) name kept as data: NFC, without folder part or control characters, at most 200 chars."""
    name = unicodedata.normalize("NFC", filename or "").replace("\\", "/").rsplit("/", 1)[-1]
    name = "".join(ch for ch in name if unicodedata.category(ch)[0] != "C").strip()
    return name[:MAX_NAME_LENGTH]


def extension_of(name: str) -> str:
    return name.rsplit(".", 1)[-1].lower() if "." in name else ""


def content_matches(extension: str, data: bytes) -> bool:
    """Whether the bytes really are what the extension says (a renamed executable is not a PDF)."""
    if extension == "pdf":
        return data.startswith(b"%PDF-")
    if extension == "png":
        return data.startswith(b"\x89PNG\r\n\x1a\n")
    if extension in ("jpg", "jpeg"):
        return data.startswith(b"\xff\xd8\xff")
    if extension in OOXML_PARTS:
        try:
            with zipfile.ZipFile(io.BytesIO(data)) as archive:
                names = archive.namelist()
        except zipfile.BadZipFile:
            return False
        return "[Content_Types].xml" in names and any(n.startswith(OOXML_PARTS[extension]) for n in names)
    if extension in ("txt", "csv"):
        if b"\x00" in data:
            return False
        try:
            data.decode("utf-8")
        except UnicodeDecodeError:
            return False
        return True
    return False


def read_upload(upload: FileStorage) -> Upload:
    """Check the name's type, read at most `max_bytes()`, refuse empty files and content that does not match."""
    limit = max_bytes()
    name = clean_name(upload.filename)
    extension = extension_of(name)
    if extension not in ALLOWED_TYPES:
        raise UploadRefused(_("This type of file is not accepted. Allowed: %(types)s.", types=allowed_extensions()))
    data = upload.stream.read(limit + 1)
    if len(data) > limit:
        raise UploadRefused(_("The file is larger than the limit of %(mb)s MB.", mb=megabytes(limit)))
    if not data:
        raise UploadRefused(_("The file is empty."))
    if not content_matches(extension, data):
        raise UploadRefused(_("The file's content does not match its type (.%(ext)s).", ext=extension))
    return Upload(original_name=name, extension=extension, data=data)


def storage_dir(folder: str) -> Path:
    """instance/uploads/<folder>, created when missing."""
    path = Path(current_app.instance_path) / "uploads" / folder
    path.mkdir(parents=True, exist_ok=True)
    return path


def store(upload: Upload, folder: str) -> str:
    """Write the file under a generated name (never the user's) and return that name."""
    stored_name = f"{secrets.token_hex(16)}.{upload.extension}"
    (storage_dir(folder) / stored_name).write_bytes(upload.data)
    return stored_name


def delete_stored(folder: str, stored_name: str) -> None:
    path = storage_dir(folder) / stored_name
    if path.is_file():
        path.unlink()
