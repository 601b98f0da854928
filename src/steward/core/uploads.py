"""Checks on uploaded files: size, an allow-list of types, safe names, no archive bombs."""

from __future__ import annotations

import mimetypes
import re
import unicodedata
import zipfile
from typing import Any

from django.conf import settings
from django.utils.translation import gettext as _

ALLOWED_TYPES = {
    "application/pdf", "text/plain", "text/csv", "text/markdown", "application/json", "application/xml",
    "text/xml", "image/png", "image/jpeg", "image/gif", "image/webp", "application/zip",
    "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
    "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    "application/vnd.openxmlformats-officedocument.presentationml.presentation",
    "application/vnd.oasis.opendocument.text", "application/vnd.oasis.opendocument.spreadsheet",
    "message/rfc822", "application/yaml", "application/x-yaml",
}  # fmt: skip
MAX_ZIP_RATIO = 100
MAX_ZIP_TOTAL = 512 * 1024 * 1024
ZIP_CONTAINERS = {"application/zip"} | {t for t in ALLOWED_TYPES if "openxml" in t or "opendocument" in t}


class UploadRejected(ValueError):
    pass


def safe_name(name: str) -> str:
    """The file's own name without any path, control or odd characters."""
    name = name.replace("\\", "/").rsplit("/", 1)[-1]
    name = unicodedata.normalize("NFKC", name)
    name = re.sub(r"[^\w.\- ()]+", "_", name).strip(" .")
    return (name or "file")[:200]


def check_upload(upload: Any) -> tuple[str, str]:
    name = safe_name(upload.name or "")
    if upload.size > settings.MAX_UPLOAD_BYTES:
        raise UploadRejected(
            _("%(name)s is larger than the %(mb)d MiB limit.")
            % {"name": name, "mb": settings.MAX_UPLOAD_BYTES // (1024 * 1024)}
        )
    mime = mimetypes.guess_type(name)[0] or "application/octet-stream"
    if name.lower().endswith((".yaml", ".yml")):
        mime = "application/yaml"
    if name.lower().endswith(".md"):
        mime = "text/markdown"
    if mime not in ALLOWED_TYPES:
        raise UploadRejected(
            _("Files of type %(mime)s (%(name)s) are not accepted.") % {"mime": mime, "name": name}
        )
    if mime in ZIP_CONTAINERS:
        upload.seek(0)
        try:
            with zipfile.ZipFile(upload) as archive:
                total = sum(i.file_size for i in archive.infolist())
                packed = sum(i.compress_size for i in archive.infolist()) or 1
        except zipfile.BadZipFile:
            raise UploadRejected(_("%s is not a valid archive.") % name) from None
        if total > MAX_ZIP_TOTAL or total / packed > MAX_ZIP_RATIO:
            raise UploadRejected(_("%s expands too much to be accepted (archive bomb?).") % name)
        upload.seek(0)
    return name, mime
