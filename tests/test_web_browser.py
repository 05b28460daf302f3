"""The web app in a real browser: Debian's Chromium driven by Playwright, against `unspin serve`
running in its own process on loopback."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from playwright.sync_api import Browser, ConsoleMessage, Dialog, Page, sync_playwright

from .web_helpers import (
    EXAMPLES,
    HOSTILE_ID,
    HOSTILE_TITLE,
    SOURCE_ID,
    Server,
    build_index,
    hostile_copy,
    html_page,
    spun_text,
    warc_bytes,
)

CHROMIUM = "/usr/bin/chromium"
MAX_BYTES = 300_000


@pytest.fixture(scope="module")
def server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Server]:
    index = build_index(tmp_path_factory.mktemp("browser") / "index")
    srv = Server(index, "--max-bytes", str(MAX_BYTES), "--threads", "2",
                 "--time-limit", "300")  # a loaded CI machine runs the model slowly
    yield srv
    srv.stop()


@pytest.fixture(scope="module")
def browser() -> Iterator[Browser]:
    with sync_playwright() as p:
        b = p.chromium.launch(executable_path=CHROMIUM, args=["--no-sandbox"], headless=True)
        yield b
        b.close()


class Watched:
    """A page with every dialog and console message recorded."""

    def __init__(self, page: Page) -> None:
        self.page = page
        self.dialogs: list[str] = []
        self.console: list[str] = []
        page.on("dialog", self._dialog)
        page.on("console", self._console)

    def _dialog(self, dialog: Dialog) -> None:
        self.dialogs.append(dialog.message)
        dialog.dismiss()

    def _console(self, msg: ConsoleMessage) -> None:
        self.console.append(msg.text)

    def csp_violations(self) -> list[str]:
        return [m for m in self.console if "Content Security Policy" in m]


@pytest.fixture()
def page(browser: Browser) -> Iterator[Watched]:
    context = browser.new_context()
    context.set_default_timeout(120_000)  # Playwright's 30 s is too short on a loaded 2-core machine
    yield Watched(context.new_page())
    context.close()


def test_paste_a_spun_copy_shows_verdict_source_and_substitutions(server: Server,
                                                                   page: Watched) -> None:
    p = page.page
    p.goto(server.url + "/")
    p.fill("textarea[name=text]", spun_text())
    p.click("button[type=submit]")
    p.wait_for_selector(".verdict")
    assert p.inner_text(".verdict-label") == "Derived"
    assert p.inner_text(".source-id").strip() == SOURCE_ID
    assert "Lukman Sees Stable Oil Price" in p.inner_text(".source-title")
    subs_suspect = p.locator(".suspect-text mark.sub")
    subs_source = p.locator(".source-text mark.sub")
    assert subs_suspect.count() >= 5 and subs_source.count() >= 5
    assert "amateurish" in " ".join(subs_suspect.all_inner_texts())
    assert "current" in " ".join(subs_source.all_inner_texts())
    # clicking the last passage of the suspect brings its counterpart into view
    last = p.locator(".suspect-text .passage").last
    twin_id = last.get_attribute("data-twin")
    p.evaluate("id => document.getElementById(id).closest('.text').scrollTop = 0", twin_id)
    last.click()
    p.wait_for_function("""id => { const el = document.getElementById(id);
        const box = el.closest('.text').getBoundingClientRect(), r = el.getBoundingClientRect();
        return r.bottom > box.top && r.top < box.bottom && el.closest('.text').scrollTop > 0; }""",
                        arg=twin_id, timeout=15000)
    # the restored text toggles open as a diff
    p.click("details.restored summary")
    assert p.locator("details.restored ins").first.is_visible()
    assert not page.dialogs and not page.csp_violations()


def test_warc_upload_gives_a_sortable_batch_table(server: Server, page: Watched,
                                                  tmp_path: Path) -> None:
    warc = tmp_path / "crawl.warc.gz"
    warc.write_bytes(warc_bytes([("https://a.example/1", html_page("Oil", spun_text())),
                                 ("https://a.example/2", html_page("Tankers", hostile_copy())),
                                 ("https://a.example/3", html_page("Weather", "Sunny skies and "
                                  "a light breeze are expected over the coast for the weekend, "
                                  "forecasters said, with rain arriving on Monday."))]))
    p = page.page
    p.goto(server.url + "/")
    p.set_input_files("input[type=file]", str(warc))
    p.click("button[type=submit]")
    p.wait_for_selector("text=Done: 3 of 3 checked", timeout=240_000)
    rows = p.locator("table.summary tbody tr")
    assert rows.count() == 3, p.locator("main").inner_text()  # a failed check is listed there
    verdicts = p.locator("table.summary tbody td:nth-child(3)").all_inner_texts()
    assert sorted(verdicts) == ["derived", "derived", "not derived"]
    p.click("table.summary th:nth-child(4)")  # sort by confidence, ascending
    confidences = [float(x) for x in p.locator("table.summary tbody td:nth-child(4)").all_inner_texts()]
    assert confidences == sorted(confidences)
    p.locator("table.summary tbody a").first.click()
    p.wait_for_selector(".verdict")
    assert not page.dialogs and not page.csp_violations()


def test_hostile_article_renders_as_text(server: Server, page: Watched) -> None:
    p = page.page
    p.goto(server.url + "/index?q=Tanker")
    p.click(".matches a")
    p.wait_for_selector(".article-title")
    assert p.inner_text(".article-title") == HOSTILE_TITLE
    assert p.inner_text(".article-id") == HOSTILE_ID
    assert "<script>alert('body')</script>" in p.inner_text(".article-text")
    assert p.locator("a[href^='javascript:']").count() == 0
    assert p.locator("img").count() == 0 and p.locator("main script").count() == 0
    # the same article as a report's source
    p.goto(server.url + "/")
    p.fill("textarea[name=text]", hostile_copy())
    p.click("button[type=submit]")
    p.wait_for_selector(".source-id")
    assert p.inner_text(".source-id") == HOSTILE_ID
    assert p.inner_text(".source-title") == HOSTILE_TITLE
    assert p.locator("a[href^='javascript:']").count() == 0 and p.locator("img").count() == 0
    p.wait_for_timeout(300)
    assert not page.dialogs, page.dialogs
    assert not page.csp_violations(), page.csp_violations()


def test_oversized_upload_gets_a_readable_message(server: Server, page: Watched,
                                                  tmp_path: Path) -> None:
    big = tmp_path / "big.txt"
    big.write_text("lorem ipsum " * (MAX_BYTES // 6), encoding="utf-8")
    p = page.page
    p.goto(server.url + "/")
    p.set_input_files("input[type=file]", str(big))
    p.click("button[type=submit]")
    msg = p.locator(".upload-error")
    msg.wait_for(state="visible")
    assert "over this server's limit" in msg.inner_text() and "big.txt" in msg.inner_text()
    # without the page's script (a plain form post), the server answers with a readable page
    p.set_content("")  # leave the page
    page2 = p.context.new_page()
    page2.route("**/static/report.js", lambda route: route.abort())
    page2.goto(server.url + "/")
    page2.set_input_files("input[type=file]", str(big))
    page2.click("button[type=submit]")
    page2.wait_for_selector(".error")
    assert "over this server's limit" in page2.inner_text(".error")
    assert "--max-bytes" in page2.inner_text(".error")


def test_check_html_file_opens_offline_with_its_script(server: Server, page: Watched,
                                                       tmp_path: Path) -> None:
    from unspin.cli import main

    out = tmp_path / "report.html"
    spun = str(EXAMPLES / "suspects" / "spun.txt")
    assert main(["check", spun, "--index", str(server.index), "--html", str(out), "-q",
                 "--no-learn"]) == 0
    p = page.page
    requests: list[str] = []
    p.on("request", lambda r: requests.append(r.url))
    p.goto(out.as_uri())
    assert p.inner_text(".verdict-label") == "Derived"
    passage = p.locator(".suspect-text .passage").first
    twin = p.locator("#" + str(passage.get_attribute("data-twin")))
    passage.click()
    assert "flash" in (twin.get_attribute("class") or "")  # the inlined script ran
    assert requests == [out.as_uri()]
    assert not page.csp_violations() and not page.dialogs
