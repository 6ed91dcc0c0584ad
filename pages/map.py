"""Main page: the article with highlights beside the map, a time slider with play, and the event list."""

from __future__ import annotations

import datetime as dt
import html
import json
import re
import time
from collections.abc import Mapping

import pandas as pd
import streamlit as st
from streamlit_folium import st_folium

from geo.frames import daily_counts, date_labels, event_spans, happenings
from geo.highlight import article_css, article_html, legend_html
from geo.mapview import (
    COLOR_BY,
    EVENT_COLORS,
    BaseLayers,
    base_payload,
    build_base_map,
    ensure_event_store,
    event_key_html,
    events_layer,
    in_quotes,
    safe_html,
    sides_present,
    timeline_days,
    view_zoom,
)
from geo.pipeline import Analysis
from geo.sides import UNKNOWN, Side, event_sides, load_sides
from geo.workspace import STATES, WorkspaceStore, file_stem
from pages.common import (
    URL_FILTERS,
    WorkspaceView,
    author,
    base_layers,
    count,
    current_view,
    filtered_events,
    get_pipeline,
    stored_analysis,
    write_url,
)
from pages.editor import add_place_form, event_panel
from pages.sidebar import sidebar

EVENT_ID = re.compile(r"\[([^\]\s]+-e\d{3})\]")
#: Seconds per step of Play.
SPEEDS = {"slow": 1.6, "normal": 0.8, "fast": 0.3}


def _days(workspace: WorkspaceView) -> list[dt.date]:
    return [dt.date.fromisoformat(d) for d in timeline_days(workspace.events_gdf)]


def events_in_range(events: pd.DataFrame, first: dt.date, last: dt.date) -> pd.DataFrame:
    """Events whose interval meets [first, last] (open starts count from their end)."""
    if not len(events):
        return events
    start = pd.to_datetime(events["date_start"]).fillna(pd.to_datetime(events["date_end"]) - pd.Timedelta(days=1))
    end = pd.to_datetime(events["date_end"]).fillna(start + pd.Timedelta(days=1))
    lo, hi = pd.Timestamp(first), pd.Timestamp(last) + pd.Timedelta(days=1)
    return events[(start < hi) & (end > lo)]


def header(view: WorkspaceView, analysis: Analysis | None) -> None:
    st.subheader(view.name)
    n = len(view.articles)
    told = 0
    if len(view.events_gdf):
        told = sum(1 for s in view.events_gdf["sources"] if len({t["article_id"] for t in json.loads(s or "[]")}) > 1)
    states = view.events_gdf["state"].value_counts().to_dict() if len(view.events_gdf) else {}
    reviewed = ", ".join(f"{states[k]} {k}" for k in ("edited", "verified") if states.get(k))
    st.caption(f"{count(n, 'article')} · {count(len(view.events_gdf), 'event')}"
               + (f" ({told} told in more than one article)" if told else "")
               + (f" · {reviewed}" if reviewed else " · all as the machine found them")
               + f" · {count(len(view.places), 'place')}")
    if analysis is not None:
        article = analysis.article
        published = article.published.isoformat() if article.published else "unknown date"
        st.caption(f"Shown: “{article.title or 'Untitled article'}” · Published {published} · "
                   f"{count(len(article.sentences), 'sentence')} · {count(len(analysis.places), 'place')} · "
                   f"{count(len(analysis.events), 'event')}"
                   f" · article id `{article.article_id}`")
    note = st.session_state.get("sm_date_note")
    if isinstance(note, tuple) and analysis is not None and note[0] == analysis.article.article_id:
        # (a date left at today on an older article puts its "on Monday" in the wrong year: it must stand out)
        (st.warning if "was left at today" in note[1] else st.info)(note[1])
    if analysis is not None:
        for warning in analysis.warnings:
            st.warning(warning)


def _tellings(row: pd.Series | None) -> list[dict]:
    return json.loads(row["sources"] or "[]") if row is not None else []


def selected_row(view: WorkspaceView) -> pd.Series | None:
    selected = st.session_state.get("sm_selected")
    if not selected or not len(view.events_gdf):
        return None
    rows = view.events_gdf[view.events_gdf["event_id"] == selected]
    return rows.iloc[0] if len(rows) else None


def shown_article_id(view: WorkspaceView, row: pd.Series | None) -> str | None:
    ids = view.articles["article_id"].tolist()
    if not ids:
        return None
    told_in = {t["article_id"] for t in _tellings(row)} or ({row["article_id"]} if row is not None else set())
    if row is not None and told_in and st.session_state.get("sm_shown_article") not in told_in:
        st.session_state.sm_shown_article = next((a for a in ids if a in told_in), ids[-1])
    if st.session_state.get("sm_shown_article") not in ids:
        st.session_state.sm_shown_article = ids[-1]
    return st.session_state.sm_shown_article


def article_panel(view: WorkspaceView, store: WorkspaceStore, analysis: Analysis | None, can_edit: bool) -> None:
    row = selected_row(view)
    if len(view.articles) > 1:
        titles = {r.article_id: (r.title or r.filename or r.article_id) for r in view.articles.itertuples()}
        st.selectbox("Article shown", list(titles), format_func=lambda a: str(titles[a])[:90], key="sm_shown_article")
    if analysis is None:
        return
    here = analysis.article.article_id
    sentences = {t["sentence_index"] for t in _tellings(row) if t["article_id"] == here}
    if row is not None and not sentences and row["article_id"] == here and pd.notna(row["sentence_index"]):
        sentences = {int(row["sentence_index"])}
    st.html(article_css() + legend_html())
    told_here = {t["sentence_index"] for s in view.events_gdf["sources"] for t in json.loads(s or "[]")
                 if t["article_id"] == here} if len(view.events_gdf) else set()
    st.html(article_html(analysis, sentences, told_here))
    picked = SENTENCE_PICKER(key="sm_sentence_pick", on_pick_change=lambda: None)
    if picked is not None and picked.pick is not None:
        select_by_sentence(view, here, int(picked.pick))
    if sentences:
        scroll_to_selected(f"{here}:{sorted(sentences)}")


#: A click on a sentence that tells an event selects that event (text -> map; a marker's click does map -> text).
#: A components-v2 element has no frame: its script listens on the page, where the article's sentences are.
SENTENCE_PICKER = st.components.v2.component(
    "sm_sentence_picker",
    html="<span hidden></span>",
    js="""
    export default function (component) {
      const { setTriggerValue } = component;
      if (window.smSentenceClick) { document.removeEventListener("click", window.smSentenceClick); }
      window.smSentenceClick = (ev) => {
        if (ev.target instanceof Element && ev.target.closest(".sm-to-text")) {  // the selected event's sentence
          ev.preventDefault();
          const told = document.querySelector(".sm-article .sm-selected");
          if (told) { told.scrollIntoView({block: "center", behavior: "smooth"}); }
          return;
        }
        const el = ev.target instanceof Element ? ev.target.closest(".sm-article .sm-has-event") : null;
        if (el && !ev.target.closest("a")) { setTriggerValue("pick", el.id.slice(1)); }
      };
      document.addEventListener("click", window.smSentenceClick);
    }
    """,
)


def select_by_sentence(view: WorkspaceView, article_id: str, sentence: int) -> None:
    """Select the event told in that sentence of the article (the next one, if it tells several) and centre the
    map on it."""
    events = view.events_gdf
    told = [r for _, r in events.iterrows() if any(t["article_id"] == article_id and t["sentence_index"] == sentence
                                                     for t in _tellings(r))]
    if not told:
        return
    if not st.session_state.get("sm_statements"):  # what the map shows first: what happened
        told = [r for r in told if r["event_type"] != "Statement"] or told
    ids = [str(r["event_id"]) for r in told]
    current = st.session_state.get("sm_selected")
    row = told[(ids.index(current) + 1) % len(ids)] if current in ids else told[0]
    st.session_state.sm_selected = str(row["event_id"])
    if row["event_type"] == "Statement":
        st.session_state.sm_statements = True  # (a sentence with only a statement: show statements)
    if row.geometry is not None and not row.geometry.is_empty:
        zoom = 11 if row["place_kind"] in {"city", "facility", "landmark"} else 6
        st.session_state.sm_view = ((row.geometry.y, row.geometry.x), zoom)
    st.session_state.sm_pick_scroll = time.time()  # where the map is above the text (phone, projector): to the map
    st.rerun()


#: Where the map column stands above the text, full width (a phone; a projector's 1024 px beside the sidebar).
STACKED = "(max-width: 1180px)"


def selected_event(store: WorkspaceStore, row: pd.Series | None, can_edit: bool) -> None:
    """The selected event right under the map: its sentence, what the machine made of it, and (with edit access) its
    corrections. Under the map, not above the text: a click on a sentence must not move the text it was made in
    (walkthrough: the panel above the article pushed the clicked sentence down the page)."""
    if row is None:
        return
    where = row["place_name"] if isinstance(row["place_name"], str) else "an unknown place"
    quote = f": <i>{in_quotes(row['sentence'])}</i>" if isinstance(row["sentence"], str) else ""
    st.html(f"<div class='sm-selected-sentence' style='border-left:3px solid #e8a400;padding:0 0 0 8px;"
            f"margin:0 0 4px'><b>Selected event:</b> {safe_html(row['sub_event_type'])} at {safe_html(where)}"
            f"{quote}<a href='#' class='sm-to-text' role='button'>↓ Its sentence in the article</a></div>"
            # (where the text stands below the map: on a phone there was no way back to the sentence)
            "<style>.sm-to-text { display: none; margin-left: 6px; white-space: nowrap; }"
            f" @media {STACKED} {{ .sm-to-text {{ display: inline; }} }}</style>")
    event_panel(store, row, can_edit)


def map_into_view(key: str, only_if_stacked: bool = False) -> None:
    """Scroll the page so that the map is on screen (Play is pressed below it: at 1024x768 and on a phone the map
    was off screen while it played). ``key``: new for each call, so the script runs again. ``only_if_stacked``: only
    where the map column stands above the text (a sentence tapped on a phone left the map, and its selection, off
    screen); side by side, the page stays where it is."""
    st.iframe(f"""<!-- {html.escape(key)} --><script>
      let tries = 0;
      function go() {{
        const doc = window.parent.document;
        const map = doc.querySelector('iframe[src*="streamlit_folium"]');
        if (!map) {{ if (tries++ < 20) setTimeout(go, 100); return; }}
        const text = doc.querySelector(".st-key-sm_text_column"), column = doc.querySelector(".st-key-sm_map_column");
        if ({'true' if only_if_stacked else 'false'} && !(text && column &&
            text.getBoundingClientRect().top >= column.getBoundingClientRect().bottom - 1)) {{ return; }}
        map.style.scrollMarginTop = "64px";  // (below Streamlit's header bar)
        map.scrollIntoView({{block: "start", behavior: "smooth"}});
      }}
      go();
    </script>""", height=1)


def page_to_top(key: str) -> None:
    """Scroll the page to its top: a new map is shown (mapped, or another workspace opened), and it had stayed
    scrolled out of sight. ``key``: new for each call, so the script runs again."""
    st.iframe(f"""<!-- {html.escape(key)} --><script>
      const main = window.parent.document.querySelector('[data-testid="stMain"]');
      if (main) {{ main.scrollTo({{top: 0}}); }}
    </script>""", height=1)


def scroll_to_selected(key: str) -> None:
    """Bring the highlighted sentence into view inside the article's own scroll box (not the whole page)."""
    st.iframe(f"""<!-- {html.escape(key)} --><script>
      let tries = 0;
      function go() {{
        const el = window.parent.document.querySelector(".sm-article .sm-selected");
        if (!el) {{ if (tries++ < 20) setTimeout(go, 100); return; }}
        const box = el.closest(".sm-article");
        if (box.scrollHeight > box.clientHeight) {{
          box.scrollTop += el.getBoundingClientRect().top - box.getBoundingClientRect().top - box.clientHeight / 3;
        }}
      }}
      go();
    </script>""", height=1)


def map_panel(workspace: WorkspaceView, store: WorkspaceStore, can_edit: bool) -> None:
    days = _days(workspace)
    first, last = days[0], days[-1]
    if first == last:
        first = first - dt.timedelta(days=1)
    if "sm_range" not in st.session_state:
        st.session_state.sm_range = (first, last)
    lo, hi = st.session_state.sm_range
    if not (first <= lo <= last and first <= hi <= last):
        st.session_state.sm_range = (first, last)
    playing = st.session_state.get("sm_playing", False)
    speed = SPEEDS[st.session_state.get("sm_speed", "normal")]
    steps = event_days(workspace.events_gdf)

    @st.fragment(run_every=speed if playing else None)
    def panel() -> None:
        picked = brushed_range(st.session_state.get("sm_timeline"))
        if picked is None and st.session_state.get("sm_last_brush") and st.session_state.get("sm_timeline"):
            # the brush was cleared on the chart (a double click): the map shows the whole time again, as the chart
            st.session_state.sm_last_brush = None
            st.session_state.sm_range = (first, last)
        if picked and picked != st.session_state.get("sm_last_brush"):
            # a brush on the timeline chart: its selection is known before the slider is drawn, so this one run
            # draws the map for it (read after the chart, it cost a second run)
            st.session_state.sm_last_brush = picked
            st.session_state.sm_range = (max(first, picked[0]), min(last, picked[1]))
            st.session_state.sm_playing = False
        if st.session_state.get("sm_playing") and not st.session_state.get("sm_play"):
            # (a run made by the Pause click itself does not step on: Pause stops on the day shown)
            # Play keeps its own place (sm_play_at, sm_play_from), not the slider's: a slider value the browser sent
            # before it heard of the Play click (a key pressed just before) must not send Play back to the end.
            at = st.session_state.get("sm_play_at", st.session_state.sm_range[1])
            start = st.session_state.get("sm_play_from", st.session_state.sm_range[0])
            ahead = [d for d in steps if d > at]
            window = st.session_state.get("sm_play_mode") == "that day only"
            if ahead:  # the next day with an event: empty days are skipped
                at = st.session_state.sm_play_at = ahead[0]
            st.session_state.sm_range = (at if window else start, at)
            if not ahead:  # the end: a whole run, so that this part stops rerunning on its timer
                st.session_state.sm_playing = False
                st.rerun(scope="app")
        # The map first (seen on arrival and during Play at every size), its controls under it; the containers
        # are filled below, in the order the values are known.
        map_area = st.container()
        controls = st.columns([3, 9])
        timeline_area = st.container()
        with controls[0]:
            if st.session_state.get("sm_playing"):
                # Where the map fills the screen (stacked columns, a short window) Pause floats at the foot of the
                # window while the map plays (walkthrough: on a phone Play scrolled the map in and Pause out).
                st.html(f"<style>@media {STACKED}, (max-height: 820px) {{ .st-key-sm_play {{ position: fixed;"
                        " bottom: 14px; left: 50%; transform: translateX(-50%); width: auto !important; z-index: 999990;"
                        " opacity: 1 !important; } .st-key-sm_play button { box-shadow: 0 2px 10px rgba(0,0,0,.35);"
                        " background: #fff !important; } }"  # (opaque: a walkthrough saw the key through it once)
                        "</style>")
            label = "❚❚ Pause" if st.session_state.get("sm_playing") else "▶ Play"
            if st.button(label, key="sm_play", help="Step through the timeline from one day with events to the next"):
                if not st.session_state.get("sm_playing"):
                    lo, hi = st.session_state.sm_range
                    at = hi
                    if hi >= last:  # from the range's start (walkthrough: a range brushed on the chart was
                        # ignored and Play began at the first day): the first step is its first day with an event
                        lo = hi = next((d for d in steps if d >= lo), steps[0]) if steps else first
                        at = lo - dt.timedelta(days=1)
                        st.session_state.sm_range = (lo, hi)
                    st.session_state.sm_play_from, st.session_state.sm_play_at = lo, at
                    st.session_state.sm_playing = True
                    # the whole view, not one selected event's (walkthrough: Play kept a zoom onto one town); a
                    # new centre each time (a hair apart), else the map keeps a zoom made since the last Play
                    st.session_state.sm_selected = None
                    south, west, north, east = base_layers(workspace, workspace.key)[0].bounds
                    nudge = (time.time() % 1) * 1e-7
                    st.session_state.sm_view = (((south + north) / 2 + nudge, (west + east) / 2),
                                                view_zoom((south, west, north, east)))
                    st.session_state.sm_play_scroll = time.time()  # the map into view, once (the button is below it)
                else:
                    st.session_state.sm_playing = False
                st.rerun(scope="app")
        with controls[1]:
            st.slider("Timeline (events shown if their dates meet this range)", min_value=first, max_value=last,
                      key="sm_range", format="YYYY-MM-DD", label_visibility="collapsed",
                      disabled=bool(st.session_state.get("sm_playing")),
                      help="Pause to move the range" if st.session_state.get("sm_playing") else None)
        with st.expander("Play settings"):
            cols = st.columns(2)
            cols[0].radio("Speed", list(SPEEDS), key="sm_speed", horizontal=True, index=1)
            cols[1].radio("Play shows", ["everything so far", "that day only"], key="sm_play_mode",
                          horizontal=True)
        lo, hi = st.session_state.sm_range
        chosen, color_by = filters(workspace)
        in_range = events_in_range(chosen, lo, hi)
        happened = happenings(in_range)
        statements = len(in_range) - len(happened)
        with_statements = st.toggle(f"Show statements and claims ({statements} in this range)",
                                    key="sm_statements", help="Pledges, claims, announcements and reports are kept "
                                    "as data; the map first shows what happened.")
        shown = in_range if with_statements else happened
        hidden = "" if with_statements or not statements else \
            f" ({statements} statement{'' if statements == 1 else 's'} hidden)"
        active = sum(bool(st.session_state.get(k)) for k in URL_FILTERS)
        narrowed = f" ({active} filter{'s' if active > 1 else ''} on)" if active else ""
        # The base map is rebuilt from cached plain data each run (st_folium mutates the folium object);
        # only the events layer changes, so the component updates it in place and keeps zoom and pan.
        layers, events_url = base_layers(workspace, workspace.key)
        ensure_event_store(events_url.rsplit("/", 1)[-1], layers.events, get_pipeline().settings.static_derived_dir,
                           base_payload(layers))
        m = build_base_map(layers, get_pipeline().settings, compact=True, events_url=events_url, in_page=True)
        layer = events_layer(shown, selected=st.session_state.get("sm_selected"), color_by=color_by)
        view = st.session_state.get("sm_view")
        with map_area:
            result = st_folium(m, feature_group_to_add=layer, center=view[0] if view else None,
                               zoom=view[1] if view else None, key="sm_map", height=560,
                               use_container_width=True,
                               returned_objects=["last_object_clicked_tooltip", "last_object_clicked", "center",
                                                 "zoom", "last_clicked", "bounds"])
            selected_event(store, selected_row(workspace), can_edit)
            st.caption(f"{len(shown)} of {count(len(workspace.events_gdf), 'event')}{narrowed} between {lo:%d %b %Y} and "
                       f"{hi:%d %b %Y}{hidden}. "
                       "Click a marker for its details; its sentence is highlighted in the text.")
            st.html(event_key_html(layers.event_types, layers.sides, color_by))
            if st.session_state.get("sm_play_scroll"):
                map_into_view(str(st.session_state.pop("sm_play_scroll")))
            elif st.session_state.get("sm_pick_scroll"):
                map_into_view(str(st.session_state.pop("sm_pick_scroll")), only_if_stacked=True)
        remember_view(result or {})
        clicked = clicked_event(result or {}, layers)
        if clicked and clicked != st.session_state.get("sm_clicked"):
            st.session_state.sm_clicked = clicked
            st.session_state.sm_selected = clicked
            st.rerun(scope="app")
        point = st.session_state.get("sm_clicked_point")
        if point and can_edit and author() and not st.session_state.get("sm_selected"):
            with map_area, st.expander(f"Add a place at the point you clicked ({point[0]:.4f}, {point[1]:.4f})"):
                add_place_form(store, point, "map")
        with timeline_area:
            timeline_chart(chosen, lo, hi, color_by)
        pictures(workspace, shown, chosen, color_by, lo, hi, with_statements)
        event_table(shown)

    panel()


def filters(workspace: WorkspaceView) -> tuple[pd.DataFrame, str]:
    """The filters (type, side, article, checked state) and what the colour says; returns the events they keep
    (any time) and "side" or "type"."""
    events = workspace.events_gdf
    table = load_sides(get_pipeline().settings.sides_path)
    sides = event_sides(events, table)
    side_names = [name for name, _ in sides_present(set(sides), table)]
    titles = {r.article_id: (r.title or r.filename or r.article_id) for r in workspace.articles.itertuples()}
    options = {"sm_f_types": [t for t in EVENT_COLORS if t in set(events["event_type"])],
               "sm_f_sides": side_names, "sm_f_articles": list(titles), "sm_f_states": list(STATES)}
    for key, allowed in options.items():  # a link may name what this workspace does not have
        if key in st.session_state:
            st.session_state[key] = [v for v in st.session_state[key] if v in allowed]
    if st.session_state.get("sm_color_by") not in COLOR_BY:
        st.session_state.sm_color_by = "side" if any(n != UNKNOWN.name for n in side_names) else "type"
    with st.expander("Filters and colours"):  # (a label that changed with the choice would close it at each one)
        cols = st.columns(2)
        cols[0].multiselect("Type of event", options["sm_f_types"], key="sm_f_types", placeholder="All types")
        cols[1].multiselect("Side of the acting force", side_names, key="sm_f_sides", placeholder="All sides",
                            help="From the actor's name, by the table of sides (data/sides.csv; SITMAP_SIDES).")
        cols[0].multiselect("Told in the article", list(titles), key="sm_f_articles", placeholder="All articles",
                            format_func=lambda a: str(titles.get(a, a))[:80])
        cols[1].multiselect("Checked", list(STATES), key="sm_f_states", placeholder="Checked or not",
                            format_func={"machine": "not checked (machine)", "edited": "checked by a person",
                                         "verified": "verified by a second"}.get)
        st.radio("Marker colour shows", COLOR_BY, key="sm_color_by", horizontal=True,
                 format_func={"side": "the side of the acting force", "type": "the type of event"}.get)
    chosen = filtered_events(events)
    return chosen, st.session_state.sm_color_by


def pictures(workspace: WorkspaceView, shown: pd.DataFrame, chosen: pd.DataFrame, color_by: str, lo: dt.date,
             hi: dt.date, with_statements: bool) -> None:
    """Pictures for slides, made offline when asked for: this view as a PNG, the playback as an animated GIF."""
    from geo.picture import map_png, playback_gif

    pipeline = get_pipeline()
    subtitle = f"{count(len(shown), 'event')} · {lo:%d %b %Y} – {hi:%d %b %Y}"
    on_screen = st.session_state.get("sm_live_bounds")  # (south, west, north, east) of the map as it is now
    with st.expander("Pictures for slides (PNG, animated GIF)"):
        st.caption("Made offline from what the map shows now (its area, time range, filters, colours); the GIF "
                   "plays the filtered events day by day, skipping empty days, framed on them.")
        cols = st.columns(2)
        cols[0].download_button(
            "This view (PNG)", lambda: map_png(workspace.places, shown, pipeline.gazetteer, pipeline.settings,
                                               title=workspace.name, subtitle=subtitle, color_by=color_by,
                                               with_statements=with_statements,
                                               bounds=on_screen),
            f"{file_stem(workspace.name)}-{lo}-{hi}.png", "image/png", key="sm_png", width="stretch")
        cols[1].download_button(
            "The playback (GIF)", lambda: playback_gif(workspace.places, chosen, pipeline.gazetteer,
                                                       pipeline.settings, title=workspace.name, color_by=color_by,
                                                       with_statements=with_statements),
            f"{file_stem(workspace.name)}-playback.gif", "image/gif", key="sm_gif", width="stretch")


def event_days(events: pd.DataFrame) -> list[dt.date]:
    """The days on which an event starts (Play steps through these)."""
    if not len(events):
        return []
    start = pd.to_datetime(events["date_start"]).fillna(pd.to_datetime(events["date_end"]) - pd.Timedelta(days=1))
    return sorted({d.date() for d in start.dropna()})


def timeline_chart(events: pd.DataFrame, lo: dt.date, hi: dt.date, color_by: str = "type") -> None:
    """Events per day under the map (an event lasting several days counts on each, up to 60), coloured as the
    markers are (by side or by type); drag across it to choose the range."""
    chart = timeline_spec(events, color_by=color_by, sides=load_sides(get_pipeline().settings.sides_path))
    if chart is None:
        return
    st.caption(f"Events per day (bars) and events lasting longer (spans below them), coloured as the markers; "
               f"{lo:%d %b %Y} – {hi:%d %b %Y} "
               "shown. Drag across the bars to choose a range (on a touch screen: the slider); Ctrl and the mouse "
               "wheel zoom the days; a double click clears the range and zooms out.")
    st.altair_chart(chart, on_select="rerun", key="sm_timeline", width="stretch")  # (read by map_panel)


def timeline_spec(events: pd.DataFrame, height: int = 110, color_by: str = "type",  # type: ignore[no-untyped-def]
                  sides: tuple[Side, ...] = ()):
    """The Altair timeline: bars of events per day (events of a day or less), over a lane of spans (events that
    last longer, from their first to their last day); an x-brush named ``brush`` on the bars; Ctrl and the
    mouse wheel zoom the days, a double click zooms back out. Coloured as the markers: by type, or by the side of the acting
    force (``color_by="side"``, by the table ``sides``), with a key under the bars. None without events."""
    import altair as alt

    if color_by == "side" and len(events):
        key = event_sides(events, sides)
        palette = dict(sides_present(set(key), sides))
        title = "Side"
    else:
        key, palette, title = None, EVENT_COLORS, "Type"
    counts = daily_counts(events, key)
    spans = event_spans(events, key=key)
    if counts.empty and spans.empty:
        return None
    brush = alt.selection_interval(encodings=["x"], name="brush", zoom=False)  # (the wheel zooms the days only)
    # (with Ctrl held, or a touchpad's pinch: the plain wheel scrolls the page past the chart; walkthrough, it had
    # stopped the page and zoomed the days instead)
    zoom = alt.selection_interval(encodings=["x"], bind="scales", zoom="wheel![event.ctrlKey || event.metaKey]",
                                  translate=False, name="zoom")
    present = set(counts["type"]) | set(spans["type"])
    kinds = [k for k in palette if k in present] + sorted(present - set(palette))  # (in the map key's order)
    color = alt.Color("type:N", title=title,
                      scale=alt.Scale(domain=kinds, range=[palette.get(t, "#333") for t in kinds]),
                      # (two columns: three ran past a phone's width, "● Si…")
                      legend=alt.Legend(orient="bottom", direction="horizontal", columns=2, labelLimit=150,
                                        symbolType="circle", titleOrient="left"))
    if counts.empty:  # (a brush needs bars to drag across: an empty day row keeps the chart brushable)
        counts = pd.DataFrame({"day": spans["start"].min(), "type": kinds[:1], "events": [0]})
    bars = alt.Chart(counts).mark_bar().encode(
        # (ticks on whole days only: on a few days' span Vega put ticks every few hours, each labelled with its
        # day, "13 Oct" eight times)
        # (and room at each end: the last day's bar sat half outside the chart, on a phone wholly)
        x=alt.X("day:T", title=None, scale=alt.Scale(padding=14),
                axis=alt.Axis(format="%d %b", tickCount={"interval": "day", "step": 1}, labelOverlap=True)),
        y=alt.Y("sum(events):Q", title="events", axis=alt.Axis(tickMinStep=1)),
        color=color,
        opacity=alt.condition(brush, alt.value(1.0), alt.value(0.35)),
        tooltip=[alt.Tooltip("day:T", title="day"), alt.Tooltip("type:N", title=title.lower()),
                 alt.Tooltip("sum(events):Q", title="events")],
    ).add_params(brush, zoom).properties(height=height)
    if spans.empty:  # (in a concat even alone: a single view is fitted into its height, and the key under the
        return alt.vconcat(bars)  # bars squeezed them to nothing)
    lane = alt.Chart(spans).mark_bar(height=6, cornerRadius=2).encode(
        x=alt.X("start:T", title=None, axis=None),
        x2="end:T",
        y=alt.Y("row:O", axis=None),
        color=color,
        tooltip=[alt.Tooltip("label:N", title="lasting"), alt.Tooltip("start:T", title="from"),
                 alt.Tooltip("last:T", title="to")],
    ).properties(height=9 * int(spans["row"].max() + 1))
    return alt.vconcat(bars, lane, spacing=2).resolve_scale(x="shared")


def brushed_range(result: object) -> tuple[dt.date, dt.date] | None:
    """The days a brush on the timeline covers (Vega-Lite gives epoch milliseconds or ISO text); ``result``: what
    ``st.altair_chart`` returned, or its value in the session state."""
    try:
        selection = result["selection"] if isinstance(result, Mapping) else result.selection  # type: ignore[attr-defined]
        extent = selection["brush"]["day"]
    except (AttributeError, KeyError, TypeError):
        return None
    if not extent or len(extent) != 2:
        return None
    days = [pd.Timestamp(x, unit="ms") if isinstance(x, int | float) else pd.Timestamp(x) for x in extent]
    a, b = sorted(d.date() for d in days)
    return a, max(a, b)


def remember_view(result: dict) -> None:
    """Keep the map's centre and zoom (for the URL), and a click on the map itself (to move an event there)."""
    center, zoom = result.get("center"), result.get("zoom")
    bounds = result.get("bounds") or {}
    if bounds.get("_southWest") and bounds.get("_northEast"):  # the area on screen (for "This view (PNG)")
        sw, ne = bounds["_southWest"], bounds["_northEast"]
        st.session_state.sm_live_bounds = (float(sw["lat"]), float(sw["lng"]), float(ne["lat"]), float(ne["lng"]))
    if center and zoom is not None:
        st.session_state.sm_live_view = ((float(center["lat"]), float(center["lng"])), int(zoom))
        write_url()
    point = result.get("last_clicked")
    if point and point != st.session_state.get("sm_last_clicked_raw"):
        st.session_state.sm_last_clicked_raw = point
        st.session_state.sm_clicked_point = (float(point["lat"]), float(point["lng"]))
        if st.session_state.get("sm_selected"):
            st.rerun(scope="app")  # the selected event's panel offers to move it there


def clicked_event(result: dict, layers: BaseLayers) -> str | None:
    """The event a click landed on: from its tooltip "[id]", else (no tooltips on big maps) its position, when one
    event alone is there. A click on a group of events at one point lands on that point too: it fans them out and
    selects none of them."""
    found = EVENT_ID.search(result.get("last_object_clicked_tooltip") or "")
    if found:
        return found.group(1)
    point = result.get("last_object_clicked") or {}
    if "lat" not in point:
        return None
    key = (round(float(point["lat"]), 4), round(float(point["lng"]), 4))
    there = [str(e["id"]) for e in layers.events if (e["lat"], e["lon"]) == key]
    return there[0] if len(there) == 1 else None


def event_table(shown: pd.DataFrame) -> None:
    table = pd.DataFrame({
        "date": date_labels(shown).to_numpy(),
        "type": shown["sub_event_type"].to_numpy(),
        "place": shown["place_name"].to_numpy(),
        "what": shown["trigger"].to_numpy(),
        "state": shown["state"].to_numpy() if "state" in shown else "machine",
        "confidence": shown["confidence"].round(2).to_numpy(),
        "event_id": shown["event_id"].to_numpy(),
    })
    st.markdown("**Events** — choose one to centre the map on it")
    # (widths in pixels: the table is ~530 px wide beside the text at 1400 and ~560 at 1024, where all fit; on a
    # phone (~360) it scrolls sideways. By Streamlit's default widths the place and the state were cut off at 1024.
    # Not pinned: Streamlit greys a pinned column, which read as disabled.)
    text = st.column_config.TextColumn
    selection = st.dataframe(table, hide_index=True, on_select="rerun", selection_mode="single-row",
                             key="sm_table", width="stretch",
                             column_config={"event_id": None, "date": text("date", width=82),
                                            "type": text("type", width=140),
                                            "place": text("place", width=95), "what": text("what", width=68),
                                            "state": text("state", width=58),
                                            "confidence": st.column_config.ProgressColumn(
                                                "confidence", min_value=0.0, max_value=1.0, format="%.2f",
                                                width=55)})
    rows = selection.selection.rows if selection else []
    if rows:
        row = shown.iloc[rows[0]]
        if row["event_id"] != st.session_state.get("sm_selected"):
            st.session_state.sm_selected = row["event_id"]
            zoom = 11 if row["place_kind"] in {"city", "facility", "landmark"} else 6
            st.session_state.sm_view = ((row.geometry.y, row.geometry.x), zoom)
            st.rerun(scope="app")


def main() -> None:
    found = current_view()
    if found is None:
        return
    store, view, can_edit = found
    article_id = shown_article_id(view, selected_row(view))
    analysis = stored_analysis(store, article_id) if article_id else None
    header(view, analysis)
    if not can_edit:
        st.info("**View only** — this link lets you look, play the timeline and export, not change anything. "
                "Ask whoever shared it for the editing link to correct events.", icon="👁")
    # On a phone, and on a projector's 1024 px beside the sidebar (where the map was 313 px wide), the columns
    # stack: the map first, full width, the text below it.
    # Streamlit's 6rem above the title pushed the map below the fold of a 1024×768 projector.
    st.html("<style>[data-testid='stMainBlockContainer'] { padding-top: 3.2rem; }"
            f" @media {STACKED} {{"
            " [data-testid='stHorizontalBlock']:has(> [data-testid='stColumn'] .st-key-sm_map_column)"
            " { flex-wrap: wrap; }"
            " [data-testid='stColumn']:has(.st-key-sm_map_column) { order: -1; }"
            " [data-testid='stColumn']:has(.st-key-sm_map_column), [data-testid='stColumn']:has(.st-key-sm_text_column)"
            " { flex: 1 1 100% !important; width: 100% !important; min-width: 100% !important; } }</style>")
    left, right = st.columns([5, 7], gap="medium")
    with left, st.container(key="sm_text_column"):
        article_panel(view, store, analysis, can_edit)
    with right, st.container(key="sm_map_column"):
        if len(view.events_gdf):
            map_panel(view, store, can_edit)
        elif not len(view.articles):
            st.info("This workspace has no articles yet: add one in the sidebar (“Add an article”, mapped into this "
                    "workspace), and its places and events are mapped here.")
        else:
            st.info("No events were found in this workspace's articles, so there is nothing on the timeline. "
                    "The places they name are listed on the “Events & places” page.")
    write_url()
    if st.session_state.get("sm_scroll_top"):  # (at the page's foot: no gap at its top)
        page_to_top(str(st.session_state.pop("sm_scroll_top")))


if __name__ == "__main__":  # streamlit runs pages as __main__; tests import helpers
    sidebar("map")
    main()
