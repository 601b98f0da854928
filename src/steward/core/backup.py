"""Backup and restore: one tar.gz with a consistent database snapshot, the media files and a
manifest of SHA-256 checksums. SQLite is copied with its online backup API (a consistent copy
while the site runs); PostgreSQL with ``pg_dump``/``pg_restore`` (custom format).
"""

from __future__ import annotations

import datetime
import hashlib
import io
import json
import os
import shutil
import sqlite3
import subprocess  # pg_dump/pg_restore  # nosec B404
import tarfile
import tempfile
from pathlib import Path
from typing import Any

from django.conf import settings
from django.db import connection

MANIFEST = "manifest.json"
FORMAT_VERSION = 1
SQLITE_NAME = "database.sqlite3"
PG_NAME = "database.pgdump"


class BackupError(Exception):
    pass


def sha256_file(path: Path) -> str:
    digest = hashlib.sha256()
    with path.open("rb") as fh:
        for chunk in iter(lambda: fh.read(1024 * 1024), b""):
            digest.update(chunk)
    return digest.hexdigest()


def _pg_env() -> tuple[list[str], dict[str, str]]:
    db = settings.DATABASES["default"]
    args = []
    if db.get("HOST"):
        args += ["-h", str(db["HOST"])]
    if db.get("PORT"):
        args += ["-p", str(db["PORT"])]
    if db.get("USER"):
        args += ["-U", str(db["USER"])]
    env = {**os.environ}
    if db.get("PASSWORD"):
        env["PGPASSWORD"] = str(db["PASSWORD"])
    return args, env


def _dump_database(workdir: Path) -> Path:
    if connection.vendor == "sqlite":
        target = workdir / SQLITE_NAME
        connection.ensure_connection()
        dest = sqlite3.connect(target)
        try:
            # The online backup API copies a consistent snapshot even while others write.
            connection.connection.backup(dest)
        finally:
            dest.close()
        return target
    if connection.vendor == "postgresql":
        target = workdir / PG_NAME
        args, env = _pg_env()
        subprocess.run(  # noqa: S603  # fixed pg_dump argv from settings, no shell  # nosec B603, B607
            ["pg_dump", "-Fc", "--no-owner", "-f", str(target), *args, connection.settings_dict["NAME"]],  # noqa: S607
            env=env,
            check=True,
            capture_output=True,
        )
        return target
    raise BackupError(f"Backups of {connection.vendor} databases are not supported.")


def create_backup(output: Path) -> dict[str, Any]:
    """Write the archive to ``output``; return its manifest."""
    media = Path(settings.MEDIA_ROOT)
    output.parent.mkdir(parents=True, exist_ok=True)
    with tempfile.TemporaryDirectory() as tmp:
        db_file = _dump_database(Path(tmp))
        files: dict[str, str] = {db_file.name: sha256_file(db_file)}
        media_files = sorted(p for p in media.rglob("*") if p.is_file()) if media.exists() else []
        for path in media_files:
            files["media/" + path.relative_to(media).as_posix()] = sha256_file(path)
        manifest = {
            "format": FORMAT_VERSION,
            "created": datetime.datetime.now(datetime.UTC).isoformat(),
            "engine": connection.vendor,
            "files": files,
        }
        partial = output.with_name(output.name + ".partial")
        with tarfile.open(partial, "w:gz") as tar:
            body = json.dumps(manifest, indent=2).encode()
            info = tarfile.TarInfo(MANIFEST)
            info.size = len(body)
            tar.addfile(info, io.BytesIO(body))
            tar.add(db_file, arcname=db_file.name)
            for path in media_files:
                tar.add(path, arcname="media/" + path.relative_to(media).as_posix())
        partial.replace(output)  # never leave a half-written archive under the final name
    return manifest


def _safe_extract(archive: Path, target: Path) -> dict[str, Any]:
    with tarfile.open(archive, "r:gz") as tar:
        members = tar.getmembers()
        for member in members:
            name = Path(member.name)
            if name.is_absolute() or ".." in name.parts or not (member.isfile() or member.isdir()):
                raise BackupError(f"Refusing archive entry {member.name!r} (unsafe path or link).")
        tar.extractall(target, filter="data")
    manifest_path = target / MANIFEST
    if not manifest_path.exists():
        raise BackupError("The archive has no manifest.json.")
    manifest = json.loads(manifest_path.read_text())
    if manifest.get("format") != FORMAT_VERSION:
        raise BackupError(f"Unknown backup format {manifest.get('format')!r}.")
    listed = manifest.get("files", {})
    present = {
        p.relative_to(target).as_posix() for p in target.rglob("*") if p.is_file() and p.name != MANIFEST
    }
    for name in sorted(present - set(listed)):
        raise BackupError(f"{name} is in the archive but not in its manifest.")
    for name, checksum in sorted(listed.items()):
        path = target / name
        if not path.is_file():
            raise BackupError(f"{name} is listed in the manifest but missing from the archive.")
        if sha256_file(path) != checksum:
            raise BackupError(f"Checksum mismatch for {name}: the archive was altered or damaged.")
    return manifest


def restore_backup(archive: Path) -> dict[str, Any]:
    """Check every checksum first; then replace the database and the media files."""
    with tempfile.TemporaryDirectory() as tmp:
        work = Path(tmp)
        manifest = _safe_extract(archive, work)
        if manifest["engine"] != connection.vendor:
            raise BackupError(
                f"This backup is of a {manifest['engine']} database; this site runs {connection.vendor}."
            )
        if connection.vendor == "sqlite":
            source = sqlite3.connect(work / SQLITE_NAME)
            try:
                connection.ensure_connection()
                source.backup(connection.connection)
            finally:
                source.close()
        else:
            args, env = _pg_env()
            subprocess.run(  # noqa: S603  # fixed pg_restore argv from settings, no shell  # nosec B603, B607
                [  # noqa: S607
                    "pg_restore",
                    "--clean",
                    "--if-exists",
                    "--no-owner",
                    "--single-transaction",
                    "-d",
                    connection.settings_dict["NAME"],
                    *args,
                    str(work / PG_NAME),
                ],  # fmt: skip
                env=env,
                check=True,
                capture_output=True,
            )
        media = Path(settings.MEDIA_ROOT)
        staged = work / "media"
        if media.exists():
            shutil.rmtree(media)
        if staged.exists():
            shutil.copytree(staged, media)
        else:
            media.mkdir(parents=True, exist_ok=True)
    return manifest
