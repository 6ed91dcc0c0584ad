"""A workspace that lasts, people who correct it, and links a team shares — in a real browser with real clicks and
keys: a reload keeps the workspace and the view; a copied link restores it in another browser; a view-only link
refuses edits; an edit survives a restart of the server and is undone; two people saving one field get a conflict,
not a lost edit."""

from __future__ import annotations

import re
from pathlib import Path
from urllib.parse import parse_qs, urlparse

import pytest

from geo.workspace import WorkspaceFolder
from tests.browser.conftest import _serve
from tests.browser.test_app_browser import (
    ALL_MARKERS_JS,
    MAP_TIMEOUT_S,
    _count_markers,
    _settled,
    _wait_for,
    click_a_marker,
)
from tests.conftest import ROOT

pytestmark = pytest.mark.browser

SIZES = [(1400, 950), (1024, 768), (390, 844)]


def _params(page) -> dict[str, str]:
    return {k: v[0] for k, v in parse_qs(urlparse(page.url).query).items()}


def _open(browser, url: str, size=(1400, 950), clipboard: bool = False):
    context = browser.new_context(viewport={"width": size[0], "height": size[1]},
                                  permissions=["clipboard-read", "clipboard-write"] if clipboard else [])
    page = context.new_page()
    page.goto(url)
    try:
        _wait_for(page, lambda: _count_markers(page) > 0, MAP_TIMEOUT_S, "the markers")
        _ready(page)
    except AssertionError:
        page.screenshot(path=str(ROOT / "build" / "no-markers.png"))
        raise
    return context, page


def _ready(page) -> None:
    """The map has reported its position (the page's first rerun is over): a click now is the user's."""
    _wait_for(page, lambda: "z" in _params(page), 20, "the map's position in the URL")
    page.wait_for_timeout(500)


def _sidebar(page) -> None:
    """Open the sidebar if the window is narrow enough for it to be collapsed (a real click on its control)."""
    sidebar = page.locator('[data-testid="stSidebar"]')
    if sidebar.get_attribute("aria-expanded") == "false" or not sidebar.is_visible():
        page.locator('[data-testid="stExpandSidebarButton"], [data-testid="stSidebarCollapsedControl"] button'
                     ).first.click()
        page.wait_for_timeout(400)


def _click_marker(page, index: int = 0) -> str:
    """Click a marker with the mouse; returns the selected event's id from the URL (once it has changed, or the
    same one if the click selected the event already selected)."""
    before = _params(page).get("ev")
    click_a_marker(page, index)
    try:
        _wait_for(page, lambda: _params(page).get("ev") not in (None, before), 8, "another selected event in the URL")
    except AssertionError:
        if before is None:
            raise
    _wait_for(page, lambda: page.get_by_text("Selected event:").count() == 1, 20, "the selected event panel")
    _settled(page)  # the popup may pan the map, and the map's report reruns the page: let that end first
    return _params(page)["ev"]


def _set_name(page, name: str) -> None:
    _sidebar(page)
    box = page.get_by_label("Your name (saved with your edits)")
    box.click()
    box.fill(name)
    box.press("Enter")
    _wait_for(page, lambda: _params(page).get("me") == name, 20, "the name taken")


def _in_map(page, action):
    """Do ``action(frame)`` in the map's frame, again if a rerun replaced the frame meanwhile."""
    from playwright.sync_api import Error

    for attempt in range(10):
        try:
            return action(next(f for f in page.frames if "streamlit_folium" in f.url))
        except (Error, StopIteration):
            if attempt == 9:
                raise
            page.wait_for_timeout(300)
    return None


def _clipboard(page) -> str:
    _wait_for(page, lambda: "ws=" in page.evaluate("navigator.clipboard.readText()"), 10, "the link copied")
    return page.evaluate("navigator.clipboard.readText()")


def _caption(page, text: str, timeout: float = 20) -> None:
    try:
        _wait_for(page, lambda: page.get_by_text(text).count() > 0, timeout, repr(text))
    except AssertionError:
        page.screenshot(path=str(ROOT / "build" / "missing-text.png"), full_page=True)
        raise


@pytest.mark.parametrize("size", SIZES, ids=[f"{w}x{h}" for w, h in SIZES])
def test_reload_keeps_the_workspace_and_the_view(browser, app_url, size):
    context, page = _open(browser, app_url, size)
    try:
        event = _click_marker(page)
        # The clicked event's sentence is shown just under the map, at every size (the article's highlight may be a
        # long scroll below on a narrow screen), and it is the sentence highlighted in the article.
        quote = page.locator(".sm-selected-sentence")
        assert quote.is_visible()
        def words(text: str) -> list[str]:
            return re.sub(r"[“”‘’\"]", "", text).split()

        assert words(quote.locator("i").inner_text()) == words(page.locator(".sm-article .sm-selected").first.inner_text())
        frame = page.locator('iframe[title="streamlit_folium.st_folium"]').first.bounding_box()
        assert quote.bounding_box()["y"] - (frame["y"] + frame["height"]) < 500, "the sentence is far below the map"
        thumbs = page.locator('[data-testid="stSlider"] input[type="range"]')
        thumbs.nth(1).focus()
        before_to = _params(page).get("to")
        page.keyboard.press("ArrowLeft")  # a day back: the range is part of the view
        _wait_for(page, lambda: _params(page).get("to") not in (None, before_to), 20, "the new range in the URL")
        kept = _params(page)
        assert kept["ws"] and kept["ev"] == event and kept["from"] < kept["to"]
        sentence = page.locator(".sm-article .sm-selected").first.inner_text()
        page.reload()
        _wait_for(page, lambda: _count_markers(page) > 0, MAP_TIMEOUT_S, "the markers after the reload")
        _ready(page)
        _caption(page, "Selected event:")
        assert page.locator(".sm-article .sm-selected").first.inner_text() == sentence
        after = _params(page)
        assert {k: after.get(k) for k in ("ws", "ev", "from", "to")} == {k: kept[k] for k in ("ws", "ev", "from", "to")}
    finally:
        context.close()


def test_a_copied_link_opens_the_same_view_in_another_browser(browser, app_url):
    context, page = _open(browser, app_url, clipboard=True)
    other = None
    try:
        event = _click_marker(page, 1)
        page.get_by_text("Share", exact=True).click()
        copy = page.frame_locator("iframe[srcdoc*='Copy link to this view']").get_by_role(
            "button", name="Copy link to this view")
        page.evaluate("navigator.clipboard.writeText('')")
        copy.click()
        link = _clipboard(page)
        assert f"ev={event}" in link and "ws=" in link and "me=" not in link
        other, second = _open(browser, link, (1024, 768))
        _caption(second, "Selected event:")
        assert _params(second)["ev"] == event
        assert second.locator(".sm-article .sm-selected").first.inner_text() == \
            page.locator(".sm-article .sm-selected").first.inner_text()
    finally:
        context.close()
        if other:
            other.close()


def _paste_new_workspace(page, text: str) -> None:
    _sidebar(page)
    page.get_by_text("Paste text").click()
    page.get_by_label("Article text (or HTML)").fill(text)
    page.get_by_role("button", name="Map this article").click()
    _wait_for(page, lambda: "lyon" in (_params(page).get("ws") or ""), 60, "the new workspace")
    _wait_for(page, lambda: _count_markers(page) > 0, MAP_TIMEOUT_S, "its markers")
    _ready(page)


def _make_links(page) -> None:
    """Open "Share" and make the workspace's two links (clicked again if a click lands while the page reruns)."""
    make = page.get_by_role("button", name="Make a view-only link and an editing link")
    if not make.count() or not make.is_visible():  # (open already, a click would close it)
        page.get_by_text("Share", exact=True).click()
    made = page.locator("iframe[srcdoc*='Copy view-only link']")
    for _ in range(3):
        if made.count():
            break
        if make.count():
            try:
                make.click(timeout=10_000)
            except Exception:  # noqa: BLE001 - the sidebar still moving: try again
                continue
        try:
            made.first.wait_for(timeout=15_000)
        except Exception:  # noqa: BLE001 - not made yet: look again
            continue
    assert made.count(), "the links were not made"


def test_a_view_only_link_refuses_edits(browser, app_url):
    context, page = _open(browser, app_url, clipboard=True)
    other = None
    try:
        _paste_new_workspace(page, "Protesters marched through Lyon on Saturday. Police fired tear gas at the crowd "
                                   "near the city hall, and three people were arrested in Lyon.")
        _set_name(page, "Teacher")
        _make_links(page)
        copy = page.frame_locator("iframe[srcdoc*='Copy view-only link']").get_by_role(
            "button", name="Copy view-only link")
        page.evaluate("navigator.clipboard.writeText('')")
        copy.click()
        link = _clipboard(page)
        assert "t=" in link
        other, student = _open(browser, link)
        _caption(student, "view only")
        # walkthrough: a view-only link opened every other workspace of the server, editable; now it stays on its own
        _caption(student, "You opened a view-only link")
        assert student.get_by_role("heading", name="Add an article").count() == 0
        assert student.get_by_text("Manage workspaces").count() == 0
        student.locator('[data-testid="stSidebar"] [data-testid="stSelectbox"]').first.click()
        options = student.get_by_role("option")
        options.first.wait_for(timeout=10_000)
        assert options.count() == 1
        student.keyboard.press("Escape")
        assert student.get_by_role("button", name="Download (GeoPackage, opens in QGIS)").count() == 1
        _click_marker(student)
        _caption(student, "This link is view-only")
        assert student.get_by_role("button", name="✔ Accept as correct").count() == 0
        assert student.get_by_label("Your name (saved with your edits)").is_disabled()
        # without any token the protected workspace is view-only too
        bare = link.split("&t=")[0].split("?t=")[0]
        student.goto(bare)
        _wait_for(student, lambda: _count_markers(student) > 0, MAP_TIMEOUT_S, "the markers")
        _ready(student)
        _caption(student, "view only")
        # the teacher (editing link in the session) still edits
        _click_marker(page)
        page.get_by_role("button", name="✔ Accept as correct").click()
        _caption(page, "Edited or accepted by Teacher")
        # the links are written out to keep (walkthrough: they were only on the clipboard, and lost with it)
        shown = page.frame_locator("iframe[srcdoc*='Copy editing link']").get_by_label("Copy editing link (the link)")
        assert "t=" in shown.input_value() and shown.input_value() != link
        # ... and making links for another workspace keeps this one's editing (walkthrough: it became view-only)
        here = _params(page)["ws"]
        chooser = page.locator('[data-testid="stSidebar"] [data-testid="stSelectbox"]').first
        chooser.click()
        page.keyboard.type("Sample")  # (the box filters its list as one types)
        page.keyboard.press("Enter")
        _wait_for(page, lambda: _params(page).get("ws") == "sample", 20, "the sample open")
        _ready(page)
        _make_links(page)
        chooser.click()
        page.keyboard.type("Protesters marched")
        page.keyboard.press("Enter")
        _wait_for(page, lambda: _params(page).get("ws") == here, 20, "the first workspace again")
        _ready(page)
        sidebar = page.locator('[data-testid="stSidebar"]')
        _wait_for(page, lambda: sidebar.get_by_text("1 article").count() >= 1, 20, "its articles listed")
        caption = sidebar.locator('[data-testid="stCaptionContainer"]').filter(has_text="saved in").first
        assert "view only" not in caption.inner_text()  # (the caption says so when a session may not edit)
        assert page.get_by_text("this link lets you look").count() == 0
    finally:
        context.close()
        if other:
            other.close()


@pytest.fixture()
def own_server(tmp_path: Path):
    """A server of our own on a fresh workspaces folder, that the test may restart."""
    env = {"SITMAP_WORKSPACES": str(tmp_path / "ws")}

    def start():
        gen = _serve("app.py", env=env)
        return gen, next(gen)

    return start, tmp_path / "ws"


def test_a_servers_first_visitor_on_the_events_page_gets_the_wide_page(browser, own_server):
    """Walkthrough: opened by its address before anyone had opened the map, the Events page had Streamlit's narrow
    centred layout, the events table squeezed between empty margins."""
    start, _ = own_server
    server, url = start()
    context = browser.new_context(viewport={"width": 1400, "height": 950})
    try:
        page = context.new_page()
        page.goto(f"{url}/data")
        table = page.locator('[data-testid="stDataFrame"]').first
        _wait_for(page, lambda: table.count() == 1 and table.is_visible(), 60, "the events table")
        page.wait_for_timeout(500)
        sidebar = page.locator('[data-testid="stSidebar"]').bounding_box()
        room = 1400 - (sidebar["x"] + sidebar["width"])
        assert table.bounding_box()["width"] > 0.8 * room, (table.bounding_box(), room)
    finally:
        context.close()
        server.close()


def test_an_edit_survives_a_restart_and_is_undone(browser, own_server):
    start, folder = own_server
    server, url = start()
    context, page = _open(browser, url)
    try:
        _set_name(page, "Ann")
        event = _click_marker(page)
        _caption(page, "Machine-made")
        page.get_by_role("button", name="✔ Accept as correct").click()
        _caption(page, "Edited or accepted by Ann")
        view = page.url.split("?", 1)[1]
        server.close()  # stop the server (the generator's finally terminates it)
        server, url = start()
        page.goto(f"{url}/?{view}")
        _wait_for(page, lambda: _count_markers(page) > 0, MAP_TIMEOUT_S, "the markers after the restart")
        _ready(page)
        _caption(page, "Edited or accepted by Ann")
        slug = _params(page)["ws"]
        assert WorkspaceFolder(folder).open(slug).event(event)["state"] == "edited"
        page.get_by_role("button", name="↶ Undo").click()
        _caption(page, "Machine-made")
        assert WorkspaceFolder(folder).open(slug).event(event)["state"] == "machine"
    finally:
        context.close()
        server.close()


def test_two_people_saving_one_field_get_a_conflict_not_a_lost_edit(browser, own_server):
    start, folder = own_server
    server, url = start()
    ann_context, ann = _open(browser, url)
    bob_context = None
    try:
        event = _click_marker(ann)
        bob_context, bob = _open(browser, ann.url.split("&me=")[0])
        _caption(bob, "Selected event:")
        _set_name(ann, "Ann")
        _set_name(bob, "Bob")
        for page in (ann, bob):  # both open the form on the same version
            page.get_by_text("Correct this event").click()
            page.get_by_label("Actor 1").wait_for()
        for page, value in ((ann, "Ann's actor"), (bob, "Bob's actor")):
            box = page.get_by_label("Actor 1")
            box.click()
            box.fill(value)
            page.get_by_role("button", name="Save", exact=True).click()
            if page is ann:
                _caption(ann, "Saved.")
        _caption(bob, "changed actor1 of this event since you opened it")
        assert bob.get_by_text("Bob's actor").count() >= 1 and bob.get_by_text("Ann's actor").count() >= 1
        store = WorkspaceFolder(folder).open(_params(ann)["ws"])
        assert store.event(event)["actor1"] == "Ann's actor"
        history = store.history()
        assert "conflict" in set(history["status"]) and history["after"].str.contains("Bob's actor").any()
        mine = bob.get_by_role("button", name="Save mine over theirs")
        mine.wait_for()
        bob.wait_for_timeout(500)  # the page settled after the conflict
        mine.click()
        _wait_for(bob, lambda: store.event(event)["actor1"] == "Bob's actor", 40, "Bob's value saved on purpose")
    finally:
        ann_context.close()
        if bob_context:
            bob_context.close()
        server.close()


def _ann(browser, own_server, size):
    """A server of our own, and Ann on it (her name set)."""
    start, folder = own_server
    server, url = start()
    context, page = _open(browser, url, size)
    _set_name(page, "Ann")
    return server, url, folder, context, page


def _ann_on_an_event(browser, own_server, size):
    """A server of our own, and Ann (her name set) with an event selected by a click."""
    server, url, folder, context, page = _ann(browser, own_server, size)
    return server, url, folder, context, page, _click_marker(page)


def test_every_event_has_its_own_link_and_says_who_checked_it(browser, own_server):
    server, url, folder, context, page, event = _ann_on_an_event(browser, own_server, (1024, 768))
    try:
        page.get_by_role("button", name="✔ Accept as correct").click()
        _caption(page, "Edited or accepted by Ann")
        _wait_for(page, lambda: _count_markers(page) > 0, MAP_TIMEOUT_S, "the markers again")
        _ready(page)
        slug = _params(page)["ws"]
        events = WorkspaceFolder(folder).open(slug).events()
        other = next(e for e in events["event_id"] if e != event and e in set(
            events[events["event_type"] != "Statement"]["event_id"]))
        page.goto(f"{url}/?ws={slug}&ev={other}&me=Ann")  # as a link to that event would: its popup opens
        _wait_for(page, lambda: _count_markers(page) > 0, MAP_TIMEOUT_S, "the markers")
        _ready(page)
        frame = next(f for f in page.frames if "streamlit_folium" in f.url)
        link = frame.get_by_text("Link to this event ↗").last
        link.wait_for()
        assert "as the machine read it" in frame.locator(".sm-popup").last.inner_text()
        assert f"ev={other}" in link.get_attribute("href") and "me=" not in link.get_attribute("href")
        with context.expect_page() as opened:
            link.click()  # a real click: a new tab opens the app on that event
        page = opened.value
        _wait_for(page, lambda: _params(page).get("ev") == other and _count_markers(page) > 0, MAP_TIMEOUT_S,
                  "the app opened on the event")
        _ready(page)
        _caption(page, "Selected event:")
        # the accepted event's marker wears the grey ring
        frame = next(f for f in page.frames if "streamlit_folium" in f.url)
        texts = frame.evaluate("() => { const out = []; " + ALL_MARKERS_JS + """.forEach(l => {
            if (l.options && l.options.smId) out.push([l.options.smId, l.options.color]); }); return out; }""")
        assert dict(texts)[event] == "#555555"
    finally:
        context.close()
        server.close()


def _expand(page, title: str, inside: str) -> None:
    """Open an expander (a real click) unless what is inside it is already visible."""
    target = page.get_by_text(inside).first
    if not target.is_visible():
        page.get_by_text(title).click()
        target.wait_for(state="visible")


def test_create_rename_and_delete_a_workspace(browser, own_server):
    start, folder = own_server
    server, url = start()
    context, page = _open(browser, url, (1024, 768))
    try:
        page.get_by_text("Manage workspaces").click()
        box = page.get_by_label("New workspace", exact=True)
        box.click()
        box.fill("Kharkiv, May 2022")
        page.get_by_role("button", name="Create", exact=True).click()  # one click, without pressing Enter first
        _wait_for(page, lambda: _params(page).get("ws") == "kharkiv-may-2022", 20, "the new workspace open")
        _expand(page, "Manage workspaces", "Rename this workspace")
        # (while the page reruns, the previous workspace's field may still be there for a moment)
        rename = page.locator('input[aria-label="Rename this workspace"][value="Kharkiv, May 2022"]').element_handle()
        rename.click()
        rename.fill("Kharkiv, printemps été 2022")
        rename.press("Enter")
        _wait_for(page, lambda: page.get_by_role("heading", name="Kharkiv, printemps été 2022").count() == 1, 20,
                  "the heading renamed")
        assert WorkspaceFolder(folder).open("kharkiv-may-2022").name == "Kharkiv, printemps été 2022"
        # walkthrough: the workspace box went on showing the old name
        chooser = page.locator('[data-testid="stSidebar"] [data-testid="stSelectbox"]').first
        shown = "e => e.innerText + ' ' + [...e.querySelectorAll('input')].map(i => i.value).join(' ')"
        _wait_for(page, lambda: "printemps" in chooser.evaluate(shown), 20, "the new name in the workspace box")
        assert page.get_by_label("New workspace", exact=True).input_value() == ""  # (a second Create made "… (2)")
        # the file downloaded is named as the workspace, accents kept (walkthrough: they were dropped)
        with page.expect_download(timeout=30_000) as download:
            page.get_by_role("button", name="Download (GeoPackage, opens in QGIS)").click()
        assert download.value.suggested_filename == "Kharkiv-printemps-été-2022.gpkg"
        _set_name(page, "Ann")
        _expand(page, "Manage workspaces", "I want to delete this workspace")
        page.get_by_text("I want to delete this workspace").click()
        page.get_by_role("button", name="Delete this workspace").click()
        _caption(page, "was deleted")
        _wait_for(page, lambda: _count_markers(page) > 0, MAP_TIMEOUT_S, "the sample's map instead")
        assert not WorkspaceFolder(folder).exists("kharkiv-may-2022")
        assert [slug for slug, _ in WorkspaceFolder(folder).list()] == ["sample"]  # no empty file left behind
        assert page.get_by_text("Traceback").count() == 0 and page.get_by_text("not a Situation Map").count() == 0
        # ... and it comes back from the page (walkthrough: only someone on the server's disk could bring it back)
        _expand(page, "Manage workspaces", "Deleted workspaces")
        # who deleted it is told (on a shared server anyone who may edit it may delete it)
        gone = page.locator('[data-testid="stSidebar"] [data-testid="stSelectbox"]').filter(has_text="Deleted workspaces")
        _wait_for(page, lambda: "by Ann" in gone.evaluate(shown), 10, "who deleted it")
        page.get_by_role("button", name="Bring it back").click()
        _wait_for(page, lambda: _params(page).get("ws") == "kharkiv-may-2022", 20, "the workspace open again")
        _wait_for(page, lambda: page.get_by_role("heading", name="Kharkiv, printemps été 2022").count() == 1, 20,
                  "its heading again")
        assert WorkspaceFolder(folder).exists("kharkiv-may-2022") and WorkspaceFolder(folder).deleted() == []
    finally:
        context.close()
        server.close()


def test_move_an_event_to_the_point_clicked_on_the_map(browser, own_server):
    server, _, folder, context, page, event = _ann_on_an_event(browser, own_server, (1400, 950))
    try:
        _settled(page)  # the popup's pan and the reruns it causes are over
        _in_map(page, lambda frame: frame.locator(".leaflet-popup-close-button").last.click(timeout=3000)
                if frame.locator(".leaflet-popup-close-button").count() else None)
        use = page.get_by_role("button", name="Use the point I clicked on the map", exact=False)
        # One click, at once: a closed popup fading out no longer catches it (it did, and the click was lost)
        box = _in_map(page, lambda frame: frame.locator("#map_div, .folium-map").first.bounding_box())
        page.mouse.click(box["x"] + box["width"] * 0.2, box["y"] + box["height"] * 0.2)  # empty map, top left
        _expand(page, "Correct this event", "Move it to another place")
        use.wait_for(timeout=10_000)
        name = page.get_by_label("Name of the place you clicked", exact=False)
        name.click()
        name.fill("Checkpoint 7")  # a place no gazetteer has
        name.press("Enter")
        use.click()
        _caption(page, "Saved.")
        slug = _params(page)["ws"]
        row = WorkspaceFolder(folder).open(slug).event(event)
        assert row["state"] == "edited" and row["place_name"] == "Checkpoint 7"
        # named, the point became a place of the workspace: found by name for the next event
        store = WorkspaceFolder(folder).open(slug)
        assert [p.place_id for p in store.find_places("checkpoint 7")] == [row["place_id"]]
        assert row["place_kind"] == "landmark" and row["place_id"].startswith("user:place:")
    finally:
        context.close()
        server.close()


def test_add_a_missing_place_where_clicked_then_find_it_and_edit_the_table(browser, own_server):
    server, _, folder, context, page = _ann(browser, own_server, (1024, 768))
    try:
        slug = _params(page)["ws"]
        store = WorkspaceFolder(folder).open(slug)
        box = _in_map(page, lambda frame: frame.locator("#map_div, .folium-map").first.bounding_box())
        page.mouse.click(box["x"] + box["width"] * 0.15, box["y"] + box["height"] * 0.2)  # empty map, top left
        page.get_by_text("Add a place at the point you clicked", exact=False).click()
        name = page.get_by_label("Name of the place")
        name.click()
        page.keyboard.type("Checkpoint North")
        page.get_by_role("button", name="Add the place").click()
        _caption(page, "Added the place “Checkpoint North”")
        added = store.user_places()
        assert [(p.name, p.kind) for p in added] == [("Checkpoint North", "city")]
        # the point is the one clicked: inside the map's view, away from the events at Mariupol
        assert 40 < added[0].lat < 60 and 20 < added[0].lon < 50
        # the Events & places page finds it by name (the name set on the map is still known there)
        _sidebar(page)
        page.get_by_role("link", name="Events & places").click()
        page.get_by_text("Add a missing event").click()
        search = page.get_by_label("Where: search the gazetteer by name")
        search.click()
        page.keyboard.type("checkpoint")
        page.keyboard.press("Enter")
        place = page.locator('[data-testid="stSelectbox"]').filter(has_text="Place")
        _wait_for(page, lambda: "Checkpoint North (town or village, added in this workspace)" in (
            place.first.inner_text() + " ".join(place.first.locator("input").evaluate_all(
                "els => els.map(e => e.value)"))) if place.count() else False, 20, "the place found by name")
        # the table: one cell changed as a person would (glide grid: a click selects the cell, a second click opens
        # its editor, here the list of ACLED types; a click on one saves it)
        first = store.events().iloc[0]
        page.get_by_role("heading", name="Events of").click()  # out of the search box (a blur may rerun the page)
        _settled(page)
        grid = page.locator('[data-testid="stDataFrame"]').first
        gbox = grid.bounding_box()
        cell = (gbox["x"] + 60, gbox["y"] + 35 + 17)  # the first row's "type" cell
        option = page.get_by_text("Riots — Violent demonstration", exact=True)
        for _ in range(5):  # the grid takes a moment to take clicks after the page is drawn
            page.mouse.click(*cell)
            page.wait_for_timeout(400)
            page.mouse.click(*cell)
            try:
                option.wait_for(timeout=2000)
                break
            except Exception:  # noqa: BLE001 - not open yet: try again
                page.keyboard.press("Escape")
        option.scroll_into_view_if_needed()
        option.click()
        _wait_for(page, lambda: store.event(first.event_id)["sub_event_type"] == "Violent demonstration", 30,
                  "the table's edit saved")
        row = store.event(first.event_id)
        assert row["state"] == "edited" and row["edited_by"] == "Ann"
        assert page.get_by_text("Traceback").count() == 0
    except AssertionError:
        page.screenshot(path=str(ROOT / "build" / "failed-missing-place.png"), full_page=True)
        print(WorkspaceFolder(folder).open("sample").history().to_string())
        print(page.locator('[data-testid="stAlert"], [data-testid="stException"]').all_inner_texts())
        raise
    finally:
        context.close()
        server.close()


MARCH = ("Protesters marched through Lyon on Saturday, 12 March 2022. Police fired tear gas at the crowd, and three "
         "people were arrested in Lyon.")
EARLIER = "Farmers blocked roads near Rennes on Saturday, 5 March 2022, and police detained four of them in Rennes."


def _shown_of_all(page) -> tuple[int, int]:
    """The map's caption: events shown of the workspace's events ("3 of 4 events between ...")."""
    caption = page.get_by_text(re.compile(r"^\d+ of \d+ events? ")).first.inner_text()
    shown, total = re.match(r"(\d+) of (\d+)", caption).groups()
    return int(shown), int(total)


@pytest.mark.parametrize("size", SIZES, ids=[f"{w}x{h}" for w, h in SIZES])
def test_an_article_added_outside_the_range_shows_is_removed_restored_and_back_names_its_workspace(
        browser, own_server, size):
    start, folder = own_server
    server, url = start()
    context, page = _open(browser, url, size)
    try:
        sample_name = WorkspaceFolder(folder).open("sample").name
        # A pasted article with a title of its own: it names the new workspace (not the text's first sentence).
        _sidebar(page)
        page.get_by_text("Paste text").click()
        page.get_by_label("Article text (or HTML)").fill(MARCH)
        title = page.get_by_label("Title (optional)", exact=True).and_(page.locator("input"))
        title.click()
        title.fill("Lyon, a Saturday march")
        page.get_by_text("I know the publication date").click()  # the date comes from the text
        assert page.get_by_role("radio", name="A new workspace").is_checked()  # (not into the sample)
        page.get_by_role("button", name="Map this article").click()
        _wait_for(page, lambda: _params(page).get("ws") == "lyon-a-saturday-march", 60, "the new workspace")
        _wait_for(page, lambda: _count_markers(page) > 0, MAP_TIMEOUT_S, "its markers")
        _ready(page)
        assert page.get_by_role("heading", name="Lyon, a Saturday march").count() == 1
        # The way back names where it goes.
        _sidebar(page)
        back = page.get_by_role("button", name=f"↶ Back to “{sample_name[:30]}", exact=False)
        assert back.count() == 1, page.get_by_role("button", name=re.compile("Back to")).all_inner_texts()
        # The range narrowed to the day before the march: nothing shown.
        thumbs = page.locator('[data-testid="stSlider"] input[type="range"]')
        thumbs.nth(1).focus()
        page.keyboard.press("ArrowLeft")
        _wait_for(page, lambda: _shown_of_all(page)[0] == 0, 20, "no event in the narrowed range")
        # An article of a week earlier added to the workspace: the map shows the whole time again, its events too.
        _sidebar(page)
        page.get_by_label("Article text (or HTML)").fill(EARLIER)
        page.get_by_label("Title (optional)", exact=True).and_(page.locator("input")).fill("")
        # Where it goes is said, and it is the workspace open (walkthrough: it had made another one).
        into = page.get_by_role("radio", name=re.compile("^This workspace, “Lyon, a Saturday march”"))
        assert into.is_checked() and not page.get_by_role("radio", name="A new workspace").is_checked()
        page.get_by_role("button", name="Map this article").click()
        _caption(page, "2 articles", 60)
        store = WorkspaceFolder(folder).open("lyon-a-saturday-march")
        total = len(store.events())
        assert total > 1
        _wait_for(page, lambda: _shown_of_all(page) == (total, total), 20, "every event shown")
        # Removed, then restored with a click: the events go and come back.
        _sidebar(page)
        _settled(page)
        remove = page.get_by_role("button", name="Remove").last
        for _ in range(3):  # (a rerun still drawing the sidebar may close the expander just opened)
            if remove.is_visible():
                break
            page.get_by_text("Articles (2)").click()
            page.wait_for_timeout(1500)
        remove.click()
        restore = page.get_by_role("button", name=re.compile("^↶ Restore “Farmers blocked roads"))
        _wait_for(page, lambda: restore.count() == 1, 20, "the Restore button")
        _wait_for(page, lambda: _shown_of_all(page)[1] < total, 20, "fewer events")
        assert len(WorkspaceFolder(folder).open("lyon-a-saturday-march").articles()) == 1
        _sidebar(page)
        restore.click()
        _wait_for(page, lambda: _shown_of_all(page) == (total, total), 30, "the events back")
        _wait_for(page, lambda: restore.count() == 0, 20, "the Restore button gone")
        # Back to the workspace before.
        for _ in range(3):  # (a click while the restore's rerun still draws the sidebar may land on the old button)
            _sidebar(page)
            page.get_by_role("button", name=re.compile("^↶ Back to")).click()
            try:
                _wait_for(page, lambda: _params(page).get("ws") == "sample", 10, "the sample's workspace")
                break
            except AssertionError:
                continue
        assert _params(page).get("ws") == "sample"
        assert page.get_by_text("Traceback").count() == 0
    except Exception:
        page.screenshot(path=str(ROOT / "build" / f"restore-{size[0]}.png"), full_page=True)
        raise
    finally:
        context.close()
        server.close()
