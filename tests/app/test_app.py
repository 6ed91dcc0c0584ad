"""The pages through streamlit.testing.v1.AppTest (no browser)."""

from __future__ import annotations

import pytest
from streamlit.testing.v1 import AppTest

from tests.conftest import ROOT

TIMEOUT = 120


@pytest.fixture()
def app(tmp_path, monkeypatch) -> AppTest:
    monkeypatch.setenv("SITMAP_WORKSPACES", str(tmp_path / "workspaces"))  # each test its own workspaces
    at = AppTest.from_file(str(ROOT / "app.py"), default_timeout=TIMEOUT)
    at.run()
    assert not at.exception, at.exception
    return at


def _submit(at: AppTest) -> None:
    submit = [b for b in at.sidebar.button if "Map this article" in str(b.label)]
    submit[0].click().run()


def _paste(at: AppTest, text: str, **form: object) -> None:
    """Paste and map; ``form``: other values of the form (sm_keep, sm_date, sm_date_known), set before submitting
    (a form's values count only when it is submitted)."""
    if at.sidebar.radio(key="sm_source").value != "Paste text":
        at.sidebar.radio(key="sm_source").set_value("Paste text").run()  # the text box shows for pasting only
    at.sidebar.text_area(key="sm_paste").input(text)
    for key, value in form.items():
        widget = (at.sidebar.radio(key=key) if key == "sm_keep" else at.sidebar.checkbox(key=key)
                  if isinstance(value, bool) else at.sidebar.date_input(key=key))
        widget.set_value(value)
    _submit(at)


def _html(at: AppTest) -> str:
    return "".join(str(h.proto.body) for h in at.get("html"))


def test_opens_on_the_sample_article(app, sample):
    assert "Mariupol" in app.subheader[0].value
    captions = " ".join(c.value for c in app.caption)
    assert "Published 2022-04-19" in captions and f"{len(sample.events)} events" in captions
    assert "Azovstal Iron and Steel Works" in _html(app)
    assert not app.error


def test_empty_text_gets_a_message_and_keeps_the_map(app):
    _paste(app, "   ")
    assert any("empty" in e.value for e in app.sidebar.error)
    assert "Mariupol" in app.subheader[0].value  # the previous article is still shown
    assert app.session_state.sm_paste == "   "


def test_pasted_article_is_mapped_and_undo_restores(app):
    _paste(app, "Russian forces shelled Kharkiv on Monday, the regional governor said.")
    assert not app.exception
    assert any("Kharkiv" in m for m in [app.subheader[0].value, _html(app)])
    captions = " ".join(c.value for c in app.caption)
    assert ("1 event " in captions or "2 events" in captions) and "1 events" not in captions
    assert "Mariupol" not in app.subheader[0].value  # a new workspace, named after the article
    back = [b for b in app.sidebar.button if str(b.label).startswith("↶ Back to “Sample: Mariupol")]  # named
    back[0].click().run()
    assert "Mariupol" in app.subheader[0].value


def test_hostile_html_is_shown_as_text(app):
    _paste(app, "<p>Shelling hit Kharkiv on Monday.</p><script>window.__pwned=1</script>"
                "<img src=x onerror=\"window.__pwned=2\"><p>Officials said so.</p>")
    assert not app.exception
    html = _html(app)
    assert "<script" not in html and "onerror" not in html


def test_missing_date_is_proposed_from_the_text(app):
    _paste(app, "KYIV, April 2, 2022 — Explosions were heard in Kyiv on Saturday, officials said.",
           sm_date_known=False)
    assert any("proposed from the text" in i.value for i in app.info)
    assert "Published 2022-04-02" in " ".join(c.value for c in app.caption)


def test_a_date_left_at_today_on_an_older_article_is_questioned(app):
    import datetime as dt

    text = "ODESA, March 14, 2022 — Shelling hit Odesa on Monday, officials said."
    _paste(app, text)  # the publication date left at its default, today
    assert any("was left at today" in i.value and "14 March 2022" in i.value for i in app.warning)
    _paste(app, text, sm_date=dt.date(2022, 3, 14))  # set: nothing to question
    assert not any("was left at today" in i.value for i in app.info)


def test_a_date_left_at_today_gives_way_to_the_byline(app):
    import datetime as dt

    text = "Port city shelled again\nPublished: 3 March 2022, 10:15 GMT\n\nShelling hit Odesa on Monday, officials said."
    _paste(app, text)  # the publication date left at its default, today
    assert "Published 2022-03-03" in " ".join(c.value for c in app.caption)
    assert any("as the byline says" in i.value for i in app.info)
    _paste(app, text, sm_date=dt.date(2022, 3, 5))  # a date set by hand wins
    assert "Published 2022-03-05" in " ".join(c.value for c in app.caption)


def test_data_page_lists_events_and_places(app):
    app.switch_page("pages/data.py").run()
    assert not app.exception
    assert len(app.dataframe) >= 3
    table = app.dataframe[0].value  # the events table says why the machine typed, placed and dated each
    assert table["why this type"].str.contains("trigger rules").all() and table["why here"].str.len().min() > 0
    assert table["why then"].str.len().min() > 0
    assert {"Events (GeoJSON)", "Workspace (GeoPackage)", "Events (ACLED CSV)", "Events (KML)"} <= {str(b.proto.label) for b in app.get("download_button")}
    places = next(d.value for d in app.dataframe if "mentions" in d.value.columns)
    # the places as a reader reads them: no ids or offsets (walkthrough), Mariupol among them
    assert not {"place_id", "geonameid", "admin1", "first_start"} & set(places.columns)
    assert "Mariupol" in set(places["name"])


def test_workspace_maps_two_articles_and_one_event_told_in_both_is_one_marker(app):
    day = __import__("datetime").date(2022, 4, 19)
    _paste(app, "Russian forces shelled Kharkiv on Monday, officials said.", sm_date=day)
    _paste(app, "Artillery shelling hit Kharkiv on Monday. Protesters rallied in Lviv on Sunday.", sm_date=day,
           sm_keep=True)
    assert not app.exception
    captions = " ".join(c.value for c in app.caption)
    assert "2 articles" in captions and "(1 told in more than one article)" in captions
    assert app.selectbox(key="sm_shown_article")  # which article's text is shown beside the map
    app.switch_page("pages/data.py").run()
    assert not app.exception and any("2 articles" in s.value for s in app.subheader)
    app.switch_page("pages/map.py").run()
    remove = [b for b in app.sidebar.button if b.label == "Remove"]
    remove[-1].click().run()  # the second article goes, with its events
    assert "1 article ·" in " ".join(c.value for c in app.caption)
    restore = [b for b in app.sidebar.button if str(b.label).startswith("↶ Restore “Artillery shelling hit Kharkiv")]
    restore[0].click().run()  # and comes back
    assert "2 articles" in " ".join(c.value for c in app.caption)
    assert not [b for b in app.sidebar.button if str(b.label).startswith("↶ Restore")]


def test_an_edit_is_saved_in_the_workspace_and_undone(app):
    app.sidebar.text_input(key="sm_author").input("Ann").run()
    first = app.session_state["sm_ws"]
    from geo.settings import Settings
    from geo.workspace import WorkspaceFolder

    store = WorkspaceFolder(Settings.from_env().workspaces_dir).open(first)
    event = store.events().iloc[0]
    app.session_state.sm_selected = event.event_id
    app.run()
    assert any("Machine-made" in c.value for c in app.caption)
    accept = [b for b in app.button if "Accept as correct" in str(b.label)]
    accept[0].click().run()
    assert store.event(event.event_id)["state"] == "edited"
    assert any("Edited or accepted by Ann" in c.value for c in app.caption)
    undo = [b for b in app.sidebar.button if "Undo" in str(b.label)]
    undo[0].click().run()
    assert store.event(event.event_id)["state"] == "machine"


def test_the_name_and_the_time_range_are_kept_from_page_to_page(app):
    import datetime as dt

    app.sidebar.text_input(key="sm_author").input("Ann").run()
    lo, hi = app.slider(key="sm_range").value
    narrower = (lo + dt.timedelta(days=1), hi)
    app.slider(key="sm_range").set_value(narrower).run()
    app.switch_page("pages/data.py").run()
    assert not app.exception
    assert app.sidebar.text_input(key="sm_author").value == "Ann"
    assert not any("Write your name" in i.value for i in app.info)
    app.switch_page("pages/map.py").run()
    assert app.slider(key="sm_range").value == narrower
    assert app.sidebar.text_input(key="sm_author").value == "Ann"


def test_a_missing_place_is_added_then_found_by_name(app):
    from geo.settings import Settings
    from geo.workspace import WorkspaceFolder

    app.sidebar.text_input(key="sm_author").input("Ann").run()
    store = WorkspaceFolder(Settings.from_env().workspaces_dir).open(app.session_state["sm_ws"])
    app.switch_page("pages/data.py").run()
    app.text_input(key="sm_new_place_name_data").input("Checkpoint North")
    app.selectbox(key="sm_new_place_kind_data").set_value("landmark")
    [b for b in app.button if b.label == "Add the place"][0].click().run()
    assert any("latitude and longitude" in e.value for e in app.error) and not store.user_places()
    app.number_input(key="sm_new_place_lat_data").set_value(47.1)
    app.number_input(key="sm_new_place_lon_data").set_value(37.55)
    [b for b in app.button if b.label == "Add the place"][0].click().run()
    assert not app.exception
    assert [(p.name, p.kind, p.lat) for p in store.user_places()] == [("Checkpoint North", "landmark", 47.1)]
    assert any("Added the place" in str(t.proto.body) for t in app.get("toast")) or \
        any("Added the place" in s.value for s in app.success)
    app.text_input(key="sm_add_place_q").input("checkpoint n").run()
    found = app.selectbox(key="sm_add_place")
    assert "Checkpoint North (site or landmark (checkpoint, crossroads, hill…), added in this workspace)" in \
        found.options


def test_an_article_from_a_link_is_fetched_and_a_private_address_refused(app, monkeypatch):
    import http.server
    import threading

    page = (b"<html><head><title>Shelling in Kharkiv</title></head><body><article><p>Russian forces shelled "
            b"Kharkiv on Monday, killing two people, officials said.</p></article></body></html>")

    class Handler(http.server.BaseHTTPRequestHandler):
        def do_GET(self):  # noqa: N802
            self.send_response(200)
            self.send_header("Content-Type", "text/html; charset=utf-8")
            self.send_header("Content-Length", str(len(page)))
            self.end_headers()
            self.wfile.write(page)

        def log_message(self, *args):
            pass

    server = http.server.ThreadingHTTPServer(("127.0.0.2", 0), Handler)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    monkeypatch.setenv("SITMAP_FETCH_ALLOW_NETWORKS", "127.0.0.2/32")  # the test server stands for the web
    try:
        app.sidebar.radio(key="sm_source").set_value("From a link").run()
        app.sidebar.text_input(key="sm_link").input(f"http://127.0.0.2:{server.server_port}/news/kharkiv.html")
        _submit(app)
        assert not app.exception and not app.sidebar.error
        assert "Kharkiv" in _html(app)
        app.sidebar.text_input(key="sm_link").input(f"http://127.0.0.1:{server.server_port}/")
        _submit(app)
        assert any("private or local network address" in e.value for e in app.sidebar.error)
        assert "Kharkiv" in _html(app)  # the map stays
    finally:
        server.shutdown()


def test_play_steps_from_the_first_day_to_the_last_and_a_stale_slider_value_does_not_stop_it(app):
    lo, hi = app.slider(key="sm_range").value
    app.button(key="sm_play").click().run()
    assert app.button(key="sm_play").label == "❚❚ Pause"
    assert app.slider(key="sm_range").disabled  # Play owns the range until paused
    first_step = app.slider(key="sm_range").value
    assert first_step == (lo, lo)  # the first day with an event is a step of its own
    app.run()  # the next step (the browser's timer makes them)
    shown = app.slider(key="sm_range").value
    assert first_step[1] < shown[1] < hi
    app.button(key="sm_play").click().run()  # Pause: it stops on the day shown, not a step later
    assert app.button(key="sm_play").label == "▶ Play" and app.slider(key="sm_range").value == shown
    app.button(key="sm_play").click().run()  # Play again, on from where it stopped
    assert app.button(key="sm_play").label == "❚❚ Pause" and app.slider(key="sm_range").value[1] > shown[1]
    # the browser sends the slider's old value (a key pressed just before the click): Play keeps its own place
    app.session_state.sm_range = (lo, hi)  # (AppTest refuses to move a disabled slider; the browser's message can)
    app.run()
    for _ in range(50):
        if app.button(key="sm_play").label == "▶ Play":
            break
        app.run()
    assert app.button(key="sm_play").label == "▶ Play"
    assert app.slider(key="sm_range").value[1] == hi
    assert not app.slider(key="sm_range").disabled


def test_the_selected_event_shows_its_sentence_beside_the_map(app):
    from geo.settings import Settings
    from geo.workspace import WorkspaceFolder

    store = WorkspaceFolder(Settings.from_env().workspaces_dir).open(app.session_state["sm_ws"])
    event = store.events().iloc[0]
    app.session_state.sm_selected = event.event_id
    app.run()
    quoted = [h.proto.body for h in app.get("html") if "sm-selected-sentence" in h.proto.body]
    assert len(quoted) == 1 and event["sentence"][:40].replace("'", "&#x27;") in quoted[0]


def test_play_of_a_range_that_ends_on_the_last_day_starts_at_the_ranges_first_day(app):
    from geo.settings import Settings
    from geo.workspace import WorkspaceFolder
    from pages.map import event_days

    store = WorkspaceFolder(Settings.from_env().workspaces_dir).open(app.session_state["sm_ws"])
    lo, hi = app.slider(key="sm_range").value
    days = [d for d in event_days(store.events()) if d > lo]
    later = days[len(days) // 2]
    # walkthrough: a range brushed from a later day to the end was ignored, and Play began at the first day
    app.slider(key="sm_range").set_value((later, hi)).run()
    app.button(key="sm_play").click().run()
    assert app.slider(key="sm_range").value == (later, later)


def test_mapping_the_same_article_again_opens_its_workspace_and_another_date_makes_a_new_one(app):
    import datetime as dt

    from geo.settings import Settings
    from geo.workspace import WorkspaceFolder

    text = "LVIV, May 3, 2022 — Shelling hit Lviv on Monday, officials said."
    folder = WorkspaceFolder(Settings.from_env().workspaces_dir)
    _paste(app, text, sm_date=dt.date(2022, 5, 3))
    first = app.session_state["sm_ws"]
    count = len(folder.list())
    _paste(app, text, sm_date=dt.date(2022, 5, 3))  # walkthrough: this made "… (2)" of the same map
    assert app.session_state["sm_ws"] == first and len(folder.list()) == count
    assert any("in this workspace already" in str(t.value) for t in app.toast)
    _paste(app, text, sm_date=dt.date(2022, 5, 3), sm_keep=False)  # into a new workspace: this one opens again
    assert app.session_state["sm_ws"] == first and len(folder.list()) == count
    assert any("mapped already" in str(t.value) for t in app.toast)
    _paste(app, text, sm_date=dt.date(2022, 5, 4), sm_keep=False)  # another date: another map
    assert app.session_state["sm_ws"] != first and len(folder.list()) == count + 1


def test_the_same_article_in_a_workspace_shared_with_links_is_not_reopened_for_someone_else(app):
    import datetime as dt

    from geo.settings import Settings
    from geo.workspace import WorkspaceFolder

    text = "KHERSON, May 3, 2022 — Shelling hit Kherson on Monday, officials said."
    folder = WorkspaceFolder(Settings.from_env().workspaces_dir)
    _paste(app, text, sm_date=dt.date(2022, 5, 3))
    first = app.session_state["sm_ws"]
    folder.open(first).token("view")  # its maker shares it: without the editing link it is view only
    app.session_state["sm_token"] = None  # (another person, who holds no link)
    _paste(app, text, sm_date=dt.date(2022, 5, 3))
    # walkthrough: another browser's paste of the same text opened the shared workspace, view only for them
    assert app.session_state["sm_ws"] != first and not app.exception


def test_create_empties_the_name_box_and_names_the_workspace_made(app):
    app.sidebar.text_input(key="sm_new_name").input("Field notes")
    next(b for b in app.sidebar.button if b.label == "Create").click().run()
    assert app.sidebar.text_input(key="sm_new_name").value == ""
    assert any("Field notes" in str(t.value) for t in app.toast)
    app.sidebar.text_input(key="sm_new_name").input("Field notes")
    next(b for b in app.sidebar.button if b.label == "Create").click().run()
    assert any("“Field notes (2)” created" in str(t.value) for t in app.toast)  # (it said "Field notes" twice)


def test_a_view_only_link_shows_its_workspace_alone_and_no_way_to_add(tmp_path, monkeypatch):
    from geo.settings import Settings
    from geo.workspace import WorkspaceFolder

    monkeypatch.setenv("SITMAP_WORKSPACES", str(tmp_path / "workspaces"))
    folder = WorkspaceFolder(Settings.from_env().workspaces_dir)
    slug, store = folder.create("Shared map")
    folder.create("Another team's map")
    view = store.token("view")
    at = AppTest.from_file(str(ROOT / "app.py"), default_timeout=TIMEOUT)
    at.query_params["ws"] = slug
    at.query_params["t"] = view
    at.run()
    assert not at.exception
    assert at.sidebar.selectbox[0].options == ["Shared map"]
    assert not [h for h in at.sidebar.header if "Add an article" in h.value]
    assert any("view-only link" in c.value for c in at.sidebar.caption)
    assert not [b for b in at.sidebar.button if b.label in {"Create", "Map this article"}]


def test_an_article_dated_today_by_default_says_so_when_it_counts_days(app):
    _paste(app, "Farmers marched through Puno on Monday against water cuts, organisers said.")
    assert any("Dated today" in i.value and "on Monday" in i.value for i in app.info)
    _paste(app, "Farmers in Puno grow potatoes and quinoa on the shores of the lake.")  # no day to count
    assert not any("Dated today" in i.value for i in app.info)


def test_an_article_goes_into_the_open_workspace_by_default_but_not_into_the_sample(app):
    import datetime as dt

    day = dt.date(2022, 4, 19)
    assert app.session_state["sm_ws"] == "sample" and app.sidebar.radio(key="sm_keep").value is False
    _paste(app, "Russian forces shelled Kharkiv on Monday, officials said.", sm_date=day)
    mine = app.session_state["sm_ws"]
    assert mine != "sample" and any("new workspace" in str(t.value) for t in app.toast)
    # walkthrough: a second article left the checkbox unticked and so made another workspace, not the one open
    assert app.sidebar.radio(key="sm_keep").value is True
    assert "This workspace" in app.sidebar.radio(key="sm_keep").options[1]
    _paste(app, "Protesters rallied in Lviv on Sunday, organisers said.", sm_date=day)
    assert app.session_state["sm_ws"] == mine and any("Added to" in str(t.value) for t in app.toast)
    assert "2 articles" in " ".join(c.value for c in app.caption)
