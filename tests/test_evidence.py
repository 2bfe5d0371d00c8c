"""Evidence inspection and the evidenced score: statuses, identifiers, 核减."""

from __future__ import annotations

import io
import re
from pathlib import Path

import pytest
from pypdf import PdfReader, PdfWriter

from docgen.app.submission import check_submission, evaluate_submission, open_submission
from docgen.evidence.identifiers import normalise_identifier
from docgen.evidence.inspect import inspect_file


def test_identifier_normalisation():
    """ensures that patent and standard numbers match across the usual spellings."""
    assert normalise_identifier("ZL202210000001.X") == normalise_identifier("2022 1 0000001.X")
    assert normalise_identifier("GB/T 12345—2021") == normalise_identifier("GB/T 12345-2021")
    assert normalise_identifier("ＧＢ／Ｔ　１２３４５－２０２１") == normalise_identifier("GB/T 12345-2021")


def test_statuses(tmp_path: Path, example: Path):
    """ensures missing, outside, unreadable, encrypted and ok statuses with page counts."""
    source = next((example / "evidence").glob("承诺书.pdf"))
    (tmp_path / "sub").mkdir()
    folder = tmp_path / "sub"
    (folder / "ok.pdf").write_bytes(source.read_bytes())
    (folder / "junk.pdf").write_bytes(b"%PDF-1.7\n garbage that is not a pdf")
    (folder / "text.pdf").write_bytes(b"plain text")
    writer = PdfWriter(clone_from=PdfReader(source))
    writer.encrypt(user_password="secret", owner_password="owner")
    with (folder / "locked.pdf").open("wb") as handle:
        writer.write(handle)
    (tmp_path / "outside.pdf").write_bytes(source.read_bytes())
    (folder / "link.pdf").symlink_to(tmp_path / "outside.pdf")
    got = {
        name: inspect_file(folder, name).status
        for name in (
            "ok.pdf",
            "nothing.pdf",
            "../outside.pdf",
            "/etc/passwd",
            "link.pdf",
            "junk.pdf",
            "text.pdf",
            "locked.pdf",
        )
    }
    assert got == {
        "ok.pdf": "ok",
        "nothing.pdf": "missing",
        "../outside.pdf": "outside",
        "/etc/passwd": "outside",
        "link.pdf": "outside",
        "junk.pdf": "unreadable",
        "text.pdf": "unreadable",
        "locked.pdf": "encrypted",
    }
    assert inspect_file(folder, "ok.pdf").pages == len(PdfReader(source).pages)


def test_example_has_every_proof_but_one_document(example: Path):
    """ensures that the example's only gap is the missing cash-flow statement."""
    result = evaluate_submission(open_submission(example))
    bad = [(d.key, d.status) for d in result.evidence.documents if d.status != "ok"]
    assert bad == [("cash_flow_statement", "missing")]
    assert result.evidenced.total == result.claimed.total


def test_removing_proofs_lowers_the_evidenced_total(example: Path):
    """ensures that a deleted item proof, an encrypted one and one outside the folder are 核减."""
    answers = example / "answers.yaml"
    text = answers.read_text(encoding="utf-8")
    patents = sorted((example / "evidence").glob("专利证书-*.pdf"))
    patents[0].unlink()  # deleted proof → missing
    writer = PdfWriter(clone_from=PdfReader(patents[1]))
    writer.encrypt(user_password="x", owner_password="y")
    with patents[1].open("wb") as handle:  # encrypted proof
        writer.write(handle)
    name = patents[2].name
    text = text.replace(f"evidence/{name}", f"../{name}")  # proof pointing outside the folder
    answers.write_text(text, encoding="utf-8")
    result = evaluate_submission(open_submission(example))
    statuses = {d.file: d.status for d in result.evidence.documents if d.file}
    assert statuses[f"evidence/{patents[0].name}"] == "missing"
    assert statuses[f"evidence/{patents[1].name}"] == "encrypted"
    assert statuses[f"../{name}"] == "outside"
    claimed = next(r for r in result.claimed.indicators if r.id == "invention_patents")
    evidenced = next(r for r in result.evidenced.indicators if r.id == "invention_patents")
    assert claimed.value - evidenced.value == 3
    assert result.evidenced.total < result.claimed.total


def test_identifier_not_in_the_file(example: Path):
    """ensures that a patent number absent from its certificate's text is id-not-found."""
    answers = example / "answers.yaml"
    text = answers.read_text(encoding="utf-8")
    number = re.search(r'number: "(ZL\d+\.\w)"', text).group(1)
    answers.write_text(text.replace(number, "ZL209999999999.9", 1), encoding="utf-8")
    result = evaluate_submission(open_submission(example))
    bad = [d for d in result.evidence.documents if d.status == "id-not-found"]
    assert [d.identifier for d in bad] == ["ZL209999999999.9"]
    # `docgen check` says so too, on the item's line
    from docgen.app.submission import check_submission

    sub = open_submission(example)
    [finding] = [d for d in check_submission(sub) if d.code == "evidence.id_not_found"]
    assert finding.location.path.startswith("items.invention_patents[")
    assert finding.location.path.endswith(".evidence")
    assert (
        finding.location.line
        == text.splitlines().index(next(line for line in text.splitlines() if number in line)) + 1
    )
    assert "“ZL209999999999.9”" in finding.message
    assert "不计入核定分" in finding.message


def test_item_without_evidence_is_reported_by_check(example: Path):
    """ensures that an item with no evidence field is a check warning naming the item and proof."""
    from docgen.app.submission import check_submission

    answers = example / "answers.yaml"
    text = answers.read_text(encoding="utf-8")
    line = next(line for line in text.splitlines() if "CNAS L" in line and "evidence:" in line)
    answers.write_text(text.replace(line, re.sub(r", evidence: [^}]+", "", line)), encoding="utf-8")
    [finding] = [d for d in check_submission(open_submission(example)) if d.code == "evidence.no_proof"]
    assert finding.location.path == "items.labs[0]"
    assert "实验室和检测机构认证证书" in finding.message


def test_expired_accreditation(example: Path):
    """ensures that a lab certificate that expired before the report year's end is `expired` and not counted."""
    answers = example / "answers.yaml"
    text = answers.read_text(encoding="utf-8")
    text = re.sub(r"valid_until: \d{4}-\d{2}-\d{2}", "valid_until: 2022-06-30", text, count=1)
    answers.write_text(text, encoding="utf-8")
    sub = open_submission(example)
    assert any(d.code == "answers.item_expired" for d in sub.diagnostics)
    result = evaluate_submission(sub)
    labs = [d for d in result.evidence.documents if d.item and d.item[0] == "labs"]
    assert [d.status for d in labs] == ["expired"]


def test_decompression_bomb_is_bounded(tmp_path: Path):
    """ensures that a PDF whose content inflates past pypdf's limit is `unreadable`, quickly."""
    import io
    import zlib

    from pypdf.generic import NameObject, StreamObject

    writer = PdfWriter()
    page = writer.add_blank_page(595, 842)
    stream = StreamObject()
    stream._data = zlib.compress(b"0" * (80 * 1024 * 1024), 9)
    stream[NameObject("/Filter")] = NameObject("/FlateDecode")
    page[NameObject("/Contents")] = writer._add_object(stream)
    buffer = io.BytesIO()
    writer.write(buffer)
    (tmp_path / "bomb.pdf").write_bytes(buffer.getvalue())
    facts = inspect_file(tmp_path, "bomb.pdf", {"ZL1"})  # pypdf stops inflating at 75 MB
    assert facts.status == "unreadable"
    assert facts.problem == "PDF 内容解压后过大，无法处理"
    assert facts.detail == "LimitReachedError"  # kept for debugging, out of the message


def _png(width: int, height: int) -> bytes:
    import io

    from PIL import Image

    buffer = io.BytesIO()
    Image.new("RGB", (width, height), "white").save(buffer, "PNG")
    return buffer.getvalue()


def test_images_that_do_not_decode_are_unreadable(tmp_path: Path):
    """ensures that a PNG or JPEG signature followed by junk, or a PNG cut short or with a damaged
    chunk, is unreadable; real images stay no-text with one page."""
    import io

    from PIL import Image

    png = _png(40, 30)
    jpeg = io.BytesIO()
    Image.new("RGB", (40, 30), "white").save(jpeg, "JPEG")
    damaged = bytearray(png)
    damaged[png.index(b"IDAT") + 6] ^= 0xFF  # a byte of the image data: its chunk checksum fails
    files = {
        "good.png": png,
        "good.jpg": jpeg.getvalue(),
        "bad.png": b"\x89PNG\r\n\x1a\nbad",
        "bad.jpg": b"\xff\xd8\xff\xe0bad",
        "short.png": png[: len(png) // 2],
        "damaged.png": bytes(damaged),
    }
    for name, data in files.items():
        (tmp_path / name).write_bytes(data)
    facts = {name: inspect_file(tmp_path, name) for name in files}
    assert {n: f.status for n, f in facts.items()} == {
        "good.png": "no-text",
        "good.jpg": "no-text",
        "bad.png": "unreadable",
        "bad.jpg": "unreadable",
        "short.png": "unreadable",
        "damaged.png": "unreadable",
    }
    assert facts["good.png"].pages == 1
    assert facts["bad.png"].problem == "图片已损坏或不是有效的 PNG/JPEG 图片"


def test_pdf_without_pages_is_unreadable(tmp_path: Path):
    """ensures that a well-formed PDF with zero pages is unreadable, not usable no-text evidence."""
    writer = PdfWriter()
    with (tmp_path / "empty.pdf").open("wb") as handle:
        writer.write(handle)
    assert len(PdfReader(tmp_path / "empty.pdf").pages) == 0
    facts = inspect_file(tmp_path, "empty.pdf")
    assert (facts.status, facts.pages, facts.problem) == ("unreadable", 0, "PDF 文件没有页面")


def test_broken_evidence_is_not_counted_and_explained_in_chinese(example: Path):
    """ensures that a damaged PDF, an empty PDF and a junk PNG given as proofs are 核减, that the
    bundle's contents marks the required ones «（缺）», and that each warning gives a Chinese
    reason, not the exception's class name."""
    from docgen.outputs.bundle import render_bundle

    evidence = example / "evidence"
    (evidence / "资产负债表.pdf").write_bytes(b"%PDF-1.7\n1 0 obj <<>> garbage xref broken")
    with (evidence / "承诺书.pdf").open("wb") as handle:
        PdfWriter().write(handle)
    (evidence / "scan.png").write_bytes(b"\x89PNG\r\n\x1a\nbad")
    answers = example / "answers.yaml"
    text = answers.read_text(encoding="utf-8")
    patent = re.search(r"evidence/专利证书-ZL[\d.]+\.pdf", text).group(0)
    answers.write_text(text.replace(patent, "evidence/scan.png", 1), encoding="utf-8")
    sub = open_submission(example)
    result = evaluate_submission(sub)
    statuses = {d.file: d.status for d in result.evidence.documents if d.file}
    for name in ("资产负债表.pdf", "承诺书.pdf", "scan.png"):
        assert statuses[f"evidence/{name}"] == "unreadable", name
    claimed = next(r for r in result.claimed.indicators if r.id == "invention_patents")
    evidenced = next(r for r in result.evidenced.indicators if r.id == "invention_patents")
    assert claimed.value - evidenced.value == 1
    messages = [d.message for d in check_submission(sub) if d.code == "evidence.unreadable"]
    assert sorted(messages) == sorted(
        [
            "证明材料无法读取：evidence/资产负债表.pdf（文件已损坏或不是有效的 PDF）",
            "证明材料无法读取：evidence/承诺书.pdf（PDF 文件没有页面）",
            "证明材料无法读取：evidence/scan.png（图片已损坏或不是有效的 PNG/JPEG 图片）",
        ]
    )
    data, _ = render_bundle(example, result.evidence, "bundle")
    contents = PdfReader(io.BytesIO(data)).pages[1].extract_text()
    assert "企业资产负债表（缺）" in contents
    assert "企业对报送资料的真实性、完整性承诺书（缺）" in contents


def test_inspection_cache_keeps_the_reason_and_ignores_older_docgen_entries(tmp_path: Path):
    """ensures that a cached result keeps problem and detail, and that an entry written under the
    unversioned key of an earlier docgen (with the class name as its problem) is not reused."""
    import hashlib
    import json

    from docgen.evidence.inspect import InspectionCache

    data = b"%PDF-1.7\n1 0 obj <<>> garbage xref broken"
    (tmp_path / "bad.pdf").write_bytes(data)
    cache = InspectionCache(tmp_path / "cache")
    stale = hashlib.sha256(data).hexdigest()  # sha256(data + identifiers) as docgen once keyed it
    record = {"status": "unreadable", "kind": "pdf", "pages": None, "problem": "PdfStreamError", "found": []}
    (tmp_path / "cache" / stale[:2]).mkdir(parents=True)
    (tmp_path / "cache" / stale[:2] / f"{stale}.json").write_text(json.dumps(record), encoding="utf-8")
    first = inspect_file(tmp_path, "bad.pdf", cache=cache)
    assert (first.problem, first.detail) == ("文件已损坏或不是有效的 PDF", "PdfStreamError")
    fresh = [p for p in (tmp_path / "cache").rglob("*.json") if p.stem != stale]
    assert len(fresh) == 1
    written = json.loads(fresh[0].read_text(encoding="utf-8"))
    assert (written["fields"]["problem"], written["fields"]["detail"]) == (first.problem, first.detail)
    written["fields"]["problem"] = "cached"
    fresh[0].write_text(json.dumps(written), encoding="utf-8")
    again = inspect_file(tmp_path, "bad.pdf", cache=cache)  # read back, not re-inspected
    assert (again.status, again.problem, again.detail) == ("unreadable", "cached", "PdfStreamError")


@pytest.mark.parametrize("changed", ["docgen code", "pypdf version", "pillow version"])
def test_inspection_cache_is_keyed_on_code_and_readers(tmp_path: Path, monkeypatch, changed: str):
    """ensures that a result cached by other docgen code, or read by another pypdf or Pillow
    (same file bytes), is not read back."""
    import importlib.metadata

    from docgen import resources
    from docgen.evidence import inspect as module

    (tmp_path / "a.pdf").write_bytes(b"not a pdf at all")
    cache = module.InspectionCache(tmp_path / "cache")
    module._readers_fingerprint.cache_clear()
    inspect_file(tmp_path, "a.pdf", cache=cache)
    [entry] = list((tmp_path / "cache").rglob("*.json"))
    if changed == "docgen code":
        monkeypatch.setattr(resources, "code_fingerprint", lambda: "other code")
    else:
        package = changed.split()[0]
        real = importlib.metadata.version
        monkeypatch.setattr(
            importlib.metadata, "version", lambda name: "0.0" if name == package else real(name)
        )
    module._readers_fingerprint.cache_clear()
    try:
        inspect_file(tmp_path, "a.pdf", cache=cache)
    finally:
        module._readers_fingerprint.cache_clear()
    assert len(list((tmp_path / "cache").rglob("*.json"))) == 2
    assert entry.exists()


def test_a_scanned_commitment_letter_is_not_flagged(example: Path):
    """ensures a scan (image, no text layer) is flagged only where a number must be found in it:
    a scanned 承诺书 is fine, a scanned patent certificate is reported."""
    from PIL import Image

    from docgen.app.submission import check_submission

    Image.new("RGB", (40, 40), "white").save(example / "evidence" / "承诺书.png")
    Image.new("RGB", (40, 40), "white").save(example / "evidence" / "scan.png")
    answers = example / "answers.yaml"
    text = answers.read_text(encoding="utf-8")
    text = re.sub(r"commitment_letter: \S+", "commitment_letter: evidence/承诺书.png", text, count=1)
    number = re.search(r'number: "(ZL\d+\.\w)"', text).group(1)
    line = next(line for line in text.splitlines() if number in line)
    text = text.replace(line, re.sub(r"evidence: [^,}]+", "evidence: evidence/scan.png", line))
    answers.write_text(text, encoding="utf-8")
    flagged = [
        d.location.path for d in check_submission(open_submission(example)) if d.code == "evidence.no_text"
    ]
    assert len(flagged) == 1
    assert flagged[0].startswith("items.invention_patents[")


def test_unproved_awards_read_as_unproved_not_unlisted(example: Path):
    """ensures that awards listed without usable proof score 0 in the evidenced card with a
    value of 0 (not null) and without «未逐项列出», which is only for awards never itemised."""
    from docgen.outputs.objects import evidence_json

    answers = example / "answers.yaml"
    text = answers.read_text(encoding="utf-8")
    text = re.sub(r"(project: [^,}]+, level: [^,}]+, grade: [^,}]+, year: \d+), evidence: [^}]+", r"\1", text)
    answers.write_text(text, encoding="utf-8")
    result = evaluate_submission(open_submission(example))
    [line] = [r for r in result.evidenced.bonus if r.id == "bonus_awards"]
    assert line.score == 0
    assert line.value == 0
    assert "未逐项列出" not in line.explanation
    data = evidence_json(result.evidence, result.claimed, result.evidenced)
    shortfall = next(s for s in data["shortfalls"] if s["indicator"] == "bonus_awards")
    assert shortfall["evidenced"] == 0
    assert shortfall["claimed"] >= 1


def test_an_item_left_out_by_its_window_needs_no_proof(example: Path):
    """ensures an item that does not count anyway (an award of an earlier year) gets its window
    warning only, not also «未提供证明材料»."""
    from docgen.app.submission import check_submission

    answers = example / "answers.yaml"
    text = answers.read_text(encoding="utf-8")
    line = next(line for line in text.splitlines() if "四川省科学技术进步奖" in line)
    old = re.sub(r", evidence: [^}]+", "", line).replace("year: 2021", "year: 2018")
    answers.write_text(text.replace(line, old), encoding="utf-8")
    codes = [(d.code, d.location.path) for d in check_submission(open_submission(example))]
    assert ("answers.item_outside_window", "items.awards[1]") in codes
    assert not [c for c in codes if c[0] == "evidence.no_proof"]


def test_a_document_proving_several_figures(tmp_path: Path):
    """ensures a checklist document that backs several figures (Gansu ITC 科研项目任务书或合同:
    provincial and bureau projects) deducts all of them when it is missing, and refuses a count."""
    import shutil

    from tests.conftest import ROOT

    folder = shutil.copytree(ROOT / "examples" / "gansu-itc-2022", tmp_path / "itc")
    assert not (folder / "evidence" / "科研项目任务书.pdf").exists()  # missing in the example
    result = evaluate_submission(open_submission(folder))
    figures = result.evidence.evidenced.figures
    assert (figures["provincial_projects"], figures["bureau_projects"]) == (0, 0)
    [line] = [r for r in result.evidenced.indicators if r.id == "projects"]
    assert line.score == 0
    path = folder / "answers.yaml"
    text = path.read_text(encoding="utf-8").replace(
        "project_contracts: evidence/科研项目任务书.pdf",
        "project_contracts: [{file: evidence/科研项目任务书.pdf, count: 2}]",
    )
    path.write_text(text, encoding="utf-8")
    sub = open_submission(folder)
    [finding] = [d for d in sub.diagnostics if d.code == "answers.evidence_count_several"]
    assert finding.location.path == "evidence.project_contracts[0].count"
    assert "承担省（部）级及以上科研项目数" in finding.message


def test_no_proof_is_asked_for_a_figure_of_zero(tmp_path: Path):
    """ensures a document that only proves a figure of 0 (Gansu demo: no famous brand) is not
    listed as missing, while a brand claimed without its certificate is."""
    import shutil

    from tests.conftest import ROOT

    folder = shutil.copytree(ROOT / "examples" / "gansu-demo-2022", tmp_path / "demo")
    keys = [d.key for d in evaluate_submission(open_submission(folder)).evidence.documents]
    assert "brand_certificates" not in keys
    path = folder / "answers.yaml"
    path.write_text(
        path.read_text(encoding="utf-8").replace("famous_brands: 0", "famous_brands: 1"), encoding="utf-8"
    )
    documents = evaluate_submission(open_submission(folder)).evidence.documents
    assert [d.status for d in documents if d.key == "brand_certificates"] == ["missing"]
