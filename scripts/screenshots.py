"""Screenshot of a report in the web app, for the README (``make screenshots``).

Starts ``unspin serve`` on a free loopback port over the demo index (built from the bundled sample
corpus into a temporary directory when ``build/demo-index`` is missing), pastes the spun sample
suspect into the Check page in Debian's Chromium (driven by Playwright, as the browser tests do)
and writes a PNG of the report.
"""

from __future__ import annotations

import argparse
import socket
import subprocess
import sys
import tempfile
import time
import urllib.request
from pathlib import Path

from playwright.sync_api import sync_playwright

ROOT = Path(__file__).resolve().parents[1]


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def wait_up(url: str, proc: subprocess.Popen[bytes], timeout: float = 60.0) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if proc.poll() is not None:
            raise SystemExit("unspin serve exited; see its messages above")
        try:
            with urllib.request.urlopen(url + "/api/index", timeout=2):
                return
        except OSError:
            time.sleep(0.3)
    raise SystemExit("unspin serve did not start within a minute")


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--index", default=str(ROOT / "build" / "demo-index"))
    parser.add_argument("--out", default=str(ROOT / "docs" / "report.png"))
    parser.add_argument("--chromium", default="/usr/bin/chromium")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        index = Path(args.index)
        if not (index / "unspin.sqlite").exists():
            index = Path(tmp) / "demo-index"
            subprocess.run([sys.executable, "-m", "unspin", "index", "build", "-q",
                            str(ROOT / "examples" / "corpus"), "--index", str(index)], check=True)
        port = free_port()
        url = f"http://127.0.0.1:{port}"
        proc = subprocess.Popen([sys.executable, "-m", "unspin", "serve", "--index", str(index),
                                 "--port", str(port)])
        try:
            wait_up(url, proc)
            with sync_playwright() as p:
                browser = p.chromium.launch(executable_path=args.chromium, args=["--no-sandbox"])
                page = browser.new_page(viewport={"width": 1360, "height": 1100})
                page.goto(url + "/")
                text = (ROOT / "examples" / "suspects" / "spun.txt").read_text(encoding="utf-8")
                page.fill("textarea[name=text]", text)
                page.click("button[type=submit]")
                page.wait_for_selector(".alignment")
                page.wait_for_timeout(300)
                Path(args.out).parent.mkdir(parents=True, exist_ok=True)
                page.screenshot(path=args.out, full_page=False)
                browser.close()
        finally:
            proc.terminate()
            proc.wait(10)
    print(f"wrote {args.out}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
