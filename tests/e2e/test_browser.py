"""End to end in a real browser: start the app as the README does (scripts/run_app.sh), drive Debian's
chromium through Playwright, ask a Chinese question, fill the profile form, check the estimate, and
save a screenshot of every page into artifacts/screenshots/. Needs: apt-get install chromium fonts-wqy-microhei."""
from __future__ import annotations

import os
import re
import socket
import subprocess
import time
import urllib.request
from pathlib import Path
from urllib.parse import quote

import pytest

ROOT = Path(__file__).resolve().parents[2]
CHROMIUM = Path("/usr/bin/chromium")
SHOTS = ROOT / "artifacts" / "screenshots"
ARGS = ["--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update", "--no-first-run"]

pytestmark = [pytest.mark.browser,
              pytest.mark.skipif(not CHROMIUM.exists(), reason="/usr/bin/chromium is absent (apt-get install chromium fonts-wqy-microhei)")]


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def wait_healthy(url: str, proc: subprocess.Popen, seconds: float = 60) -> None:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if proc.poll() is not None:
            raise RuntimeError(f"the app exited with {proc.returncode}")
        try:
            with urllib.request.urlopen(f"{url}/_stcore/health", timeout=2) as r:
                if r.status == 200:
                    return
        except OSError:
            time.sleep(0.3)
    raise TimeoutError(f"{url} not healthy after {seconds} s")


@pytest.fixture(scope="module")
def app_url(tmp_path_factory):
    port = free_port()
    # PYTHONPATH: serve this checkout's code (the venv's policykg script may point at another worktree)
    env = {**os.environ, "PORT": str(port), "POLICYKG_REVIEW_DIR": str(tmp_path_factory.mktemp("reviews")),
           "POLICYKG_CORPUS": str(ROOT / "corpus" / "xicheng_measures_draft.txt"),  # the flows below are Xicheng cases
           "PYTHONPATH": os.pathsep.join(filter(None, [str(ROOT), os.environ.get("PYTHONPATH")]))}
    log = open(tmp_path_factory.mktemp("log") / "app.log", "w")
    proc = subprocess.Popen([str(ROOT / "scripts" / "run_app.sh")], cwd=ROOT, env=env, stdout=log, stderr=subprocess.STDOUT,
                            start_new_session=True)
    url = f"http://127.0.0.1:{port}"
    try:
        wait_healthy(url, proc)
        yield url
    finally:
        proc.terminate()
        try:
            proc.wait(10)
        except subprocess.TimeoutExpired:
            proc.kill()
        log.close()


@pytest.fixture(scope="module")
def page(app_url):
    sync_api = pytest.importorskip("playwright.sync_api")
    SHOTS.mkdir(parents=True, exist_ok=True)
    with sync_api.sync_playwright() as pw:
        browser = pw.chromium.launch(executable_path=str(CHROMIUM), args=ARGS)
        pg = browser.new_page(viewport={"width": 1400, "height": 2600}, locale="zh-CN")
        pg.set_default_timeout(30_000)
        yield pg
        browser.close()


def open_page(page, url: str, name: str = "") -> None:
    page.goto(f"{url}/{quote(name)}" if name else url)
    page.wait_for_selector('[data-testid="stAppViewContainer"]')
    page.get_by_role("heading").first.wait_for()
    page.wait_for_function("() => !document.querySelector('[data-testid=\"stStatusWidget\"]')", timeout=30_000)


def test_home_shows_the_document(page, app_url):
    open_page(page, app_url)
    page.get_by_text("北京市西城区促进科技创新", exact=False).first.wait_for()
    page.screenshot(path=SHOTS / "0_home.png", full_page=True)


def test_chinese_question_and_profile_estimate(page, app_url):
    open_page(page, app_url)  # the app opens on the question-and-self-check page
    page.get_by_role("textbox", name="请输入问题").fill("孵化器支持资金上限")
    page.get_by_role("button", name="提问").click()
    page.get_by_text("第七条（一）").first.wait_for()
    # Streamlit draws a card element by element: wait for the quote rather than asking once
    page.get_by_text("年度支持金额不超过1000万元", exact=False).first.wait_for()

    # the form: a newly certified high-tech enterprise → 第四条（一） pays 30万元 (no condition stated in words)
    new = page.locator('[data-testid="stMultiSelect"]').filter(has_text="今年新认定")
    new.locator("input").click()
    page.keyboard.type("国家高新技术企业")
    page.get_by_role("option", name="国家高新技术企业").click()  # Enter could land before the list has filtered
    page.keyboard.press("Escape")
    new.get_by_text("国家高新技术企业").wait_for()
    page.get_by_role("button", name="测算").click()
    page.get_by_text("第四条（一） · 符合").first.wait_for()
    page.get_by_text("300,000 元", exact=False).first.wait_for()
    page.locator('[data-testid="stVegaLiteChart"] canvas, [data-testid="stVegaLiteChart"] svg').first.wait_for()
    page.wait_for_timeout(800)
    page.screenshot(path=SHOTS / "1_政策问答与资格自测.png", full_page=True)


def test_description_then_the_next_question_changes_status_and_amount(page, app_url):
    """Two sentences about the enterprise: 第四条（一） is eligible, the rest needs facts; the next question worth
    asking is answered (yes, then the amount it asks for): 第八条（一） becomes eligible and the total grows."""
    open_page(page, app_url)
    page.get_by_role("textbox", name="请输入问题").fill("我们是新认定的高企。研发费用1500万元。")
    page.get_by_role("button", name="提问").click()
    page.get_by_text("第四条（一） · 符合").wait_for()
    page.get_by_text("合计：300,000 元（30万元）", exact=False).first.wait_for()
    page.get_by_text("回答这个问题可能影响 2500万元").wait_for()
    page.get_by_text("第八条（一）的条件", exact=False).first.wait_for()
    page.get_by_role("button", name="是", exact=True).click()
    page.get_by_text("第八条（一） · 符合").wait_for()
    page.get_by_text("贵单位获得的市级资金是多少（万元）？").wait_for()
    page.get_by_role("textbox", name="您的回答").fill("1200")
    page.get_by_role("button", name="提交").click()
    page.get_by_text("合计：6,300,000 元（630万元）", exact=False).first.wait_for()
    page.get_by_text("6,000,000 元（600万元）", exact=False).first.wait_for()
    page.wait_for_timeout(500)
    page.screenshot(path=SHOTS / "1b_自测_下一个问题.png", full_page=True)


def test_review_page_shows_text_and_measures(page, app_url):
    open_page(page, app_url, "条文核对")
    page.get_by_text("第一条（一）", exact=False).first.wait_for()
    page.get_by_text("审核 / review").wait_for()
    page.get_by_role("button", name="保存").wait_for()
    page.wait_for_timeout(1500)  # data grids draw on canvas after layout
    page.screenshot(path=SHOTS / "2_条文核对.png", full_page=True)


def test_audit_page_runs_an_example_query(page, app_url):
    open_page(page, app_url, "审计追溯")
    page.get_by_role("button", name="运行").click()
    page.locator('[data-testid="stDataFrame"]').first.wait_for()
    page.screenshot(path=SHOTS / "3_审计追溯.png", full_page=True)


def test_batch_upload_gives_a_results_table(page, app_url, tmp_path):
    csv = tmp_path / "enterprises.csv"  # as Excel saves a Chinese CSV: GB18030; one bad row
    csv.write_bytes("id,ForeignRDCenter,municipalFunds,exhibitionFees,confirmed\n甲公司,held,12000000,20000000;5000000,10.1-1\n"
                    "乙公司,,很多,,\n".encode("gb18030"))
    open_page(page, app_url, "批量检查")
    page.get_by_text("本政策为征求意见稿", exact=False).first.wait_for()
    page.locator('input[type="file"]').set_input_files(str(csv))
    page.locator('[data-testid="stDataFrame"]').first.wait_for()
    page.get_by_text("1 行无法读取", exact=False).wait_for()
    with page.expect_download() as got:
        page.get_by_role("button", name="下载 results.csv").click()
    import csv
    rows = list(csv.reader(Path(got.value.path()).read_text(encoding="utf-8-sig").splitlines()))
    assert rows[0][:3] == ["row", "id", "status"] and len(rows) == 3
    assert rows[1][:3] == ["2", "甲公司", "ok"] and "10.1(10.1-1)" in rows[1] and rows[2][:3] == ["3", "", "error"]
    page.wait_for_timeout(500)
    page.screenshot(path=SHOTS / "4_批量检查.png", full_page=True)
