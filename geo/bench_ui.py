"""Interaction timings in a real browser (``python -m geo.bench ui``; part of ``make bench``): how long the map
takes to follow a brush on the timeline with 5,000 events (in a test app of the map's update path, and on the
app's own map page over a workspace of 5,000 events), and a step of the presentation on the sample.

Each figure is the time from the person's action (mouse released at the end of a brush; the arrow key pressed)
to the map showing the result: for a brush, the number of markers the map holds has changed and stays so for
150 ms; for a step, the step counter says the new step, the map holds one marker more, and the event's marker is
labelled (the map has flown there). Headless Debian chromium, the same flags as the browser tests; medians and maxima of several tries.
"""

from __future__ import annotations

import os
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from geo.bench_hosting import _free_port, _stop, _wait_health

ROOT = Path(__file__).resolve().parent.parent
#: Events the map holds now (grouped or not, with the selected one drawn apart).
HELD_JS = ("() => typeof window.smLayer === 'undefined' ? -1 : window.smLayer.cluster.getLayers().length + "
           "(window.smLayer.selected ? 1 : 0)")


def _serve(script: str, env: dict[str, str]) -> tuple[subprocess.Popen, str]:
    port = _free_port()
    proc = subprocess.Popen([sys.executable, "-m", "streamlit", "run", script, "--server.port", str(port),
                             "--server.headless", "true", "--server.address", "127.0.0.1"], cwd=ROOT,
                            stdout=subprocess.DEVNULL, stderr=subprocess.STDOUT,
                            env={**os.environ, "PYTHONUNBUFFERED": "1", **env})
    url = f"http://127.0.0.1:{port}"
    _wait_health(url, 120, proc)
    return proc, url


def _frame(page):  # type: ignore[no-untyped-def]
    return next((f for f in page.frames if "streamlit_folium" in f.url), None)


def _held(page) -> int:  # type: ignore[no-untyped-def]
    try:
        frame = _frame(page)
        return int(frame.evaluate(HELD_JS)) if frame else -1
    except Exception:  # noqa: BLE001 - the frame is being replaced by a rerun
        return -1


def _until(page, predicate, timeout: float = 30.0) -> float:  # type: ignore[no-untyped-def]
    started = time.perf_counter()
    while time.perf_counter() - started < timeout:
        if predicate():
            return time.perf_counter() - started
        page.wait_for_timeout(10)
    raise RuntimeError("timed out")


def _brush(page, start: float, end: float) -> None:  # type: ignore[no-untyped-def]
    chart = page.locator('[data-testid="stVegaLiteChart"]').first
    chart.scroll_into_view_if_needed()
    box = chart.bounding_box()
    y = box["y"] + 25
    page.mouse.move(box["x"] + box["width"] * start, y)
    page.mouse.down()
    page.mouse.move(box["x"] + box["width"] * end, y, steps=8)


def _settled_change(page, before: int, started: float, quiet: float = 0.15, timeout: float = 30.0) -> float:  # type: ignore[no-untyped-def]
    """Seconds from ``started`` to the last change of the markers held, once it differs from ``before`` and has
    not changed for ``quiet`` seconds (a redraw passing through an intermediate state is not the result)."""
    value, changed = before, started
    while time.perf_counter() - started < timeout:
        now = _held(page)
        if now != value and now != -1:
            value, changed = now, time.perf_counter()
        if value != before and time.perf_counter() - changed >= quiet:
            return changed - started
        page.wait_for_timeout(10)
    raise RuntimeError(f"the markers did not change from {before} (now {_held(page)})")


def brush_timings(browser, tries: int = 5) -> dict[str, float]:  # type: ignore[no-untyped-def]
    proc, url = _serve("tests/browser/many_events_app.py", {})
    try:
        page = browser.new_page(viewport={"width": 1400, "height": 950})
        page.goto(url + "/?n=5000")
        _until(page, lambda: _held(page) == 5000, 180)
        page.wait_for_timeout(1500)
        seconds = []
        for n in range(tries):
            before = _held(page)
            _brush(page, *((0.12, 0.4) if n % 2 == 0 else (0.6, 0.9)))  # outside the last brush: a new one
            started = time.perf_counter()
            page.mouse.up()
            seen = _settled_change(page, before, started)
            seconds.append(seen)
            page.wait_for_timeout(1200)
        page.close()
    finally:
        _stop(proc)
    return {"brush_to_markers_5000_events_median_s": statistics.median(seconds),
            "brush_to_markers_5000_events_max_s": max(seconds)}


def page_workspace(folder: Path, articles: int = 125) -> str:
    """A workspace of ``articles`` reports of 40 incidents each (``geo.bench_workspace``'s own text: 5,000 events
    for 125), built through the library in ``folder``; returns its slug."""
    import datetime as dt

    from geo.bench_workspace import article_text
    from geo.pipeline import Pipeline
    from geo.workspace import WorkspaceFolder

    pipeline, workspaces = Pipeline(), WorkspaceFolder(folder)
    slug, store = workspaces.create("Bench 5000")
    for i in range(articles):
        text = article_text(i)  # (day i from 1 March 2022: no two incidents share a town and a day)
        analysis = pipeline.analyze(pipeline.load(text, published=dt.date(2022, 5, 1), article_id=f"r{i:03d}"))
        store.put_analysis(analysis, text, f"r{i:03d}.txt", author="bench")
    return slug


def page_brush_timings(browser, tries: int = 5) -> dict[str, float]:  # type: ignore[no-untyped-def]
    """The same brush on the app's own map page (its fragment: filters, map, key, timeline, table) over a
    workspace of 5,000 events."""
    with tempfile.TemporaryDirectory() as folder:
        slug = page_workspace(Path(folder))
        proc, url = _serve("app.py", {"SITMAP_WORKSPACES": folder})
        try:
            page = browser.new_page(viewport={"width": 1400, "height": 950})
            page.goto(f"{url}/?ws={slug}")
            _until(page, lambda: _held(page) > 4000, 300)
            held = _held(page)
            page.wait_for_timeout(2000)
            seconds = []
            for n in range(tries):
                before = _held(page)
                _brush(page, *((0.12, 0.4) if n % 2 == 0 else (0.6, 0.9)))
                started = time.perf_counter()
                page.mouse.up()
                seconds.append(_settled_change(page, before, started))
                page.wait_for_timeout(1500)
            page.close()
        finally:
            _stop(proc)
    return {"page_events_held": held, "page_brush_to_markers_median_s": statistics.median(seconds),
            "page_brush_to_markers_max_s": max(seconds)}


def _story_frame(page):  # type: ignore[no-untyped-def]
    for frame in page.frames:
        try:
            if frame is not page.main_frame and frame.locator(".sm-story").count():
                return frame
        except Exception:  # noqa: BLE001 - a frame going away
            continue
    return None


def present_timings(browser, steps: int = 6) -> dict[str, float]:  # type: ignore[no-untyped-def]
    with tempfile.TemporaryDirectory() as folder:
        proc, url = _serve("app.py", {"SITMAP_WORKSPACES": folder})
        try:
            page = browser.new_page(viewport={"width": 1024, "height": 768})
            page.goto(url + "/present")
            _until(page, lambda: (f := _story_frame(page)) is not None and f.evaluate(HELD_JS) == 1, 120)
            page.wait_for_timeout(1500)
            frame = _story_frame(page)
            page.locator(".sm-present-title").click()  # the presenter's page has the keyboard, not the map
            seconds = []
            for k in range(2, steps + 2):
                started = time.perf_counter()
                page.keyboard.press("ArrowRight")

                def settled(k: int = k) -> bool:
                    return (frame.locator(".sm-step").inner_text().startswith(f"{k} /")
                            and frame.evaluate(HELD_JS) == k and frame.locator(".leaflet-tooltip").count() >= 1)

                _until(page, settled, 30)
                seconds.append(time.perf_counter() - started)
                page.wait_for_timeout(800)
            page.close()
        finally:
            _stop(proc)
    return {"present_step_to_map_settled_median_s": statistics.median(seconds),
            "present_step_to_map_settled_max_s": max(seconds)}


def ui_timings() -> dict[str, float]:
    from playwright.sync_api import sync_playwright

    from geo.bench import CHROMIUM, CHROMIUM_ARGS

    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        try:
            return {**present_timings(browser), **brush_timings(browser), **page_brush_timings(browser)}
        finally:
            browser.close()
