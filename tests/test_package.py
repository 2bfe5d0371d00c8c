"""Tests of docgen.word.package: the one zip writer and core-properties stamper."""

from __future__ import annotations

import datetime as dt
import io
import shutil
import types
import zipfile
from pathlib import Path

import pytest
from click.testing import CliRunner

from docgen.cli.main import cli
from docgen.word.package import (
    CoreProperties,
    document_properties,
    normalise_zip,
    stamp_core_properties,
    write_zip,
    zip_member,
)
from tests.conftest import DATA

CORE_XML = (
    b"<?xml version='1.0' encoding='UTF-8' standalone='yes'?>\n"
    b'<cp:coreProperties xmlns:cp="http://schemas.openxmlformats.org/package/2006/metadata/core-properties"'
    b' xmlns:dc="http://purl.org/dc/elements/1.1/" xmlns:dcterms="http://purl.org/dc/terms/"'
    b' xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance"><dc:title>old</dc:title></cp:coreProperties>'
)


def test_write_zip_is_a_plain_deterministic_zip():
    """ensures that write_zip keeps the member order, fixes the timestamps and reads back."""
    members = [zip_member("b.xml", b"<b/>"), zip_member("a/中文.xml", "<a>中文</a>".encode())]
    data = write_zip(members)
    assert write_zip(members) == data
    with zipfile.ZipFile(io.BytesIO(data)) as archive:
        assert archive.testzip() is None
        assert [i.filename for i in archive.infolist()] == ["b.xml", "a/中文.xml"]
        assert {i.date_time for i in archive.infolist()} == {(1980, 1, 1, 0, 0, 0)}
        assert archive.read("a/中文.xml") == "<a>中文</a>".encode()


def test_normalise_zip_ignores_the_writers_headers():
    """ensures that the same parts give the same bytes whatever wrote the zip (dates, order kept)."""
    parts = [("[Content_Types].xml", b"<Types/>"), ("docProps/core.xml", CORE_XML)]
    saved = []
    for when in ((2001, 2, 3, 4, 5, 6), (2024, 6, 7, 8, 9, 10)):
        buffer = io.BytesIO()
        with zipfile.ZipFile(buffer, "w", zipfile.ZIP_STORED) as archive:
            for name, data in parts:
                archive.writestr(zipfile.ZipInfo(name, when), data)
        saved.append(normalise_zip(buffer.getvalue()))
    assert saved[0] == saved[1] == write_zip(zip_member(n, d) for n, d in parts)


@pytest.mark.parametrize(
    ("properties", "expected"),
    [
        (
            document_properties(dt.datetime(2023, 4, 28, 9, 30), "报告", "某公司"),
            b"<dc:title>\xe6\x8a\xa5\xe5\x91\x8a</dc:title>"
            b'<dcterms:created xsi:type="dcterms:W3CDTF">2023-04-28T09:30:00Z</dcterms:created>'
            b'<dcterms:modified xsi:type="dcterms:W3CDTF">2023-04-28T09:30:00Z</dcterms:modified>'
            b"<cp:lastPrinted>2023-04-28T09:30:00Z</cp:lastPrinted>"
            b"<dc:creator>\xe6\x9f\x90\xe5\x85\xac\xe5\x8f\xb8</dc:creator>"
            b"<cp:lastModifiedBy>docgen</cp:lastModifiedBy><cp:revision>1</cp:revision>",
        ),
        (CoreProperties(title="新"), "<dc:title>新</dc:title>".encode()),
        (
            document_properties(None, "", "docgen"),
            b"<dc:title></dc:title><dc:creator>docgen</dc:creator>"
            b"<cp:lastModifiedBy>docgen</cp:lastModifiedBy><cp:revision>1</cp:revision>",
        ),
    ],
    ids=["dated", "title-only", "undated"],
)
def test_stamp_core_properties(properties: CoreProperties, expected: bytes):
    """ensures that the stamper sets exactly the given properties, appending missing elements."""
    stamped = stamp_core_properties(CORE_XML, properties)
    assert stamped.startswith(b"<?xml version='1.0' encoding='UTF-8' standalone='yes'?>")
    body = stamped.split(b'xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance">', 1)[1]
    assert body == expected + b"</cp:coreProperties>"


def test_stamper_keeps_a_part_without_declaration_without_one():
    """ensures that openpyxl's core.xml (no XML declaration) keeps its form: only the dates change."""
    xml = (
        b'<cp:coreProperties xmlns:cp="http://schemas.openxmlformats.org/package/2006/metadata/core-properties">'
        b'<dcterms:modified xmlns:dcterms="http://purl.org/dc/terms/" '
        b'xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance" xsi:type="dcterms:W3CDTF">'
        b"2031-05-06T07:08:09Z</dcterms:modified></cp:coreProperties>"
    )
    stamped = stamp_core_properties(xml, CoreProperties(created=dt.datetime(2000, 1, 1)))
    assert stamped.startswith(b"<cp:coreProperties")
    assert b">2000-01-01T00:00:00Z</dcterms:modified>" in stamped
    assert b"2031" not in stamped


def test_summary_xlsx_is_reproducible(tmp_path: Path, monkeypatch: pytest.MonkeyPatch):
    """ensures that two reviews at different clock times write byte-identical 汇总表.xlsx files
    (openpyxl stamps its save time into docProps/core.xml; the stamper replaces it)."""
    import openpyxl.writer.excel as excel

    cohort = tmp_path / "cohort"
    for name in ("a", "b"):
        shutil.copytree(DATA / "luzhou-basic", cohort / name)
    outputs = []
    for year in (2031, 2032):
        clock = types.SimpleNamespace(
            datetime=types.SimpleNamespace(now=lambda tz=None, year=year: dt.datetime(year, 1, 2, tzinfo=tz)),
            timezone=dt.timezone,
        )
        monkeypatch.setattr(excel, "datetime", clock)
        out = tmp_path / str(year)
        result = CliRunner().invoke(
            cli, ["review", str(cohort), "--program", "luzhou-etc-2023", "-o", str(out)]
        )
        assert result.exit_code == 0, result.output
        outputs.append((out / "汇总表.xlsx").read_bytes())
    assert outputs[0] == outputs[1]
    with zipfile.ZipFile(io.BytesIO(outputs[0])) as archive:
        core = archive.read("docProps/core.xml")
    assert b">2000-01-01T00:00:00Z</dcterms:modified>" in core
