"""The web workspace in a real browser (headless Chromium, selenium): a user creates a
submission, imports the example, types a figure and sees the score change as the rules say,
uploads a missing document and sees it accepted, and downloads the report."""

from __future__ import annotations

import io
import shutil
import zipfile
from collections.abc import Iterator
from pathlib import Path

import pytest
from docx import Document

from docgen.app.submission import evaluate_submission, open_submission
from docgen.numbers import fmt_fixed
from tests.browser_helpers import (
    browser,
    free_port,
    have_browser,
    input_labelled,
    quit_browser,
    settled,
    start_server,
    stop_server,
    wait_for,
)
from tests.web_helpers import EXAMPLES

pytestmark = pytest.mark.skipif(
    not have_browser(), reason="Chromium and chromedriver are not installed: the browser test does not run"
)
LUZHOU = EXAMPLES / "luzhou-etc-2023"


@pytest.fixture(scope="module")
def site(tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[str, object, Path]]:
    work = tmp_path_factory.mktemp("browser")
    port = free_port()
    server = start_server(work / "data", port)
    downloads = work / "downloads"
    downloads.mkdir()
    driver = browser(downloads)
    try:
        yield f"http://127.0.0.1:{port}", driver, work
    finally:
        quit_browser(driver)
        stop_server(server)


def _score_with(tmp: Path, figure: str, value: int) -> str:
    """Returns the CLI's claimed total of the example with one figure changed (hand-made copy)."""
    import yaml

    folder = tmp / f"changed-{figure}"
    shutil.copytree(LUZHOU, folder)
    data = yaml.safe_load((folder / "answers.yaml").read_text("utf-8"))
    data["data"][figure] = value
    (folder / "answers.yaml").write_text(yaml.safe_dump(data, allow_unicode=True), "utf-8")
    return fmt_fixed(evaluate_submission(open_submission(folder)).claimed.total)


def test_a_user_fills_scores_uploads_and_downloads(site):
    """ensures the whole path works in Chromium at 1366×768 without a page reload for edits."""
    from selenium.webdriver.common.by import By
    from selenium.webdriver.common.keys import Keys
    from selenium.webdriver.support.ui import Select

    base, driver, work = site
    driver.get(base + "/")
    settled(driver)
    assert driver.title == "首页 · docgen"
    body = driver.find_element(By.TAG_NAME, "body").text
    for title in (
        "泸州市企业技术中心认定评价",
        "国家企业技术中心认定及评价（第28批）",
        "甘肃省产业技术创新联盟培育组建",
    ):
        assert title in body

    # a new submission through the 新建 form, by keyboard
    Select(input_labelled(driver, "项目与申报类型")).select_by_value("luzhou-etc-2023:认定")
    driver.find_element(By.XPATH, "//button[normalize-space(.)='新建']").send_keys(Keys.ENTER)
    wait_for(lambda: "/submissions/" in driver.current_url, "the new workspace")
    settled(driver)
    assert "暂不能计分" in driver.find_element(By.ID, "score").text

    # the example imported through the 导入 form
    archive = work / "luzhou.zip"
    with zipfile.ZipFile(archive, "w") as zipped:
        for path in sorted(LUZHOU.rglob("*")):
            if path.is_file():
                zipped.write(path, f"luzhou-etc-2023/{path.relative_to(LUZHOU).as_posix()}")
    driver.get(base + "/")
    settled(driver)
    driver.find_element(By.ID, "import-file").send_keys(str(archive))
    driver.find_element(By.XPATH, "//button[normalize-space(.)='导入']").click()
    wait_for(
        lambda: "/submissions/" in driver.current_url and "泸州川锐" in driver.title, "the imported workspace"
    )
    settled(driver)
    claimed = evaluate_submission(open_submission(LUZHOU)).claimed
    assert driver.find_element(By.ID, "claimed-total").text == fmt_fixed(claimed.total)
    page = driver.current_url

    # a figure typed: the score panel follows without reloading the page
    marker = driver.execute_script("window.__same_page = 1; return window.__same_page;")
    assert marker == 1
    field = input_labelled(driver, "研究与试验发展经费支出")
    field.clear()
    field.send_keys("100")
    field.send_keys(Keys.TAB)
    expected = _score_with(work, "rd_expense", 100)
    wait_for(lambda: driver.find_element(By.ID, "claimed-total").text == expected, f"the total {expected}")
    assert "不符合" in driver.find_element(By.ID, "score").text
    assert driver.execute_script("return window.__same_page;") == 1
    assert driver.current_url == page

    # the missing 企业现金流量表 uploaded on its checklist entry
    cash = work / "现金流量表.pdf"
    shutil.copyfile(LUZHOU / "evidence" / "利润表.pdf", cash)
    entry = driver.find_element(
        By.XPATH,
        "//div[contains(@class,'document')][.//h4[starts-with(normalize-space(.), '企业现金流量表')]]",
    )
    assert "尚未上传" in entry.text
    entry.find_element(By.CSS_SELECTOR, "input[type=file]").send_keys(str(cash))

    def uploaded():  # type: ignore[no-untyped-def]
        box = driver.find_element(
            By.XPATH,
            "//div[contains(@class,'document')][.//h4[starts-with(normalize-space(.), '企业现金流量表')]]",
        )
        return "已提供 1 个文件" in box.text and "齐全" in box.text

    wait_for(uploaded, "the uploaded file's status")
    assert "缺少的必需材料" not in driver.find_element(By.ID, "score").text

    # the report downloaded and opened
    for name in (work / "downloads").iterdir():
        name.unlink()
    driver.find_element(By.PARTIAL_LINK_TEXT, "申请报告（report.docx）").click()
    report = wait_for(
        lambda: next((p for p in (work / "downloads").iterdir() if p.suffix == ".docx"), None),
        "report.docx",
        60,
    )
    text = "\n".join(p.text for p in Document(io.BytesIO(report.read_bytes())).paragraphs)
    assert claimed.company in text


def test_the_keyboard_reaches_the_workspace(site):
    """ensures Tab from the top reaches the skip link first, then the navigation, with a visible
    focus outline."""
    from selenium.webdriver.common.action_chains import ActionChains
    from selenium.webdriver.common.keys import Keys

    base, driver, _work = site
    driver.get(base + "/")
    settled(driver)
    seen = []
    for _ in range(3):
        ActionChains(driver).send_keys(Keys.TAB).perform()
        seen.append(
            driver.execute_script(
                "const e = document.activeElement; const s = getComputedStyle(e);"
                "return [e.textContent.trim(), s.outlineStyle !== 'none' && s.outlineWidth !== '0px'];"
            )
        )
    assert [text for text, _ in seen] == ["跳到正文", "docgen 申报工作台", "首页"]
    assert all(outlined for _, outlined in seen)


def _api_import(base: str, folder: Path) -> str:
    """Returns the id of ``folder`` imported through the API (the CSRF token of the session)."""
    import httpx2 as httpx

    from tests.web_helpers import zip_folder

    with httpx.Client(base_url=base, timeout=120) as http:
        token = http.get("/api/session").json()["csrf_token"]
        answer = http.post(
            "/api/submissions/import",
            files={"file": (f"{folder.name}.zip", zip_folder(folder), "application/zip")},
            headers={"X-CSRF-Token": token},
        )
        answer.raise_for_status()
        return str(answer.json()["id"])


_WIDTHS = """
const page = [document.documentElement.scrollWidth, document.documentElement.clientWidth];
const tables = [...document.querySelectorAll('.scroll')].map(e => [e.getAttribute('aria-labelledby'), e.scrollWidth, e.clientWidth]);
return [page, tables];
"""


@pytest.mark.parametrize(
    "program", sorted(p.name for p in EXAMPLES.iterdir() if (p / "answers.yaml").is_file())
)
def test_workspace_ui_item_tables_fit_the_window(site, program: str):
    """ensures each example's workspace at 1366×768 needs no horizontal scrolling: the page is
    no wider than the window and every item table fits its own box."""
    base, driver, _work = site
    driver.get(f"{base}/submissions/{_api_import(base, EXAMPLES / program)}")
    settled(driver)
    (width, client), tables = driver.execute_script(_WIDTHS)
    assert tables
    assert width <= client
    assert [t for t in tables if t[1] > t[2]] == []


def test_workspace_ui_a_finding_link_gives_its_field_the_focus(site):
    """ensures following a finding's link by keyboard (Enter) puts the focus in the field it names."""
    from selenium.webdriver.common.by import By
    from selenium.webdriver.common.keys import Keys

    base, driver, _work = site
    driver.get(f"{base}/submissions/{_api_import(base, LUZHOU)}")
    settled(driver)
    field = input_labelled(driver, "研究与试验发展经费支出")
    field.clear()
    field.send_keys("一百")
    field.send_keys(Keys.TAB)
    target = field.get_attribute("id")

    def follow() -> bool:
        """Finds the finding's link afresh (htmx may swap the list at any time), follows it by
        Enter and says whether the focus reached the field; a swapped list counts as not yet."""
        link = next(
            (
                a
                for a in driver.find_elements(By.CSS_SELECTOR, "#findings a.jump")
                if a.get_attribute("href").endswith("#" + target)
            ),
            None,
        )
        if link is None:
            return False
        driver.execute_script("document.getElementById('main').focus();")
        link.send_keys(Keys.ENTER)
        return bool(driver.execute_script("return document.activeElement.id") == target)

    wait_for(follow, "the focus on the finding's field")
    assert driver.execute_script(
        "const b = document.activeElement.getBoundingClientRect(); return b.top >= 0 && b.bottom <= innerHeight;"
    )


def test_workspace_ui_the_preview_follows_the_typing(site):
    """ensures typing Markdown in a 正文 section updates its preview without a page reload: bold
    text shows bold, a typed <script> shows as text and runs nothing."""
    from selenium.webdriver.common.by import By

    base, driver, _work = site
    driver.get(f"{base}/submissions/{_api_import(base, LUZHOU)}")
    settled(driver)
    driver.execute_script("window.__same_page = 1; window.__ran = 0;")
    box = driver.find_element(By.CSS_SELECTOR, "#s-narrative textarea")
    preview_id = "v" + box.get_attribute("aria-describedby").split()[0]
    box.clear()
    box.send_keys("本企业 **专注** 隧道装备。<script>window.__ran = 1</script>")
    wait_for(
        lambda: driver.find_element(By.CSS_SELECTOR, f"#{preview_id} strong").text == "专注",
        "the preview's bold text",
    )
    preview = driver.find_element(By.ID, preview_id).text
    assert "<script>" in preview
    assert driver.execute_script("return window.__ran;") == 0
    assert driver.execute_script("return window.__same_page;") == 1
