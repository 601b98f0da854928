"""`steward backup` / `steward restore`: a round trip of demo data compares every table and file."""

from __future__ import annotations

import hashlib
import io
import json
import tarfile
from pathlib import Path

import pytest
from django.conf import settings
from django.core.management import call_command
from django.core.management.base import CommandError
from django.db import connection

from steward.core.models import Tag

pytestmark = pytest.mark.django_db(transaction=True)


def table_fingerprints() -> dict[str, tuple[int, str]]:
    """Every table: row count and a hash of its rows in primary-key (or full-row) order."""
    result = {}
    with connection.cursor() as cursor:
        for table in sorted(connection.introspection.table_names(cursor)):
            quoted = connection.ops.quote_name(table)
            cursor.execute(f"SELECT * FROM {quoted}")  # noqa: S608 - names come from introspection
            rows = sorted(repr(row) for row in cursor.fetchall())
            result[table] = (len(rows), hashlib.sha256("\n".join(rows).encode()).hexdigest())
    return result


def media_fingerprints() -> dict[str, str]:
    media = Path(settings.MEDIA_ROOT)
    return {
        p.relative_to(media).as_posix(): hashlib.sha256(p.read_bytes()).hexdigest()
        for p in media.rglob("*")
        if p.is_file()
    }


@pytest.fixture
def populated():
    call_command("demo", scale=0.05, stdout=io.StringIO())
    media = Path(settings.MEDIA_ROOT)
    (media / "attachments" / "2026").mkdir(parents=True, exist_ok=True)
    (media / "attachments" / "2026" / "contract.pdf").write_bytes(b"%PDF-1.7 " + bytes(range(256)) * 40)
    (media / "notes.txt").write_text("notes ✓")


def test_round_trip_restores_every_table_and_file(populated, tmp_path):
    tables, files = table_fingerprints(), media_fingerprints()
    assert sum(count for count, _ in tables.values()) > 50, "the demo data did not load"
    archive = tmp_path / "backup.tar.gz"
    call_command("backup", output=str(archive), stdout=io.StringIO())

    with tarfile.open(archive) as tar:
        manifest = json.load(tar.extractfile("manifest.json"))
    assert set(manifest["files"]) >= {"media/notes.txt", "media/attachments/2026/contract.pdf"}

    # Change everything: rows added and removed, files added, changed and removed.
    Tag.objects.create(name="after backup", slug="after-backup")
    from django.db import transaction
    from django.db.models import ProtectedError, RestrictedError

    from steward.org.models import Person

    removed = 0
    for person in Person.objects.order_by("-pk"):  # people without protected history
        try:
            with transaction.atomic():
                person.delete()
        except (ProtectedError, RestrictedError):
            continue
        removed += 1
        if removed == 3:
            break
    assert removed == 3
    media = Path(settings.MEDIA_ROOT)
    (media / "notes.txt").write_text("changed")
    (media / "attachments" / "2026" / "contract.pdf").unlink()
    (media / "new.txt").write_text("new")
    assert table_fingerprints() != tables

    call_command("restore", str(archive), yes=True, stdout=io.StringIO())
    after = table_fingerprints()
    assert [t for t in tables if tables[t] != after.get(t)] == []
    assert after == tables
    assert media_fingerprints() == files


def test_tampered_archive_is_refused_naming_the_file(populated, tmp_path):
    archive = tmp_path / "backup.tar.gz"
    call_command("backup", output=str(archive), stdout=io.StringIO())
    tampered = tmp_path / "tampered.tar.gz"
    with tarfile.open(archive) as src, tarfile.open(tampered, "w:gz") as dst:
        for member in src.getmembers():
            data = src.extractfile(member).read()
            if member.name == "media/notes.txt":
                data = b"evil"
                member.size = len(data)
            dst.addfile(member, io.BytesIO(data))
    before = table_fingerprints()
    Tag.objects.create(name="kept", slug="kept")
    with pytest.raises(CommandError, match="media/notes.txt"):
        call_command("restore", str(tampered), yes=True, stdout=io.StringIO())
    assert Tag.objects.filter(slug="kept").exists(), "a refused restore must change nothing"
    assert table_fingerprints() != before


def test_archive_with_unsafe_paths_is_refused(tmp_path):
    evil = tmp_path / "evil.tar.gz"
    with tarfile.open(evil, "w:gz") as tar:
        info = tarfile.TarInfo("../escape.txt")
        info.size = 1
        tar.addfile(info, io.BytesIO(b"x"))
    with pytest.raises(CommandError, match="unsafe"):
        call_command("restore", str(evil), yes=True, stdout=io.StringIO())
    assert not (tmp_path.parent / "escape.txt").exists()
