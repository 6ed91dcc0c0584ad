"""Presenting: the Present page steps through the events with the arrow keys and the buttons (real keys and
clicks) at the three window sizes, nothing of it cut off; and the same story as one offline HTML file."""

from __future__ import annotations

from urllib.parse import parse_qs, urlparse

import pytest

from geo.mapview import story_map, story_steps
from tests.browser.conftest import sized_page
from tests.browser.test_app_browser import COUNT_JS, MAP_TIMEOUT_S, _wait_for

pytestmark = pytest.mark.browser

SIZES = [(1400, 950), (1024, 768), (390, 844)]


def _story(page):
    """The Present page's map: its frame holds the story's caption."""
    from playwright.sync_api import Error

    for frame in page.frames:
        try:
            if frame is not page.main_frame and frame.locator(".sm-story").count():
                return frame
        except Error:  # a frame going away
            continue
    return None


def _step(page) -> str:
    frame = _story(page)
    return frame.locator(".sm-step").inner_text().strip() if frame else ""


def _shown(page) -> int:
    frame = _story(page)
    return frame.evaluate(COUNT_JS) if frame else -1


def _inside(page, locator) -> None:
    box = locator.bounding_box()  # (a frame's element: the box is in the page's coordinates)
    width, height = page.viewport_size["width"], page.viewport_size["height"]
    assert box is not None and box["x"] >= 0 and box["x"] + box["width"] <= width + 1, (box, width)
    assert box["y"] >= 0 and box["y"] + box["height"] <= height + 1, (box, height)


def _labelled_above_the_caption(page, story) -> None:
    """The step's marker is labelled, and the label (over the marker) is on the map above the caption, not under it."""
    _wait_for(page, lambda: story.locator(".leaflet-tooltip").count() == 1, 10, "the step's marker labelled")
    label = story.locator(".leaflet-tooltip").bounding_box()
    caption = story.locator(".sm-story").bounding_box()
    frame = story.locator(".leaflet-container").bounding_box()
    assert frame["y"] <= label["y"] and label["y"] + label["height"] <= caption["y"], (label, caption, frame)


def _seen_from_the_back(story) -> None:
    """Walkthrough, on a projector: the markers were small, and the scale sat under the caption. The step's marker
    is drawn at 30 px or more, its label above it, not over it; the scale is on the map, clear of the caption."""
    marker = story.locator(".sm-event svg").first.bounding_box()
    assert marker["width"] >= 30, marker
    label = story.locator(".leaflet-tooltip").bounding_box()
    labelled = [b for b in (story.locator(".sm-event svg").nth(i).bounding_box()
                            for i in range(story.locator(".sm-event svg").count())) if b]
    assert any(label["y"] + label["height"] <= b["y"] + 2 for b in labelled), (label, labelled)
    scale, caption = story.locator(".leaflet-control-scale").bounding_box(), story.locator(".sm-story").bounding_box()
    assert scale is not None and scale["y"] + scale["height"] <= caption["y"], (scale, caption)


@pytest.mark.parametrize("size", SIZES, ids=[f"{w}x{h}" for w, h in SIZES])
def test_present_steps_with_keys_and_buttons(browser, app_url, sample, size):
    total = sum(e.event_type.value != "Statement" for e in sample.events)
    with sized_page(browser, size) as page:
        page.goto(f"{app_url}/present")
        _wait_for(page, lambda: _story(page) is not None and _shown(page) == 1, MAP_TIMEOUT_S,
                  "the first event alone on the map")
        assert _step(page) == f"1 / {total}"
        story = _story(page)
        for part in (story.locator(".sm-story-what"), story.locator(".sm-story-sentence"),
                     story.get_by_role("button", name="Next ▶"), story.get_by_role("button", name="◀ Previous")):
            _inside(page, part)  # nothing cut off at this size
        # the keys are told beside the buttons (walkthrough: the hint in the title line was cut to "for a …" at
        # 1024); a phone has none
        keys = story.locator(".sm-keys")
        if size[0] > 640:
            assert keys.is_visible() and "← →" in keys.inner_text()
            _inside(page, keys)
        else:
            assert not keys.is_visible()
        assert page.locator(".sm-present-title").evaluate("t => t.scrollWidth <= t.clientWidth + 1")
        _labelled_above_the_caption(page, story)  # (the first slide's place sat under the caption: walkthrough)
        _seen_from_the_back(story)
        main = page.locator('[data-testid="stMain"]')  # the slide fills the window, no scrolling (was 15 px over)
        assert main.evaluate("m => m.scrollHeight - m.clientHeight") <= 1
        sentence = story.locator(".sm-story-sentence")
        if sentence.evaluate("s => s.scrollHeight > s.clientHeight + 2"):  # (a phone): a cue that there is more
            assert "sm-more" in sentence.get_attribute("class")
            box = sentence.bounding_box()
            page.mouse.move(box["x"] + box["width"] / 2, box["y"] + box["height"] / 2)
            page.mouse.wheel(0, 400)
            _wait_for(page, lambda: "sm-more" not in sentence.get_attribute("class"), 5, "the cue gone at the end")
        else:
            assert "sm-more" not in sentence.get_attribute("class")
        page.locator(".sm-present-title").click()  # the presenter's page has the focus (not the map)
        page.keyboard.press("ArrowRight")
        _wait_for(page, lambda: _step(page) == f"2 / {total}", 5, "step 2 by the arrow key")
        _wait_for(page, lambda: _shown(page) == 2, 5, "two events so far")
        _wait_for(page, lambda: story.locator(".leaflet-tooltip").count() == 1, 5, "step 2's marker labelled")
        assert story.locator(".sm-story-source").inner_text().startswith("From: ")
        page.keyboard.press("ArrowRight")
        _wait_for(page, lambda: _step(page) == f"3 / {total}", 5, "step 3")
        page.keyboard.press("ArrowLeft")
        _wait_for(page, lambda: _step(page) == f"2 / {total}", 5, "back to step 2")
        # the button stays where it was, whatever the length of the caption: taps in one spot step on and on
        spot = story.get_by_role("button", name="Next ▶").bounding_box()
        page.mouse.click(spot["x"] + spot["width"] / 2, spot["y"] + spot["height"] / 2)
        _wait_for(page, lambda: _step(page) == f"3 / {total}", 5, "step 3 by the button")
        page.mouse.click(spot["x"] + spot["width"] / 2, spot["y"] + spot["height"] / 2)
        _wait_for(page, lambda: _step(page) == f"4 / {total}", 5, "step 4 by a tap in the same spot")
        page.keyboard.press("ArrowLeft")
        _wait_for(page, lambda: _step(page) == f"3 / {total}", 5, "back to step 3")
        _wait_for(page, lambda: parse_qs(urlparse(page.url).query).get("step") == ["3"], 5, "the step in the URL")
        assert parse_qs(urlparse(page.url).query)["ev"]
        page.reload()  # the step is in the URL
        _wait_for(page, lambda: _story(page) is not None and _shown(page) == 3, MAP_TIMEOUT_S,
                  "step 3 again after a reload")
        assert _step(page) == f"3 / {total}"
        _labelled_above_the_caption(page, _story(page))


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
        _wait_for(page, lambda: page.locator(".leaflet-tooltip").count() == 1, 10, "the step's marker labelled")
        assert steps[2]["where"] in page.locator(".sm-story-what").inner_text()
        page.get_by_role("button", name="◀ Previous").click()
        _wait_for(page, lambda: step.inner_text() == f"2 / {len(steps)}", 10, "back by the button")
        assert outside == []
    finally:
        context.close()


def test_the_presentation_keeps_the_maps_filters(browser, app_url, sample):
    battles = sum(e.event_type.value == "Battles" for e in sample.events)
    with sized_page(browser, (1024, 768)) as page:
        page.goto(f"{app_url}/present?ws=sample&ft=Battles")  # as a link from the filtered map would
        _wait_for(page, lambda: _story(page) is not None and _step(page) == f"1 / {battles}", MAP_TIMEOUT_S,
                  "the battles only")
        assert page.get_by_text(f"filtered as on the map: {battles} of {len(sample.events)} events").count() == 1
