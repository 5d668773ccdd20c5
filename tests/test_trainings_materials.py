"""Uploaded materials: checked by content, size-limited, safely named, served only in scope."""

import io
import zipfile

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from openpyxl import Workbook

from tests.factories_trainings import make_event
from trainings import files
from trainings.models import TrainingMaterial

pytestmark = pytest.mark.django_db


PDF = b"%PDF-1.4\n1 0 obj <<>> endobj\ntrailer <<>>\n%%EOF\n"
PNG = b"\x89PNG\r\n\x1a\n" + b"\x00" * 32
JPEG = b"\xff\xd8\xff\xe0" + b"\x00" * 32


def _ooxml(main: str) -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as z:
        z.writestr(
            "[Content_Types].xml",
            f'<Types><Override PartName="/x" ContentType="application/vnd.openxmlformats-'
            f'officedocument.{main}+xml"/></Types>',
        )
    return buffer.getvalue()


def _xlsx() -> bytes:
    buffer = io.BytesIO()
    Workbook().save(buffer)
    return buffer.getvalue()


@pytest.fixture
def event(cast, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    return make_event(cast.commune_a1, people=0)


def _stored(tmp_path):
    return [p for p in tmp_path.rglob("*") if p.is_file()]


@pytest.mark.parametrize(
    ("name", "content", "kind"),
    [
        ("Kế hoạch quỹ 2024.pdf", PDF, "pdf"),
        ("anh.PNG", PNG, "png"),
        ("anh.jpeg", JPEG, "jpg"),
        ("tai lieu.docx", _ooxml("wordprocessingml.document.main"), "docx"),
        ("slide.pptx", _ooxml("presentationml.presentation.main"), "pptx"),
        ("danh sach.xlsx", _xlsx(), "xlsx"),
    ],
)
def test_allowed_files_are_stored_under_a_generated_name(
    cast, login, event, tmp_path, name, content, kind
):
    response = login(cast.commune).post(
        reverse("trainings:materials", args=[event.pk]),
        {"title": "Tài liệu", "file": SimpleUploadedFile(name, content)},
    )
    assert response.status_code == 302
    material = TrainingMaterial.objects.get()
    assert material.kind == kind
    assert material.original_name == name.rsplit(".", 1)[0] + "." + name.rsplit(".", 1)[1].lower()
    assert material.file.name.startswith(f"trainings/{event.pk}/")
    assert name not in material.file.name
    [path] = _stored(tmp_path)
    assert path.read_bytes() == content


@pytest.mark.parametrize(
    ("name", "content", "field_name", "message"),
    [
        ("virus.pdf", b"MZ\x90\x00 an exe renamed", "", "not an allowed type"),
        ("anh.pdf", PNG, "", "content is PNG"),
        ("bang.docx", _xlsx(), "", "content is XLSX"),
        ("x.zip", b"PK\x03\x04junk", "", "Only PDF"),
        ("trang.html", b"<html>", "", "Only PDF"),
        ("ok.pdf", PDF, "../../etc/passwd.pdf", "folder path"),
        ("ok.pdf", PDF, "..\\..\\boot.pdf", "folder path"),
    ],
)
def test_bad_files_are_refused_with_a_message_and_nothing_stored(
    cast, login, event, tmp_path, name, content, field_name, message, settings
):
    settings.LANGUAGE_CODE = "en"
    client = login(cast.commune)
    client.cookies["django_language"] = "en"
    response = client.post(
        reverse("trainings:materials", args=[event.pk]),
        {"file": SimpleUploadedFile(name, content), "name": field_name},
        HTTP_ACCEPT_LANGUAGE="en",
    )
    assert response.status_code == 200
    errors = " ".join(response.context["form"].errors["file"])
    assert message in errors
    assert not TrainingMaterial.objects.exists()
    assert _stored(tmp_path) == []


def test_too_large_is_refused(cast, login, event, tmp_path):
    big = PDF + b"0" * (files.MAX_UPLOAD_BYTES + 1)
    response = login(cast.commune).post(
        reverse("trainings:materials", args=[event.pk]),
        {"file": SimpleUploadedFile("lon.pdf", big)},
    )
    assert response.status_code == 200
    assert response.context["form"].errors["file"]
    assert not TrainingMaterial.objects.exists()
    assert _stored(tmp_path) == []


def test_checker_refuses_path_names_directly():
    for bad in ("../x.pdf", "a/b.pdf", "..", ".htaccess", "x\x00.pdf"):
        with pytest.raises(files.UploadRefused):
            files.check_name(bad)
    assert files.check_name("Kế hoạch <2024>.pdf") == ("Kế hoạch _2024.pdf", "pdf")


def test_download_is_scoped(cast, login, event):
    login(cast.commune).post(
        reverse("trainings:materials", args=[event.pk]),
        {"title": "Kế hoạch", "file": SimpleUploadedFile("ke-hoach.pdf", PDF)},
    )
    material = TrainingMaterial.objects.get()
    url = reverse("trainings:material_download", args=[event.pk, material.pk])
    response = login(cast.province).get(url)
    assert response.status_code == 200
    assert b"".join(response.streaming_content) == PDF
    assert response["Content-Type"] == "application/pdf"
    assert "ke-hoach.pdf" in response["Content-Disposition"]
    assert login(cast.leader2).get(url).status_code == 404
    assert login(cast.leader).get(url).status_code == 404
    # Another event's URL does not reach this file.
    other = make_event(cast.commune_a1, people=0)
    assert (
        login(cast.commune)
        .get(reverse("trainings:material_download", args=[other.pk, material.pk]))
        .status_code
        == 404
    )


def test_delete_removes_the_file(cast, login, event, tmp_path, django_capture_on_commit_callbacks):
    client = login(cast.commune)
    client.post(
        reverse("trainings:materials", args=[event.pk]),
        {"file": SimpleUploadedFile("a.pdf", PDF)},
    )
    material = TrainingMaterial.objects.get()
    with django_capture_on_commit_callbacks(execute=True):
        client.post(
            reverse("trainings:material_delete", args=[event.pk, material.pk]), {"confirmed": "1"}
        )
    assert not TrainingMaterial.objects.exists()
    assert _stored(tmp_path) == []
