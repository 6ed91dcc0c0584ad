"""Several people on one server at once: each maps a different article at the same moment and sees only its own
article, places and markers (the pipeline and caches are shared; no document's state may leak)."""

from __future__ import annotations

import datetime as dt

import pytest

from tests.browser.conftest import LOCAL_PREFIXES
from tests.browser.test_app_browser import (
    ALL_MARKERS_JS,
    MAP_TIMEOUT_S,
    _load,
    _map_frame,
    _wait_for,
)
from tests.conftest import ROOT

pytestmark = pytest.mark.browser

# One town per session, far apart and with no shared words, so a leak shows in the text and on the map.
TOWNS = ["Kharkiv", "Lyon", "Aleppo", "Mosul"]


def _article(town: str) -> str:
    return (f"Artillery shelled {town} on Monday, killing three civilians, officials said. "
            f"On Tuesday hundreds of residents protested in {town} against the attacks. "
            f"Police in {town} arrested two men after clashes on Wednesday.")


def _article_text(page) -> str:
    """The article's text once the page shows one article (while it reruns, the old and new may both be there)."""
    from playwright.sync_api import Error

    articles = page.locator(".sm-article")
    try:
        return articles.first.inner_text(timeout=1000) if articles.count() == 1 else ""
    except Error:  # replaced by a rerun meanwhile
        return ""


def _in_map(page, script: str):  # type: ignore[no-untyped-def]
    """``script``'s value in the map's frame; while a late rerun replaces the frame (a loaded CI machine), again."""
    from playwright.sync_api import Error

    for attempt in range(30):
        try:
            return _map_frame(page).evaluate(script)
        except (Error, AttributeError):  # the frame detached, or not there yet
            if attempt == 29:
                raise
            page.wait_for_timeout(300)
    return None


def _popup_texts(page) -> list[str]:
    return _in_map(page, "() => { const out = []; " + ALL_MARKERS_JS + """.forEach(l => {
        if (l.options && l.options.smId && l.getPopup && l.getPopup()) {
            let c = l.getPopup().getContent();
            if (typeof c === 'function') { c = c(l); }  // the popup is built when opened
            out.push(typeof c === 'string' ? c : (c && (c.innerText || c.outerHTML)) || ''); } });
        return out; }""")


def _marker_points(page) -> list[tuple[float, float]]:
    return _in_map(page, "() => { const out = []; " + ALL_MARKERS_JS + """.forEach(l => {
        if (l.options && l.options.smId && l.getLatLng) { const p = l.getLatLng(); out.push([p.lat, p.lng]); } });
        return out; }""")


def _only_town_markers(page, town: str) -> bool:
    try:
        popups = _popup_texts(page)
    except Exception:  # noqa: BLE001 - the frame is being replaced; ask again
        return False
    return bool(popups) and all(town in p for p in popups)


def test_sessions_mapping_at_once_each_see_only_their_own(browser, app_url, pipeline):
    # What each article alone gives (the library, one at a time): each session must show exactly that.
    alone = {town: pipeline.analyze(pipeline.load(_article(town), published=dt.date.today())) for town in TOWNS}
    contexts, pages = [], {}
    try:
        for town in TOWNS:
            context = browser.new_context(viewport={"width": 1400, "height": 950})
            contexts.append(context)
            page = context.new_page()
            page.outside = []
            page.on("request", lambda r, p=page: None if r.url.startswith(LOCAL_PREFIXES) else p.outside.append(r.url))
            _load(page, app_url)
            page.get_by_text("Paste text").click()
            box = page.get_by_label("Article text (or HTML)")
            box.fill(_article(town))
            # The text box appears with the rerun the click started; make sure the text is in it, not lost to it.
            _wait_for(page, lambda b=box, t=town: b.input_value() == _article(t), 10, "the text in the box")
            page.wait_for_timeout(300)
            if box.input_value() != _article(town):
                box.fill(_article(town))
            pages[town] = page
        # Every session asks at (nearly) the same moment: real clicks, one right after the other.
        for page in pages.values():
            page.get_by_role("button", name="Map this article").click()
        for town, page in pages.items():
            try:
                _wait_for(page, lambda p=page, t=town: t in _article_text(p), MAP_TIMEOUT_S, f"{town}'s article")
            except AssertionError as err:
                page.screenshot(path=str(ROOT / "build" / f"session-{town}.png"), full_page=True)
                said = page.locator("body").inner_text()[:800]
                raise AssertionError(f"{town}'s article did not show; at {page.url}, the page says: {said}") from err
            # The new map replaces the sample's (on a loaded machine, seconds after the text): wait for its markers.
            _wait_for(page, lambda p=page, t=town: _only_town_markers(p, t), MAP_TIMEOUT_S, f"{town}'s markers")
        for town, page in pages.items():
            others = [t for t in TOWNS if t != town]
            text = _article_text(page)
            assert town in text
            assert not [t for t in others if t in text], f"{town}'s session shows another article"
            popups = _popup_texts(page)
            assert popups and all(town in p for p in popups), (town, popups)
            expected = [(e.place.lat, e.place.lon) for e in alone[town].events]
            points = _marker_points(page)
            assert len(points) == len(expected) >= 1, (town, points, expected)
            # Markers at one place are fanned out a little around it.
            assert all(min(abs(a - la) + abs(b - lo) for la, lo in expected) < 0.2 for a, b in points), (town, points)
            assert page.outside == [], page.outside
    finally:
        for context in contexts:
            context.close()
