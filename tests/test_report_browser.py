"""The static report in a real headless browser (Debian's chromium through selenium, no server, no network).

Built from the shipped samples (`sample_db`): the overview and every plan page load with no
console errors, every chart is a drawn SVG, and every crop link points at a PNG that exists
and decodes. With UPDATE_SCREENSHOT=1 the overview's screenshot is saved as docs/img/report.png
(the README shows it).
"""

from __future__ import annotations

import os
import shutil
from pathlib import Path

import pytest
from PIL import Image
from selenium import webdriver
from selenium.webdriver.chrome.service import Service
from selenium.webdriver.common.by import By

from pipeline.report import build_report

REPO = Path(__file__).resolve().parent.parent
CHARTS = ("chart-targets-by-area", "chart-metric-distribution", "chart-agency-load", "chart-deadlines")


def _chromium() -> tuple[str, str]:
    browser = shutil.which("chromium") or shutil.which("chromium-browser")
    driver = shutil.which("chromedriver")
    assert browser and driver, "needs Debian's chromium and chromium-driver (make system-deps installs them)"
    return browser, driver


@pytest.fixture(scope="module")
def report(sample_db: Path, tmp_path_factory: pytest.TempPathFactory) -> Path:
    out = tmp_path_factory.mktemp("report")
    build_report(sample_db, out)
    return out


@pytest.fixture(scope="module")
def browser():
    binary, driver_path = _chromium()
    opts = webdriver.ChromeOptions()
    opts.binary_location = binary
    for arg in ("--headless=new", "--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage",
                "--window-size=1400,1800", "--allow-file-access-from-files"):
        opts.add_argument(arg)
    opts.set_capability("goog:loggingPrefs", {"browser": "ALL"})
    drv = webdriver.Chrome(service=Service(executable_path=driver_path), options=opts)
    try:
        yield drv
    finally:
        drv.quit()


def _errors(drv: webdriver.Chrome) -> list[str]:
    return [e["message"] for e in drv.get_log("browser") if e["level"] in ("SEVERE", "ERROR")]


def test_overview_loads_and_every_chart_renders(report: Path, browser: webdriver.Chrome) -> None:
    browser.get((report / "index.html").as_uri())
    assert browser.title == "CCHC plans"
    assert _errors(browser) == []
    for chart_id in CHARTS:
        fig = browser.find_element(By.ID, chart_id)
        svg = fig.find_element(By.TAG_NAME, "svg")
        size = svg.size
        assert size["width"] > 200 and size["height"] > 100, (chart_id, size)
        drawn = browser.execute_script(
            "return arguments[0].querySelectorAll('path, rect, use').length", svg
        )
        assert drawn > 5, chart_id
        assert "no data" not in svg.text, chart_id  # the samples have data for every chart
    plans = browser.find_elements(By.CSS_SELECTOR, "#plans tbody tr")
    assert len(plans) == len(list((report / "plans").glob("*.html")))
    if os.environ.get("UPDATE_SCREENSHOT"):
        target = REPO / "docs" / "img" / "report.png"
        target.parent.mkdir(parents=True, exist_ok=True)
        browser.save_screenshot(str(target))


def test_every_plan_page_loads_and_every_crop_resolves(report: Path, browser: webdriver.Chrome) -> None:
    crops = 0
    low = 0
    for page in sorted((report / "plans").glob("*.html")):
        browser.get(page.as_uri())
        assert _errors(browser) == [], page.name
        assert browser.find_elements(By.CSS_SELECTOR, "table.header tbody tr"), page.name
        low += len(browser.find_elements(By.CSS_SELECTOR, ".value.low"))
        hrefs = [a.get_attribute("href") for a in browser.find_elements(By.CSS_SELECTOR, "a.crop")]
        for href in hrefs:
            assert href.startswith("file://")
            path = Path(href.removeprefix("file://"))
            assert path.is_file(), href
            with Image.open(path) as im:
                assert im.format == "PNG" and im.width > 20 and im.height > 10
        crops += len(hrefs)
        if hrefs:  # the browser itself decodes one crop per plan
            browser.get(hrefs[0])
            assert browser.execute_script("return document.images.length && document.images[0].naturalWidth") > 0
    assert crops > 100  # the four sample PDFs give every value found a crop
    assert low > 0  # the damaged seed dumps have highlighted values
