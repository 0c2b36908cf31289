"""An auditor in a real browser: Debian's chromium, headless, with JavaScript
turned off, driven through chromedriver, goes from the register to the
partnership, to a record's history, to the register as it stood at a
position, and to the proof, clicking links and filling the pages' forms.

The browser's own log must hold no error (a blocked script or style, a file
not found), and a screenshot of each page is kept in ``test-output/browser/``.
Without chromium and its driver (``apt-get install -y chromium
chromium-driver``; ``.ci/run`` installs them) the test is skipped, and CI
fails on that skip.
"""

from __future__ import annotations

import base64
import shutil
from collections.abc import Iterator
from pathlib import Path

import pytest
from http_harness import Server, running_server
from selenium import webdriver
from selenium.webdriver.common.by import By
from selenium.webdriver.remote.webdriver import WebDriver
from selenium.webdriver.support import expected_conditions
from selenium.webdriver.support.wait import WebDriverWait

from citycoop.adapters.application.service import CityCoop
from citycoop.adapters.projections import catch_up
from tests.integration.projection_story import History, record_history

CHROMIUM = "/usr/bin/chromium"
CHROMEDRIVER = "/usr/bin/chromedriver"
SCREENSHOTS = Path(__file__).resolve().parents[2] / "test-output" / "browser"
FLAGS = (
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--hide-scrollbars",
    "--force-device-scale-factor=1",
    "--window-size=1200,900",
)
PARTNERSHIP_TOP = 1000
"""Pixels of the partnership page that show its summary, charts and first corrections."""
JAVASCRIPT_OFF = {"profile.managed_default_content_settings.javascript": 2}


@pytest.fixture
def browser(tmp_path: Path) -> Iterator[WebDriver]:
    missing = [path for path in (CHROMIUM, CHROMEDRIVER) if shutil.which(path) is None]
    if missing:
        pytest.skip(f"the browser test needs {' and '.join(missing)}: apt-get install -y chromium chromium-driver")
    options = webdriver.ChromeOptions()
    options.binary_location = CHROMIUM
    for flag in (*FLAGS, f"--user-data-dir={tmp_path / 'profile'}"):
        options.add_argument(flag)
    options.add_experimental_option("prefs", JAVASCRIPT_OFF)
    options.set_capability("goog:loggingPrefs", {"browser": "ALL"})
    driver = webdriver.Chrome(service=webdriver.ChromeService(CHROMEDRIVER), options=options)
    try:
        yield driver
    finally:
        driver.quit()


@pytest.fixture
def served(sqlite_store: str, tmp_path: Path) -> Iterator[tuple[Server, History]]:
    app = CityCoop(sqlite_store)
    story = record_history(app)
    catch_up(app)
    app.close()
    with running_server(sqlite_store, tmp_path / "server.log") as server:
        yield server, story


def screenshot(browser: WebDriver, name: str, height: int | None = None) -> None:
    """The whole page, however long, or its first ``height`` pixels, as PNG."""
    size = browser.execute_cdp_cmd("Page.getLayoutMetrics", {})["cssContentSize"]
    clip = {"x": 0, "y": 0, "width": size["width"], "height": min(height or size["height"], size["height"]), "scale": 1}
    shot = browser.execute_cdp_cmd(
        "Page.captureScreenshot", {"format": "png", "captureBeyondViewport": True, "clip": clip}
    )
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    (SCREENSHOTS / f"{name}.png").write_bytes(base64.b64decode(shot["data"]))


def text(browser: WebDriver, selector: str) -> str:
    return browser.find_element(By.CSS_SELECTOR, selector).text


def submit(browser: WebDriver, form: str) -> None:
    """Send ``form`` and wait for the page it answers with: a click on a
    form's button returns before the browser has left the page (a link's
    click waits), so what follows could read the page it was sent from."""
    page = browser.find_element(By.TAG_NAME, "html")
    browser.find_element(By.CSS_SELECTOR, f"{form} button").click()
    WebDriverWait(browser, 30).until(expected_conditions.staleness_of(page))


def test_an_auditor_goes_from_the_register_to_a_partnership_its_history_the_past_and_the_proof(
    browser: WebDriver, served: tuple[Server, History]
) -> None:
    server, story = served
    browser.get("data:text/html,<title>off</title><script>document.title = 'on'</script>")
    assert browser.title == "off", "this browser runs no script, so the pages must do without"

    browser.get(f"{server.base_url}/")
    assert browser.title == "Register · citycoop"
    assert "3 strategic and 12 industrial projects (15 in total)" in text(browser, "table.register")
    screenshot(browser, "1-register")

    browser.find_element(By.LINK_TEXT, "Wuxi–Singapore").click()
    assert browser.current_url == f"{server.base_url}/pages/partnerships/{story.wuxi_singapore}"
    assert text(browser, "h1") == "Wuxi–Singapore"
    struck = browser.find_elements(By.CSS_SELECTOR, "li.corrected del")
    assert [old.text for old in struck] == ["200", "10", "700"]
    assert [new.text for new in browser.find_elements(By.CSS_SELECTOR, "li.corrected ins")] == ["199", "12", "750"]
    assert "line-through" in struck[0].value_of_css_property("text-decoration"), "the stylesheet is applied"
    assert len(browser.find_elements(By.CSS_SELECTOR, "svg.chart")) == 2
    screenshot(browser, "2-partnership")
    screenshot(browser, "2-partnership-top", height=PARTNERSHIP_TOP)  # README's (docs/partnership-page.png)

    browser.find_element(By.LINK_TEXT, "history of the partnership").click()
    assert text(browser, "h1") == "History of the partnership Wuxi–Singapore"
    assert "Partnership.Corrected" in text(browser, "table.history")
    screenshot(browser, "3-history")

    as_of = browser.find_element(By.ID, "as_of")
    as_of.send_keys("8")
    submit(browser, "form.as-of")
    assert text(browser, ".as-of-banner").startswith("As the register stood at log position 8")
    browser.find_element(By.LINK_TEXT, "Register").click()
    assert browser.current_url == f"{server.base_url}/?as_of=8"
    assert "3 strategic and 10 industrial projects (13 in total)" in text(browser, "table.register")
    screenshot(browser, "4-as-of")

    browser.find_element(By.LINK_TEXT, "Proof").click()
    assert text(browser, ".banner.intact").startswith("Intact: ")
    browser.find_element(By.ID, "expect").send_keys("ab" * 32)
    submit(browser, "form.expect")
    assert text(browser, ".banner.altered").startswith("Altered: the log does not extend the sealed head")
    screenshot(browser, "5-proof")

    assert [entry for entry in browser.get_log("browser") if entry["level"] == "SEVERE"] == []
