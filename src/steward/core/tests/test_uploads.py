"""Uploads: size limit, type allow-list, safe names, archive bombs; download permission, nosniff."""

import io
import zipfile
from pathlib import Path

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from steward.core.models import Attachment
from steward.core.uploads import UploadRejected, check_upload, safe_name
from steward.org.models import Organisation
from steward.utilities.testing import grant, make_user


def _zip(members: dict[str, bytes]) -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", compression=zipfile.ZIP_DEFLATED) as archive:
        for name, data in members.items():
            archive.writestr(name, data)
    return buffer.getvalue()


@pytest.mark.parametrize(
    "raw, expected",
    [
        ("../../etc/passwd.txt", "passwd.txt"),
        ("..\\..\\windows\\system.ini.txt", "system.ini.txt"),
        ("/abs/path/report.pdf", "report.pdf"),
        ("..", "file"),
        ("", "file"),
        ("bad\x00name\n.txt", "bad_name_.txt"),
        ("  .hidden.txt ", "hidden.txt"),
        ("ｒｅｐｏｒｔ.pdf", "report.pdf"),  # NFKC folds full-width letters
    ],
)
def test_safe_name_strips_paths_and_odd_characters(raw, expected):
    assert safe_name(raw) == expected


def test_safe_name_is_bounded():
    assert len(safe_name("a" * 1000 + ".txt")) <= 200


def test_accepted_file_gets_its_type():
    assert check_upload(SimpleUploadedFile("notes.md", b"# hi")) == ("notes.md", "text/markdown")
    assert check_upload(SimpleUploadedFile("plan.PDF", b"%PDF-1.7")) == ("plan.PDF", "application/pdf")
    assert check_upload(SimpleUploadedFile("c.yml", b"a: 1")) == ("c.yml", "application/yaml")


@pytest.mark.parametrize("name", ["page.html", "image.svg", "run.exe", "script.js", "noext", "x.php"])
def test_disallowed_types_are_rejected_by_name(name):
    with pytest.raises(UploadRejected, match="not accepted"):
        check_upload(SimpleUploadedFile(name, b"<script>alert(1)</script>"))


def test_size_limit(settings):
    settings.MAX_UPLOAD_BYTES = 1024
    check_upload(SimpleUploadedFile("ok.txt", b"x" * 1024))
    with pytest.raises(UploadRejected, match=r"big\.txt is larger than"):
        check_upload(SimpleUploadedFile("big.txt", b"x" * 1025))


def test_zip_bomb_is_rejected():
    bomb = _zip({"zeros.txt": b"\0" * (4 * 1024 * 1024)})
    assert len(bomb) < 40_000
    with pytest.raises(UploadRejected, match="expands too much"):
        check_upload(SimpleUploadedFile("bomb.zip", bomb))


def test_office_documents_are_checked_as_archives_too():
    bomb = _zip({"word/document.xml": b" " * (4 * 1024 * 1024)})
    with pytest.raises(UploadRejected, match="expands too much"):
        check_upload(SimpleUploadedFile("report.docx", bomb))


def test_ordinary_zip_and_broken_zip():
    upload = SimpleUploadedFile(
        "logs.zip", _zip({"a.txt": b"some ordinary text " * 10, "b.bin": bytes(range(256))})
    )
    assert check_upload(upload)[1] == "application/zip"
    assert upload.tell() == 0  # rewound for saving
    with pytest.raises(UploadRejected, match="not a valid archive"):
        check_upload(SimpleUploadedFile("fake.zip", b"not a zip at all"))


# --- through the views ----------------------------------------------------------------------
@pytest.fixture
def org(db):
    return Organisation.objects.create(name="Acme", slug="acme")


def _upload(client, org, name, data):
    return client.post(
        reverse("org:organisation_attach", kwargs={"pk": org.pk}), {"file": SimpleUploadedFile(name, data)}
    )


def _editor(client):
    user = make_user("editor")
    grant(user, Organisation, "view", "change")
    client.force_login(user)
    return user


@pytest.mark.django_db
def test_upload_stores_a_safe_name_under_a_generated_path(client, org, settings):
    _editor(client)
    response = client.post(
        reverse("org:organisation_attach", kwargs={"pk": org.pk}),
        {"file": SimpleUploadedFile("../../etc/passwd.txt", b"root:x:0:0")},
    )
    assert response.status_code == 302
    att = Attachment.objects.get()
    assert att.name == "passwd.txt"
    assert att.mime_type == "text/plain"
    stored = Path(att.file.path).resolve()
    assert stored.is_relative_to(Path(settings.MEDIA_ROOT).resolve() / "attachments")
    assert "passwd" not in stored.name and ".." not in att.file.name
    assert stored.read_bytes() == b"root:x:0:0"


@pytest.mark.django_db
@pytest.mark.parametrize(
    "name, data, message",
    [
        ("evil.html", b"<script>alert(1)</script>", "not accepted"),
        ("bomb.zip", _zip({"z": b"\0" * (2 * 1024 * 1024)}), "expands too much"),
    ],
)
def test_rejected_uploads_store_nothing(client, org, name, data, message):
    _editor(client)
    response = client.post(
        reverse("org:organisation_attach", kwargs={"pk": org.pk}),
        {"file": SimpleUploadedFile(name, data)},
        follow=True,
    )
    assert message in response.content.decode()
    assert not Attachment.objects.exists()


@pytest.mark.django_db
def test_oversized_upload_stores_nothing(client, org, settings):
    settings.MAX_UPLOAD_BYTES = 10
    _editor(client)
    response = _upload(client, org, "big.txt", b"x" * 11)
    assert response.status_code == 302
    assert not Attachment.objects.exists()


@pytest.mark.django_db
def test_upload_needs_change_permission(client, org):
    user = make_user("viewer")
    grant(user, Organisation, "view")
    client.force_login(user)
    assert _upload(client, org, "a.txt", b"x").status_code == 403
    assert not Attachment.objects.exists()


@pytest.mark.django_db
def test_download_needs_view_permission_and_sends_nosniff(client, org):
    _editor(client)
    _upload(client, org, "page.txt", b"<html><script>alert(1)</script>")
    att = Attachment.objects.get()
    url = reverse("org:organisation_attachment", kwargs={"pk": org.pk, "attachment": att.pk})

    response = client.get(url)
    assert response.status_code == 200
    assert b"".join(response.streaming_content) == b"<html><script>alert(1)</script>"
    assert response["X-Content-Type-Options"] == "nosniff"
    assert response["Content-Type"].startswith("text/plain")
    assert response["Content-Disposition"].startswith("attachment")

    client.logout()
    assert client.get(url).status_code == 302  # to the login page

    nobody = make_user("nobody")
    client.force_login(nobody)
    assert client.get(url).status_code == 403

    limited = make_user("limited")
    grant(limited, Organisation, "view", constraints={"slug": "other"})
    client.force_login(limited)
    assert client.get(url).status_code == 404


@pytest.mark.django_db
def test_attachment_must_belong_to_the_record_in_the_url(client, org):
    _editor(client)
    _upload(client, org, "a.txt", b"x")
    other = Organisation.objects.create(name="Other", slug="other")
    att = Attachment.objects.get()
    url = reverse("org:organisation_attachment", kwargs={"pk": other.pk, "attachment": att.pk})
    assert client.get(url).status_code == 404


@pytest.mark.django_db
def test_removing_an_attachment_needs_change_and_deletes_the_file(client, org):
    _editor(client)
    _upload(client, org, "a.txt", b"x")
    att = Attachment.objects.get()
    path = Path(att.file.path)
    url = reverse("org:organisation_attachment", kwargs={"pk": org.pk, "attachment": att.pk})

    viewer = make_user("viewer")
    grant(viewer, Organisation, "view")
    client.force_login(viewer)
    assert client.post(url).status_code == 403
    assert path.exists()

    client.force_login(type(viewer).objects.get(username="editor"))
    assert client.post(url).status_code == 302
    assert not Attachment.objects.exists()
    assert not path.exists()
