"""People correct the machine: the selected event's panel (what it is, who stands behind it, a form to change it,
accept/verify, delete, move it to another place) and the conflict message when two people changed one field."""

from __future__ import annotations

import datetime as dt
import html
from typing import Any

import pandas as pd
import streamlit as st

from geo.events import ACLED_SUB_EVENT_TYPES
from geo.model import Place
from geo.workspace import USER_PLACE_KINDS, EditConflict, WorkspaceError, WorkspaceStore, say_state
from pages.common import author, get_pipeline

PRECISIONS = ["day", "week", "month", "year", "hour"]
TYPE_CHOICES = [(t.value, sub) for t, subs in ACLED_SUB_EVENT_TYPES.items() for sub in subs]


def _type_label(choice: tuple[str, str]) -> str:
    return f"{choice[0]} — {choice[1]}"


def state_line(row: pd.Series) -> str:
    return say_state(row, long=True)


def _date(value: Any) -> dt.date | None:
    return None if value is None or pd.isna(value) else pd.Timestamp(value).date()


def last_day_of(row: pd.Series) -> dt.date | None:
    """The last day an event's interval touches (its end is exclusive: 09:00-10:00 is that day)."""
    end = row["date_end"]
    if end is None or pd.isna(end):
        return None
    return (pd.Timestamp(end) - pd.Timedelta(microseconds=1)).date()


def _save(store: WorkspaceStore, event_id: str, changes: dict[str, Any], version: int) -> None:
    if not changes:
        st.session_state.sm_notice = "Nothing changed."
        return
    try:
        store.edit_event(event_id, changes, author(), base_version=version)
        st.session_state.sm_notice = "Saved."
        st.session_state.pop("sm_conflict", None)
    except EditConflict as err:
        st.session_state.sm_conflict = (event_id, err, changes)
    except WorkspaceError as err:
        st.session_state.sm_error = str(err)


def conflict_box(store: WorkspaceStore) -> None:
    found = st.session_state.get("sm_conflict")
    if not found:
        return
    event_id, err, changes = found
    lines = "".join(f"<li><b>{html.escape(c.field)}</b>: theirs <code>{html.escape(str(c.theirs))}</code> "
                    f"({html.escape(c.their_author or 'someone')}, {html.escape(c.their_at[:16])}), yours "
                    f"<code>{html.escape(str(c.mine))}</code></li>" for c in err.conflicts)
    st.error(f"{err}")
    st.html(f"<ul class='sm-conflict'>{lines}</ul>")
    cols = st.columns(2)
    if cols[0].button("Keep theirs", key="sm_conflict_theirs", width="stretch"):
        st.session_state.pop("sm_conflict")
        st.rerun()
    if cols[1].button("Save mine over theirs", key="sm_conflict_mine", width="stretch"):
        st.session_state.pop("sm_conflict")
        _save(store, event_id, changes, err.version)
        st.rerun()


def _candidates(text: str, store: WorkspaceStore | None = None) -> list[tuple[Place, float]]:
    """Places of that name: the workspace's own (added by people) first, then the gazetteer's by prior."""
    gazetteer = get_pipeline().gazetteer
    found = gazetteer.candidates(text) if text.strip() else []
    scored = sorted(((p, gazetteer.prior(p)) for p in found), key=lambda item: -item[1])
    own = [(p, 1.0) for p in store.find_places(text)] if store is not None else []
    return own + scored[:12]


def _place_label(item: tuple[Place, float]) -> str:
    place, score = item
    if place.source == "user":
        return f"{place.name} ({USER_PLACE_KINDS.get(place.kind, place.kind)}, added in this workspace)"
    why = f"{place.kind}, {place.country or '—'}" + (f", population {place.population:,}" if place.population else "")
    return f"{place.name} ({why}) — score {score:.2f}"


def add_place_form(store: WorkspaceStore, point: tuple[float, float] | None, key: str) -> None:
    """Add a place no gazetteer has (a village, a checkpoint, a plant) at ``point`` or at typed coordinates; it is
    then found by name wherever a place is chosen."""
    with st.form(f"sm_add_place_{key}", border=False):
        name = st.text_input("Name of the place", key=f"sm_new_place_name_{key}",
                             placeholder="e.g. a village or a checkpoint the gazetteer lacks")
        kind = st.selectbox("It is a", list(USER_PLACE_KINDS), format_func=USER_PLACE_KINDS.get,
                            key=f"sm_new_place_kind_{key}")
        if point is None:
            cols = st.columns(2)
            lat = cols[0].number_input("Latitude", min_value=-90.0, max_value=90.0, value=None, format="%.5f",
                                       key=f"sm_new_place_lat_{key}")
            lon = cols[1].number_input("Longitude", min_value=-180.0, max_value=180.0, value=None, format="%.5f",
                                       key=f"sm_new_place_lon_{key}")
        else:
            lat, lon = point
        added = st.form_submit_button("Add the place", type="primary")
    if added:
        try:
            if lat is None or lon is None:
                raise WorkspaceError("A place needs its latitude and longitude (or click the map first).")
            place = store.add_place(name, lat, lon, author(), kind=kind)
            st.session_state.sm_notice = f"Added the place “{place.name}”: search it by name to give it to an event."
        except WorkspaceError as err:
            st.session_state.sm_error = str(err)
        st.rerun(scope="app")


def _place_change(place: Place) -> dict[str, Any]:
    return {"place_id": place.place_id, "place_name": place.name, "place_kind": place.kind,
            "country": place.country, "admin1": place.admin1, "geo_precision": int(place.geo_precision),
            "uncertainty_km": place.uncertainty_km, "lat": place.lat, "lon": place.lon}


def event_panel(store: WorkspaceStore, row: pd.Series, can_edit: bool) -> None:
    """The selected event: what, where, when, who stands behind it; and (with edit access) the edit form."""
    event_id = str(row["event_id"])
    # The version this person last saw: a save is checked against it, not against whatever is stored now (else
    # a second person's save would silently overwrite the first's).
    version = int(row["version"] or 0)
    base_key = f"sm_base_{event_id}"
    seen = st.session_state.get(base_key, version)
    st.session_state[base_key] = version
    st.caption(state_line(row))
    conflict_box(store)
    if not can_edit:
        st.caption("This link is view-only: you can look, filter and export, not change.")
        return
    me = author()
    if not me:
        st.info("To correct this event, write your name in the sidebar (“Your name”): edits are saved with it.")
        return
    with st.expander("Correct this event", expanded=bool(st.session_state.get("sm_editing"))):
        current = (row["event_type"], row["sub_event_type"])
        choices = TYPE_CHOICES + ([current] if current not in TYPE_CHOICES else [])
        # Keyed by the version the person saw: their typing survives a rerun in which someone else's save changed
        # the stored values (else the form would silently reset to those); after their own save it starts afresh.
        form = f"{event_id}-{seen}"
        with st.form(f"sm_edit_{form}", border=False):
            choice = st.selectbox("Type", choices, index=choices.index(current), format_func=_type_label,
                                  key=f"sm_f_type_{form}")
            start = st.date_input("From", value=_date(row["date_start"]), min_value=dt.date(1800, 1, 1),
                                       max_value=dt.date(2200, 12, 31), key=f"sm_f_from_{form}")
            last_day = last_day_of(row)
            end = st.date_input("To (last day)", value=last_day, min_value=dt.date(1800, 1, 1),
                                     max_value=dt.date(2200, 12, 31), key=f"sm_f_to_{form}")
            precision_now = row["time_precision"] if row["time_precision"] in PRECISIONS else "day"
            precision = st.selectbox("Precision", PRECISIONS, index=PRECISIONS.index(precision_now),
                                          key=f"sm_f_precision_{form}")
            cols = st.columns(2)
            actor1 = cols[0].text_input("Actor 1", value=row["actor1"] or "", key=f"sm_f_actor1_{form}")
            actor2 = cols[1].text_input("Actor 2", value=row["actor2"] or "", key=f"sm_f_actor2_{form}")
            fatalities = st.number_input("Fatalities (empty = not stated)", min_value=0, step=1,
                                         value=None if pd.isna(row["fatalities"]) else int(row["fatalities"]),
                                         key=f"sm_f_fatalities_{form}")
            saved = st.form_submit_button("Save", type="primary")
        if saved:
            changes: dict[str, Any] = {}
            if choice != current:
                changes["event_type"], changes["sub_event_type"] = choice
            if start != _date(row["date_start"]) or end != last_day or precision != precision_now:
                if start and end and end < start:
                    st.session_state.sm_error = "The last day comes before the first."
                else:
                    changes["dates"] = {"date_start": start, "date_end": (end + dt.timedelta(days=1)) if end else None,
                                        "time_precision": precision}
            if actor1 != (row["actor1"] or ""):
                changes["actor1"] = actor1
            if actor2 != (row["actor2"] or ""):
                changes["actor2"] = actor2
            if (None if pd.isna(row["fatalities"]) else int(row["fatalities"])) != fatalities:
                changes["fatalities"] = fatalities
            _save(store, event_id, changes, seen)
            st.rerun()
        _place_mover(store, row, seen)
    cols = st.columns(2)
    state = row.get("state") or "machine"
    label = "✔ Verify" if state == "edited" else "✔ Accept as correct"
    if cols[0].button(label, key=f"sm_accept_{event_id}", disabled=state == "verified", width="stretch",
                      help="Accepting marks it checked by you; verifying is a second person confirming."):
        try:
            store.accept(event_id, me)
            st.session_state.sm_notice = "Verified." if state == "edited" else "Accepted."
        except WorkspaceError as err:
            st.session_state.sm_error = str(err)
        st.rerun()
    if cols[1].button("Delete event", key=f"sm_delete_{event_id}", width="stretch",
                      help="A wrong event: delete it (Undo brings it back)."):
        try:
            store.delete_event(event_id, me, base_version=seen)
            st.session_state.sm_selected = None
            st.session_state.sm_notice = "Deleted (Undo in the sidebar brings it back)."
        except EditConflict as err:
            st.session_state.sm_error = str(err)
        except WorkspaceError as err:
            st.session_state.sm_error = str(err)
        st.rerun()


def _place_mover(store: WorkspaceStore, row: pd.Series, version: int) -> None:
    """Move the event: another gazetteer candidate for the words the article used, a search by name, or the point
    clicked on the map."""
    st.markdown("**Move it to another place**")
    text = row["place_text"] or row["place_name"] or ""
    query = st.text_input("Search the gazetteer by name", value=text, key=f"sm_place_q_{row['event_id']}")
    found = _candidates(query, store)
    if found:
        pick = st.selectbox("Candidates (score = how likely a name of this kind and size is meant)", found,
                            format_func=_place_label, key=f"sm_place_pick_{row['event_id']}")
        if st.button("Move here", key=f"sm_place_move_{row['event_id']}"):
            _save(store, str(row["event_id"]), {"place": _place_change(pick[0])}, version)
            st.rerun()
    elif query.strip():
        st.caption("No place of that name in the offline gazetteer.")
    point = st.session_state.get("sm_clicked_point")
    if point:
        # A place no gazetteer has (a village, a checkpoint): the point clicked, named by the person.
        name = st.text_input("Name of the place you clicked (optional: a name adds it to this workspace's places)",
                             key=f"sm_place_name_{row['event_id']}", placeholder="e.g. a village the gazetteer lacks")
        if st.button(f"Use the point I clicked on the map ({point[0]:.4f}, {point[1]:.4f})",
                     key=f"sm_place_click_{row['event_id']}"):
            change: dict[str, Any] = {"lat": point[0], "lon": point[1]}
            try:
                if name.strip():  # a named place is kept, to be found again by name
                    change = _place_change(store.add_place(name, point[0], point[1], author(), kind="landmark"))
                _save(store, str(row["event_id"]), {"place": change}, version)
            except WorkspaceError as err:
                st.session_state.sm_error = str(err)
            st.rerun()
    else:
        st.caption("Or click the map where it happened, then come back here.")
