"""The whole platform workflow in a real browser (headless Chromium, selenium; issue #21 "done
when"), with the server on SQLite and on PostgreSQL: enterprise A imports the Luzhou example,
accepts the 告知承诺书 and submits; enterprise B cannot open it; the reviewer returns it with a
reason; A sees the reason, changes a figure and resubmits; the reviewer views a PDF inline, rules
it 不予认可 and sees the evidenced score drop as the rules say, then accepts; the admin's audit
page lists the steps. ``DOCGEN_SHOTS=FOLDER`` keeps a 1366×768 screenshot of each page."""

from __future__ import annotations

import os
import secrets
import shutil
import time
import zipfile
from collections.abc import Iterator
from pathlib import Path

import pytest
from click.testing import CliRunner

from docgen.app.submission import evaluate_submission, open_submission
from docgen.cli.main import cli
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
from tests.web_helpers import EXAMPLES, POSTGRES_ADMIN_URL, other_enterprise_code

pytestmark = pytest.mark.skipif(
    not have_browser(), reason="Chromium and chromedriver are not installed: the browser test does not run"
)
LUZHOU = EXAMPLES / "luzhou-etc-2023"
A = "9151050479184265X8"  # the example's 统一社会信用代码
B = other_enterprise_code()
PASSWORD = "correct horse battery"
RULED = "evidence/利润表.pdf"
FIGURE, VALUE = "equipment_value", 2000  # 企业技术开发仪器设备原值, 万元


@pytest.fixture(
    params=[
        "sqlite",
        pytest.param(
            "postgresql",
            marks=pytest.mark.skipif(not POSTGRES_ADMIN_URL, reason="DOCGEN_TEST_POSTGRES_URL is not set"),
        ),
    ]
)
def database(request: pytest.FixtureRequest) -> Iterator[str]:
    """Returns the server's database URL: "" (SQLite in its data folder), or a fresh PostgreSQL
    database, dropped afterwards."""
    if request.param == "sqlite":
        yield ""
        return
    from sqlalchemy import create_engine, text

    name = f"docgen_flow_{secrets.token_hex(4)}"
    admin = create_engine(POSTGRES_ADMIN_URL, isolation_level="AUTOCOMMIT")
    with admin.connect() as connection:
        connection.execute(text(f'CREATE DATABASE "{name}"'))
    try:
        yield POSTGRES_ADMIN_URL.rsplit("/", 1)[0] + f"/{name}"
    finally:
        with admin.connect() as connection:
            connection.execute(text(f'DROP DATABASE "{name}" WITH (FORCE)'))
        admin.dispose()


@pytest.fixture
def platform(database: str, tmp_path: Path) -> Iterator[tuple[str, object]]:
    """Returns the address of a `docgen serve --platform` whose accounts `docgen users add`
    made, and a browser."""
    data = tmp_path / "data"
    secret = tmp_path / "password"
    secret.write_text(PASSWORD + "\n", "utf-8")
    env = {"DOCGEN_DATABASE_URL": database} if database else {}
    for name, *role in (
        (A, "enterprise", "--region", "泸州市龙马潭区"),
        (B, "enterprise", "--region", "泸州市江阳区"),
        ("泸州评审", "reviewer", "--region", "泸州市", "--programs", "luzhou-etc-2023"),
        ("admin", "admin"),
    ):
        added = CliRunner().invoke(
            cli,
            ["users", "add", name, "--role", *role, "--data", str(data), "--password-file", str(secret)],
            env=env,
        )
        assert added.exit_code == 0, added.output
    port = free_port()
    server = start_server(data, port, "--platform", env=env)
    driver = browser()
    try:
        yield f"http://127.0.0.1:{port}", driver
    finally:
        quit_browser(driver)
        stop_server(server)


def _expected(tmp: Path, *, without: str | None) -> tuple[str, str, str]:
    """Returns what docgen's own code makes of A's corrected submission (the example, its
    现金流量表, the figure changed; ``without`` one file), on a hand-made copy: the claimed total
    of `docgen score` (the workspace's), and the claimed and evidenced totals of `docgen review`
    over it alone (the desk's: the review scores a cohort)."""
    import yaml

    from docgen.app.review import review_folder

    batch = tmp / f"expected-{bool(without)}"
    folder = batch / "a"
    shutil.copytree(LUZHOU, folder)
    shutil.copyfile(LUZHOU / RULED, folder / "evidence" / "现金流量表.pdf")
    data = yaml.safe_load((folder / "answers.yaml").read_text("utf-8"))
    data["data"][FIGURE] = VALUE
    (folder / "answers.yaml").write_text(yaml.safe_dump(data, allow_unicode=True), "utf-8")
    if without:
        (folder / without).unlink()
    scored = evaluate_submission(open_submission(folder)).claimed.total
    (row,) = review_folder(batch, "luzhou-etc-2023", jobs=1, cache_dir=str(tmp / "cache")).rows
    claimed, evidenced = row.cards()
    return fmt_fixed(scored), fmt_fixed(claimed.total), fmt_fixed(evidenced.total)


class Flow:
    """One browser going through the platform as one account after another."""

    def __init__(self, base: str, driver, name: str) -> None:  # type: ignore[no-untyped-def]
        self.base, self.driver = base, driver
        self.shots = Path(os.environ["DOCGEN_SHOTS"]) / name if os.environ.get("DOCGEN_SHOTS") else None

    def find(self, how: str, what: str):  # type: ignore[no-untyped-def]
        return self.driver.find_element(how, what)

    def text(self) -> str:
        from selenium.webdriver.common.by import By

        return str(self.find(By.TAG_NAME, "body").text)

    def open(self, path: str) -> None:
        self.driver.get(self.base + path)
        settled(self.driver)

    def click(self, xpath: str) -> None:
        from selenium.webdriver.common.by import By

        self.find(By.XPATH, xpath).click()

    def shot(self, name: str, settle: float = 0) -> None:
        """Keeps a screenshot of the page (``settle``: seconds for a PDF viewer to draw first)."""
        if self.shots is not None:
            time.sleep(settle)
            self.shots.mkdir(parents=True, exist_ok=True)
            self.driver.save_screenshot(str(self.shots / f"{name}.png"))

    def sign_in(self, name: str) -> None:
        from selenium.webdriver.common.by import By

        self.open("/login")
        self.find(By.ID, "login-name").send_keys(name)
        self.find(By.ID, "login-password").send_keys(PASSWORD)
        self.click("//form[@action='/login']//button")
        wait_for(lambda: not self.driver.current_url.endswith("/login"), f"{name} signed in")
        settled(self.driver)
        assert name in self.find(By.CSS_SELECTOR, "form.account").text

    def sign_out(self) -> None:
        self.click("//button[normalize-space(.)='退出登录']")
        wait_for(lambda: self.driver.current_url.endswith("/login"), "the sign-in page")

    def status(self) -> str:
        from selenium.webdriver.common.by import By

        return str(self.find(By.CSS_SELECTOR, "#h-workflow .status").text)

    def step(self, button: str, after: str) -> None:
        """Presses a workflow button and waits for the page it leads to."""
        self.click(f"//section[@id='s-workflow']//button[normalize-space(.)='{button}']")
        wait_for(lambda: self.driver.execute_script("return document.readyState") == "complete", after)
        settled(self.driver)

    def desk_cell(self, sid: str, column: int) -> str:
        from selenium.webdriver.common.by import By

        return str(self.find(By.XPATH, f"//tr[.//a[@href='/submissions/{sid}']]/td[{column}]").text)


def test_the_whole_workflow_in_a_browser(platform, database: str, tmp_path: Path):
    """ensures A submits, B gets 404 for it, the reviewer returns it with a reason A reads, A
    corrects a figure and resubmits, the reviewer sees a PDF inline and rules it 不予认可 — the
    desk's 核定得分 becomes the CLI's without that file — and accepts; the audit page lists it."""
    from selenium.webdriver.common.by import By
    from selenium.webdriver.common.keys import Keys

    base, driver = platform
    flow = Flow(base, driver, "postgresql" if database else "sqlite")

    # enterprise A: the example imported with its 现金流量表, the 告知承诺书 accepted, submitted
    archive = tmp_path / "luzhou.zip"
    with zipfile.ZipFile(archive, "w") as zipped:
        for path in sorted(LUZHOU.rglob("*")):
            if path.is_file():
                zipped.write(path, f"luzhou/{path.relative_to(LUZHOU).as_posix()}")
        zipped.write(LUZHOU / RULED, "luzhou/evidence/现金流量表.pdf")
    flow.sign_in(A)
    flow.find(By.ID, "import-file").send_keys(str(archive))
    flow.click("//button[normalize-space(.)='导入']")
    wait_for(lambda: "/submissions/" in driver.current_url and "泸州川锐" in driver.title, "A's workspace")
    settled(driver)
    sid = driver.current_url.rsplit("/", 1)[-1]
    assert flow.status() == "草稿"
    flow.step("我已阅读并同意", "the commitment accepted")
    assert "已于" in flow.find(By.CSS_SELECTOR, "details.commitment summary").text
    flow.step("提交申报", "the submission sent")
    flow.open(f"/submissions/{sid}")
    assert flow.status() == "已提交"
    flow.sign_out()

    # enterprise B: A's submission and its files are not there
    flow.sign_in(B)
    flow.open(f"/submissions/{sid}")
    assert driver.title == "出错了 · docgen"
    assert f"没有找到该申报（编号 {sid}）" in flow.text()
    flow.open(f"/submissions/{sid}/files/{RULED}")
    assert f"没有找到该申报（编号 {sid}）" in flow.text()
    driver.get(f"{base}/api/submissions/{sid}/files/{RULED}")
    assert '"not_found"' in flow.text()
    flow.open("/")
    flow.sign_out()

    # the reviewer: the desk, the submission read-only, returned with a reason
    flow.sign_in("泸州评审")
    flow.click("//a[contains(normalize-space(.), '评审汇总')]")
    wait_for(lambda: "/review/luzhou-etc-2023" in driver.current_url, "the desk")
    settled(driver)
    flow.shot("1-desk")
    assert flow.desk_cell(sid, 3) == "已提交"
    flow.click(f"//a[@href='/submissions/{sid}']")
    wait_for(lambda: driver.current_url.endswith(f"/submissions/{sid}"), "the submission")
    settled(driver)
    assert flow.find(By.CSS_SELECTOR, "fieldset.plain").get_attribute("disabled") == "true"
    flow.shot("2-submission-read-only")
    reason = "企业技术开发仪器设备原值与审计报告不符，请核实后修改。"
    box = flow.find(By.ID, "return-reason")
    driver.execute_script("arguments[0].scrollIntoView({block: 'center'})", box)
    box.send_keys(reason)
    flow.shot("3-return-form")
    flow.step("退回修改", "the return")
    flow.sign_out()

    # enterprise A: 退回修改 with the reason; a figure corrected, submitted again
    flow.sign_in(A)
    flow.open(f"/submissions/{sid}")
    assert flow.status() == "退回修改"
    assert reason in flow.find(By.ID, "s-workflow").text
    flow.shot("4-enterprise-returned")
    scored, claimed, evidenced = _expected(tmp_path, without=None)
    field = input_labelled(driver, "企业技术开发仪器设备原值")
    field.clear()
    field.send_keys(str(VALUE))
    field.send_keys(Keys.TAB)
    wait_for(lambda: flow.find(By.ID, "claimed-total").text == scored, f"the total {scored}")
    flow.step("提交申报", "the submission sent again")
    flow.open(f"/submissions/{sid}")
    assert flow.status() == "已提交"
    flow.sign_out()

    # the reviewer: the PDF inline, ruled 不予认可; the desk's 核定得分 drops as the CLI says
    flow.sign_in("泸州评审")
    flow.open("/review/luzhou-etc-2023")
    assert flow.desk_cell(sid, 4) == claimed
    assert flow.desk_cell(sid, 5) == evidenced
    flow.open(f"/submissions/{sid}")
    flow.click(f"//section[@id='s-workflow']//a[normalize-space(.)='{RULED}']")
    wait_for(lambda: "/files/" in driver.current_url, "the file's page")
    settled(driver)
    frame = flow.find(By.CSS_SELECTOR, "iframe.viewer")
    driver.switch_to.frame(frame)
    wait_for(
        lambda: driver.execute_script("return document.contentType") == "application/pdf", "the PDF shown"
    )
    driver.switch_to.default_content()
    flow.shot("5-evidence-inline", 3)
    flow.find(By.ID, "ruling-reason").send_keys("利润表未加盖企业公章")
    flow.click("//form[contains(@class,'ruling-form')]//button[normalize-space(.)='不予认可']")
    wait_for(lambda: "评审意见：不予认可。" in flow.text(), "the ruling shown")
    assert "利润表未加盖企业公章" in flow.text()
    flow.shot("6-evidence-ruled", 3)
    _, _, lowered = _expected(tmp_path, without=RULED)
    assert lowered != evidenced
    flow.open("/review/luzhou-etc-2023")
    assert flow.desk_cell(sid, 5) == lowered
    flow.open(f"/submissions/{sid}")
    flow.step("受理", "the acceptance")
    flow.open("/review/luzhou-etc-2023")
    assert flow.desk_cell(sid, 3) == "已受理"
    flow.sign_out()

    # the admin: the audit page lists every step, with its statuses
    flow.sign_in("admin")
    flow.open("/admin")
    rows = driver.find_elements(By.XPATH, f"//tr[td[4][normalize-space(.)='{sid}']]")
    steps = [tuple(c.text for c in row.find_elements(By.TAG_NAME, "td")[2:6]) for row in reversed(rows)]
    kept = [s for s in steps if s[0] in ("提交", "退回修改", "受理")]
    assert [(s[0], s[2], s[3]) for s in kept] == [
        ("提交", "草稿", "已提交"),
        ("退回修改", "已提交", "退回修改"),
        ("提交", "退回修改", "已提交"),
        ("受理", "已提交", "已受理"),
    ]
    flow.shot("7-audit")
