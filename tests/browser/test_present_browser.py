"""Presenting: the Present page steps through the events with the arrow keys and the buttons (real keys and
clicks) at the three window sizes, nothing of it cut off; and the same story as one offline HTML file."""

from __future__ import annotations

import time
from urllib.parse import parse_qs, urlparse

import pytest

from geo.mapview import story_map, story_steps
from tests.browser.conftest import record_timing
from tests.browser.test_app_browser import MAP_TIMEOUT_S, _count_markers, _wait_for

pytestmark = pytest.mark.browser

SIZES = [(1400, 950), (1024, 768), (390, 844)]


def _step(page) -> str:
    return page.locator(".sm-present-step").inner_text().strip()


def _inside(page, locator) -> None:
    box = locator.bounding_box()
    width = page.viewport_size["width"]
    assert box is not None and box["x"] >= 0 and box["x"] + box["width"] <= width + 1, (box, width)


@pytest.mark.parametrize("size", SIZES, ids=[f"{w}x{h}" for w, h in SIZES])
def test_present_steps_with_keys_and_buttons(browser, app_url, sample, size):
    total = sum(e.event_type.value != "Statement" for e in sample.events)
    context = browser.new_context(viewport={"width": size[0], "height": size[1]})
    page = context.new_page()
    try:
        page.goto(f"{app_url}/present")
        _wait_for(page, lambda: _count_markers(page) == 1, MAP_TIMEOUT_S, "the first event alone on the map")
        assert _step(page) == f"1 / {total}"
        for part in (page.locator(".sm-present-what"), page.locator(".sm-present-sentence"),
                     page.get_by_role("button", name="▶"), page.get_by_role("button", name="◀")):
            _inside(page, part)  # nothing cut off at this size
        page.locator(".sm-present-what").click()  # focus the page (not the map), as a presenter would
        started = time.perf_counter()
        page.keyboard.press("ArrowRight")
        _wait_for(page, lambda: _step(page) == f"2 / {total}", 15, "step 2 by the arrow key")
        _wait_for(page, lambda: _count_markers(page) == 2, 15, "two events so far")
        record_timing(f"present_step_to_markers_{size[0]}_s", time.perf_counter() - started)
        page.keyboard.press("ArrowRight")
        _wait_for(page, lambda: _step(page) == f"3 / {total}", 15, "step 3")
        page.keyboard.press("ArrowLeft")
        _wait_for(page, lambda: _step(page) == f"2 / {total}", 15, "back to step 2")
        page.get_by_role("button", name="▶").click()
        _wait_for(page, lambda: _step(page) == f"3 / {total}", 15, "step 3 by the button")
        _wait_for(page, lambda: parse_qs(urlparse(page.url).query).get("step") == ["3"], 10, "the step in the URL")
        assert parse_qs(urlparse(page.url).query)["ev"]
        page.reload()  # the step is in the URL
        _wait_for(page, lambda: _count_markers(page) == 3, MAP_TIMEOUT_S, "step 3 again after a reload")
        assert _step(page) == f"3 / {total}"
    finally:
        context.close()


def test_the_story_as_one_offline_file(browser, pipeline, sample, tmp_path):
    events = sample.events_gdf
    steps = story_steps(events)
    path = tmp_path / "story.html"
    path.write_text(story_map(sample.places, events, pipeline.gazetteer, pipeline.settings, "Sample").get_root()
                    .render(), encoding="utf-8")
    context = browser.new_context(viewport={"width": 1024, "height": 768})
    page = context.new_page()
    outside: list[str] = []
    page.on("request", lambda r: outside.append(r.url) if not r.url.startswith(("file:", "data:", "about:",
                                                                                  "blob:")) else None)
    try:
        page.goto(path.as_uri())
        step = page.locator(".sm-step")
        _wait_for(page, lambda: step.inner_text() == f"1 / {len(steps)}", 10, "the first step")
        page.keyboard.press("ArrowRight")
        page.keyboard.press("ArrowRight")
        _wait_for(page, lambda: step.inner_text() == f"3 / {len(steps)}", 10, "step 3 by the keys")
        _wait_for(page, lambda: page.locator(".leaflet-popup").count() == 1, 10, "the step's popup")
        assert steps[2]["where"] in page.locator(".sm-story-what").inner_text()
        page.get_by_role("button", name="◀ Previous").click()
        _wait_for(page, lambda: step.inner_text() == f"2 / {len(steps)}", 10, "back by the button")
        assert outside == []
    finally:
        context.close()
