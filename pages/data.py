"""Events and places as tables: the events editable in place (type, dates, actors, fatalities; delete), a form to
add a missing event, the history of edits, and downloads (GeoJSON, GeoPackage, ACLED CSV, KML, HTML map)."""

from __future__ import annotations

import datetime as dt

import pandas as pd
import streamlit as st

from geo.export import export_workspace
from geo.frames import PLACES_SCHEMA, kind_label
from geo.model import TimeExpression
from geo.timex import describe_value
from geo.workspace import EVENT_LAYER_SCHEMA, EditConflict, WorkspaceError, WorkspaceStore, file_stem
from pages.common import author, current_view, get_pipeline, stored_analysis, write_url
from pages.editor import (
    TYPE_CHOICES,
    _candidates,
    _place_change,
    _place_label,
    _type_label,
    add_place_form,
    conflict_box,
)
from pages.sidebar import sidebar

EDITABLE = ["type", "first day", "last day", "actor 1", "actor 2", "fatalities", "delete"]


def _table(events: pd.DataFrame) -> pd.DataFrame:
    start = pd.to_datetime(events["date_start"])
    last = pd.to_datetime(events["date_end"]) - pd.Timedelta(microseconds=1)  # the end is exclusive
    return pd.DataFrame({
        "type": [_type_label((t, s)) for t, s in zip(events["event_type"], events["sub_event_type"], strict=True)],
        # (what, where, when first: on a phone the place was off screen behind the two days; walkthrough)
        # (an empty cell, not Streamlit's grey "None")
        "place": events["place_name"].fillna("").to_numpy(),
        "first day": start.dt.date, "last day": last.dt.date, "actor 1": events["actor1"].fillna("").to_numpy(),
        "actor 2": events["actor2"].fillna("").to_numpy(), "fatalities": events["fatalities"].to_numpy(),
        "state": events["state"].to_numpy(), "by": events["edited_by"].fillna("").to_numpy(),
        "sentence": events["sentence"].to_numpy(), "delete": False,
        # Why the machine typed, placed and dated it so ('' for a workspace made before these were kept).
        "why this type": _why(events, "why_typed"), "why here": _why(events, "why_placed"),
        "why then": _why(events, "why_dated"),
        "event_id": events["event_id"].to_numpy(), "version": events["version"].to_numpy(),
    })


def _why(events: pd.DataFrame, column: str) -> object:
    return events[column].fillna("").to_numpy() if column in events else ""


def _apply_table_edits(store: WorkspaceStore, table: pd.DataFrame) -> None:
    """Save what was changed in the table, row by row, each against the version the person saw."""
    edited = st.session_state.get("sm_events_editor", {}).get("edited_rows", {})
    me = author()
    for index, cells in edited.items():
        row = table.iloc[int(index)]
        event_id, version = str(row["event_id"]), int(row["version"] or 0)
        try:
            if cells.get("delete"):
                store.delete_event(event_id, me, base_version=version)
                continue
            changes: dict = {}
            if "type" in cells:
                match = next((c for c in TYPE_CHOICES if _type_label(c) == cells["type"]), None)
                if match:
                    changes["event_type"], changes["sub_event_type"] = match
            if "first day" in cells or "last day" in cells:
                first = pd.Timestamp(cells.get("first day", row["first day"])).date()
                last = pd.Timestamp(cells.get("last day", row["last day"])).date()
                changes["dates"] = {"date_start": first, "date_end": last + dt.timedelta(days=1),
                                    "time_precision": "day" if first == last else "week" if (last - first).days < 8
                                    else "month" if (last - first).days < 32 else "year"}
            for column, field in (("actor 1", "actor1"), ("actor 2", "actor2"), ("fatalities", "fatalities")):
                if column in cells:
                    changes[field] = cells[column]
            store.edit_event(event_id, changes, me, base_version=version)
        except EditConflict as err:
            st.session_state.sm_conflict = (event_id, err, changes)
        except WorkspaceError as err:
            st.session_state.sm_error = str(err)


def _add_event_form(store: WorkspaceStore, articles: pd.DataFrame) -> None:
    with st.expander("Add a missing event"):
        query = st.text_input("Where: search the gazetteer by name", key="sm_add_place_q")
        found = _candidates(query, store)
        pick = st.selectbox("Place", found, format_func=_place_label, key="sm_add_place") if found else None
        if query.strip() and not found:
            st.caption("No place of that name in the offline gazetteer.")
        with st.form("sm_add_event", border=False):
            choice = st.selectbox("Type", TYPE_CHOICES, format_func=_type_label)
            day = st.date_input("Day", value=None, min_value=dt.date(1800, 1, 1), max_value=dt.date(2200, 12, 31))
            ids = articles["article_id"].tolist()
            titles = dict(zip(ids, articles["title"].fillna(""), strict=True))
            article = st.selectbox("Told in the article", ["", *ids],
                                   format_func=lambda a: titles.get(a, "") or a or "(none)")
            sentence = st.number_input("Sentence number in that article (optional)", min_value=1, step=1, value=None)
            actor1 = st.text_input("Actor 1")
            added = st.form_submit_button("Add the event", type="primary")
        if added:
            if pick is None or day is None:
                st.session_state.sm_error = "An event needs a place (search by name above) and a day."
                st.rerun()
            fields = {"event_type": choice[0], "sub_event_type": choice[1], "date_start": day,
                      "place": _place_change(pick[0]), "actor1": actor1, "article_id": article}
            if article and sentence:
                analysis = stored_analysis(store, article)
                if analysis and 0 < sentence <= len(analysis.article.sentences):
                    s = analysis.article.sentences[int(sentence) - 1]
                    fields.update(sentence_index=s.index, sentence=s.text, char_start=s.start, char_end=s.end)
            try:
                event_id = store.add_event(fields, author())
                st.session_state.sm_selected = event_id
                st.session_state.sm_notice = "Event added."
            except WorkspaceError as err:
                st.session_state.sm_error = str(err)
            st.rerun()


def main() -> None:
    found = current_view()
    if found is None:
        return
    store, view, can_edit = found
    events = view.events_gdf
    st.subheader(f"Events of “{view.name}” ({len(view.articles)} article{'s' if len(view.articles) != 1 else ''})")
    conflict_box(store)
    editing = can_edit and bool(author())
    if can_edit and not author():
        st.info("Write your name in the sidebar (“Your name”) to correct events in this table.")
    elif not can_edit:
        st.caption("This link is view-only.")
    table = _table(events)
    st.caption("Scroll the table sideways for the actors, fatalities, the sentence and why each event was typed, "
               "placed and dated so.")
    st.data_editor(table, hide_index=True, width="stretch", key="sm_events_editor",
                   disabled=not editing or [c for c in table.columns if c not in EDITABLE],
                   on_change=_apply_table_edits, args=(store, table),
                   column_config={
                       # (widths that fit type, days, place and actor 1 at 1024, which by the defaults cut the
                       # place; not pinned: Streamlit greys a pinned column, which read as disabled)
                       "type": st.column_config.SelectboxColumn("type", options=[_type_label(c) for c in TYPE_CHOICES],
                                                                width=170),
                       "first day": st.column_config.DateColumn("first day", width=90),
                       "last day": st.column_config.DateColumn("last day", width=90),
                       "place": st.column_config.TextColumn("place", width=120),
                       "actor 1": st.column_config.TextColumn("actor 1", width=150),
                       "actor 2": st.column_config.TextColumn("actor 2", width=150),
                       "fatalities": st.column_config.NumberColumn("fatalities", min_value=0, step=1, width=70),
                       "state": st.column_config.TextColumn("state", width=70),
                       "delete": st.column_config.CheckboxColumn("delete", help="Delete a wrong event (Undo brings "
                                                                 "it back)"),
                       "event_id": None, "version": None,
                       "sentence": st.column_config.TextColumn("sentence", width="large")})
    if editing:
        _add_event_form(store, view.articles)
        with st.expander("Add a missing place"):
            st.caption("A place the gazetteer lacks; it is then found by name when you add or move an event. "
                       "(On the map, click the spot first: the form under the map takes its point.)")
            add_place_form(store, None, "data")

    st.markdown("**Downloads** (every one opens again in QGIS, geopandas or a spreadsheet)")
    pipeline = get_pipeline()
    cols = st.columns(3)
    for n, (fmt, label, mime) in enumerate([
        ("geojson", "Events (GeoJSON)", "application/geo+json"),
        ("gpkg", "Workspace (GeoPackage)", "application/geopackage+sqlite3"),
        ("csv", "Events (ACLED CSV)", "text/csv"),
        ("kml", "Events (KML)", "application/vnd.google-earth.kml+xml"),
        ("html", "Map (HTML, offline)", "text/html"),
        ("story", "Story (HTML, offline)", "text/html"),
        ("png", "Picture of the map (PNG)", "image/png"),
        ("gif", "Playback (animated GIF)", "image/gif"),
    ]):
        cols[n % 3].download_button(label, lambda fmt=fmt: export_workspace(store, fmt, pipeline.gazetteer, pipeline.settings),
                            f"{file_stem(view.name)}{'-story' if fmt == 'story' else ''}.{'html' if fmt == 'story' else fmt}", mime, key=f"sm_export_{fmt}", width="stretch")

    st.subheader("Places")
    # Words a reader uses, the schema's meaning on hover; the ids and offsets stay in the downloads (walkthrough:
    # the table showed place_id, geonameid, admin1, first_start)
    labels = {"name": "place", "kind": "kind", "country": "country", "mentions": "named in the text as",
              "mention_count": "times named", "confidence": "confidence", "uncertainty_km": "uncertainty (km)",
              "population": "population", "source": "from"}
    places = pd.DataFrame(view.places.drop(columns="geometry"))
    if "kind" in places.columns:
        places["kind"] = places["kind"].map(kind_label)  # ("region", not the schema's "admin1")
    st.dataframe(places[[c for c in labels if c in places.columns]], hide_index=True, width="stretch",
                 column_config={c: st.column_config.Column(label, help=PLACES_SCHEMA[c][1])
                                for c, label in labels.items() if c in places.columns})
    shown = st.session_state.get("sm_shown_article")
    if shown not in set(view.articles["article_id"]):
        shown = view.articles["article_id"].iloc[-1] if len(view.articles) else None
    analysis = stored_analysis(store, shown) if shown else None
    if analysis is not None:
        st.caption(f"Names not placed and time expressions below are those of “{analysis.article.title}”.")
        if analysis.unresolved:
            st.subheader("Names not placed")
            st.dataframe(pd.DataFrame([{"name": r.mention.text, "why": r.reason} for r in analysis.unresolved]),
                         hide_index=True)
        st.subheader("Time expressions")
        st.caption("Clock times are kept in UTC: “noon local time” in a story from a zone three hours ahead of UTC "
                   "runs from 09:00 to 10:00 UTC.")
        st.dataframe(pd.DataFrame([{"text": t.text, "means": _means(t), "type": t.type.lower(),
                                    "sentence": t.sentence + 1, "TIMEX3 value": t.value,
                                    "from (UTC)": f"{t.interval_start:%Y-%m-%d %H:%M}" if t.interval_start else "",
                                    "to (UTC)": f"{t.interval_end:%Y-%m-%d %H:%M}" if t.interval_end else ""}
                                   for t in analysis.timexes]),
                     hide_index=True, width="stretch")
    history = store.history()
    with st.expander(f"History of edits ({len(history)})"):
        if len(history):
            st.dataframe(history[["edit_id", "at", "author", "action", "status", "event_id", "fields", "before",
                                  "after"]], hide_index=True, width="stretch")
        else:
            st.caption("Nobody has changed anything yet.")
    with st.expander("Column meanings (schemas)"):
        st.markdown("**Events**")
        st.table(pd.DataFrame([{"column": k, "dtype": d, "meaning": m} for k, (d, m) in EVENT_LAYER_SCHEMA.items()]))
        st.markdown("**Places**")
        st.table(pd.DataFrame([{"column": k, "dtype": d, "meaning": m} for k, (d, m) in PLACES_SCHEMA.items()]))
    write_url()


def _means(t: TimeExpression) -> str:
    """What a time expression was read as, in words ("on or before 3 Mar 2022" for an open bound)."""
    words = describe_value(t.value, t.type)
    return {"before": f"on or before {words}", "after": f"on or after {words}"}.get(t.bound or "", words)


sidebar("data")
main()
