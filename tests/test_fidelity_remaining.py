"""Issue #17, the remaining points: a number kept with its unit in the criteria cells (Gansu forms
and 附表2), the missing-evidence report's 类别 labels on every page, the per-person telephones,
the alliance's 牵头单位 and the kind's own title, the national 总分 sentence. Checked on the
generated .docx (python-docx) and, where LibreOffice is installed, on its PDF."""

from __future__ import annotations

import re
from pathlib import Path

import pypdf
import pytest
from docx import Document

from docgen.app import pdf as pdf_module
from docgen.word.layout import KEPT_IN_CELLS, kept_groups, rendered_width

ROOT = Path(__file__).parent.parent
GANSU_FORMS = {
    "gansu-etc-2022": "附件1-甘肃省企业技术中心自评表.docx",
    "gansu-itc-2022": "附件2-甘肃省行业技术中心自评表.docx",
    "gansu-alliance-2022": "附件3-甘肃省产业技术创新产业联盟自评表.docx",
    "gansu-demo-2022": "附件4-技术创新示范企业申报自评表.docx",
}
# a line that ends with a figure while the next starts with its unit: «…得5» / «分，…»
SPLIT_UNIT = re.compile(r"[0-9]\n(?:分|项|人|万|个|次|家|件|元|%)")
# in a PDF's text the cells of a row follow each other (a figure column, then a «人» unit column),
# so there the check is the criteria's «得5» / «分»
SPLIT_SCORE = re.compile(r"[0-9]\n分")


def _soffice() -> str | None:
    try:
        return pdf_module.find_soffice()
    except pdf_module.PdfError:
        return None


needs_libreoffice = pytest.mark.skipif(
    _soffice() is None, reason="LibreOffice not found: the PDF line breaks are not checked here"
)


def cell_texts(path: Path) -> list[str]:
    return [cell.text for table in Document(str(path)).tables for row in table.rows for cell in row.cells]


# -- 2. a number and its unit on one line --


def test_rendered_width_counts_narrow_punctuation_and_autospace():
    """ensures the renderer's measure of «分,1100-1300»: 分 2 units, «,» 0.5, eight digits 8, «-»
    0.67 (LibreOffice's PDF: 10.5 + 2.625 + 42 + 3.5 pt = 58.6 pt = 11.17 units of 5.25 pt), and
    0.4 units of autospace where an ideograph meets a digit («得5»: 2 + 1 + 0.4)."""
    assert rendered_width("分,1100-1300") == pytest.approx(2 + 0.5 + 8 + 0.67)
    assert rendered_width("得5") == pytest.approx(3.4)
    assert rendered_width("分,") == pytest.approx(2.5)  # no autospace before punctuation


def test_kept_groups_moves_a_figure_with_its_unit_and_comma():
    """ensures the Gansu ITC line «…1项社会力量奖励1分,满分4分» in its 90 mm column (47.5 units):
    LibreOffice set «1» at the end of the first line and «分,» on the next; the figure now starts
    the next line with its unit and the comma, and nothing else moves."""
    text = "每获得1项省部级科技奖励得2分;1项社会力量奖励1分,满分4分"
    assert kept_groups(text, 47.51, kept=KEPT_IN_CELLS, rendered=True) == (
        "每获得1项省部级科技奖励得2分;1项社会力量奖励\n1分,满分4分"
    )
    assert kept_groups("每1人得1分,满分5分", 47.51, kept=KEPT_IN_CELLS, rendered=True) == "每1人得1分,满分5分"


def test_kept_groups_never_splits_a_range():
    """ensures «300-400万» moves whole: the break goes before «300», not inside the range."""
    text = "800万以上得6分,700-800万得5分,600-700万得4分,500-600万得3分,400-500万得2分,300-400万得1分"
    kept = kept_groups(text, 40.0, kept=KEPT_IN_CELLS, rendered=True)
    assert kept.replace("\n", "") == text
    for line in kept.split("\n")[1:]:
        assert re.match(r"[0-9]", line), line  # every line starts with a whole figure
    assert "-\n" not in kept and not re.search(r"[0-9]\n[0-9-]", kept)


def test_gansu_criteria_cells_keep_figures_with_units(blank_forms, filled_forms):
    """ensures every table cell of the Gansu forms (blank and filled) that has a line break has
    it before a whole figure, never between a figure and its unit, and that the published text
    is unchanged but for those breaks."""
    broken = 0
    for program, name in GANSU_FORMS.items():
        for folder in (blank_forms / program, filled_forms / program):
            for text in cell_texts(folder / name):
                assert not SPLIT_UNIT.search(text), (program, text)
                broken += text.count("\n")
    assert broken > 0  # the 一级/二级 cells and the criteria do break
    itc = cell_texts(blank_forms / "gansu-itc-2022" / GANSU_FORMS["gansu-itc-2022"])
    assert "每获得1项省部级科技奖励得2分;1项社会力量奖励\n1分,满分4分" in itc


@needs_libreoffice
def test_gansu_forms_and_report_pdf_never_break_inside_a_figure_and_unit(blank_forms, tmp_path):
    """ensures LibreOffice's PDF of the four Gansu forms and of the Gansu ETC report (附表2) has no
    line ending in a score figure whose «分» starts the next line (pypdf text, a line per PDF
    line; before the fix: five such breaks in the ETC, ITC and alliance forms)."""
    from click.testing import CliRunner

    from docgen.cli.main import cli

    out = tmp_path / "etc"
    result = CliRunner().invoke(cli, ["build", str(ROOT / "examples" / "gansu-etc-2022"), "-o", str(out)])
    assert result.exit_code == 0, result.output
    documents = [(blank_forms / p / n).read_bytes() for p, n in GANSU_FORMS.items()]
    documents.append((out / "report.docx").read_bytes())
    lines = 0
    for pdf in pdf_module.convert_documents(documents):
        path = tmp_path / "document.pdf"
        path.write_bytes(pdf)
        for page in pypdf.PdfReader(path).pages:
            text = re.sub(r"(?<=[0-9]) (?=\S)|(?<=\S) (?=[0-9])", "", page.extract_text())
            assert not SPLIT_SCORE.search(text), text
            lines += text.count("\n")
    assert lines > 200
