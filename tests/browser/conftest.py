"""A running app (streamlit on a free port) and headless Debian chromium driven by Playwright."""

from __future__ import annotations

import json
import os
import shutil
import socket
import subprocess
import sys
import time
import urllib.request
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import pytest

from geo.bench import CHROMIUM, CHROMIUM_ARGS
from tests.conftest import ROOT

LOCAL_PREFIXES = ("http://localhost", "http://127.0.0.1", "ws://localhost", "ws://127.0.0.1", "data:", "blob:",
                  "about:")
TIMINGS = ROOT / "build" / "browser-timings.json"


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def _serve(script: str, env: dict[str, str] | None = None, port: int | None = None) -> Iterator[str]:
    if not Path(CHROMIUM).exists():
        pytest.fail(f"{CHROMIUM} is missing: install Debian's chromium (.ci/run does).")
    port = port or _free_port()
    log_dir = ROOT / "build" / "server-logs"
    log_dir.mkdir(parents=True, exist_ok=True)
    log = open(log_dir / f"{Path(script).stem}-{port}.log", "wb")  # read after a failure; a pipe nobody reads fills up
    proc = subprocess.Popen(
        [sys.executable, "-m", "streamlit", "run", script, "--server.port", str(port), "--server.headless", "true",
         "--server.address", "127.0.0.1"],
        cwd=ROOT, stdout=log, stderr=subprocess.STDOUT, env={**os.environ, "PYTHONUNBUFFERED": "1", **(env or {})},
    )
    url = f"http://127.0.0.1:{port}"
    try:
        for _ in range(300):
            try:
                with urllib.request.urlopen(f"{url}/_stcore/health", timeout=1) as r:
                    if r.status == 200:
                        break
            except OSError:
                time.sleep(0.1)
        else:
            raise RuntimeError("streamlit did not start")
        yield url
    finally:
        proc.terminate()
        try:
            proc.wait(timeout=10)
        except subprocess.TimeoutExpired:
            proc.kill()
        log.close()


@pytest.fixture(scope="session", autouse=True)
def fresh_timings() -> None:
    """Timings are this run's only."""
    TIMINGS.unlink(missing_ok=True)


@pytest.fixture(scope="session")
def app_url() -> Iterator[str]:
    yield from _serve("app.py")


@pytest.fixture(scope="session")
def many_events_url() -> Iterator[str]:
    yield from _serve("tests/browser/many_events_app.py")


@pytest.fixture(scope="session")
def browser():
    from playwright.sync_api import sync_playwright

    with sync_playwright() as p:
        b = p.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        yield b
        b.close()


@pytest.fixture()
def page(browser, app_url):
    context = browser.new_context(viewport={"width": 1500, "height": 1000})
    page = context.new_page()
    page.outside_requests = []  # type: ignore[attr-defined]
    page.on("request", lambda r: None if r.url.startswith(LOCAL_PREFIXES) else page.outside_requests.append(r.url))
    page.dialogs = []  # type: ignore[attr-defined]
    page.on("dialog", lambda d: (page.dialogs.append(d.message), d.dismiss()))
    yield page
    context.close()


@contextmanager
def sized_page(browser, size: tuple[int, int]):  # type: ignore[no-untyped-def]
    """A page in a browser context of its own, its window ``size`` (width, height); closed afterwards."""
    context = browser.new_context(viewport={"width": size[0], "height": size[1]})
    try:
        yield context.new_page()
    finally:
        context.close()


def record_timing(name: str, seconds: float) -> None:
    """Keep the browser timings for `make bench` to report."""
    TIMINGS.parent.mkdir(exist_ok=True)
    data = json.loads(TIMINGS.read_text()) if TIMINGS.exists() else {}
    data[name] = round(seconds, 3)
    TIMINGS.write_text(json.dumps(data, indent=1))
    print(f"timing {name}: {seconds * 1000:.0f} ms")


def have_chromium() -> bool:
    return shutil.which("chromium") is not None
