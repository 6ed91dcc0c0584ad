"""Shared UI state and cached resources for the pages (thin: all work is done by geo/).

The workspace on screen is a GeoPackage in the workspaces folder (``geo.workspace``); the session keeps only
which one, which article and event, and the view — and the URL holds the same (``sync_from_url`` /
``write_url``), so a reload or a link restores it.
"""

from __future__ import annotations

import datetime as dt
import json
import logging
import re
import time
from dataclasses import dataclass
from pathlib import Path

import geopandas as gpd
import pandas as pd
import streamlit as st

from geo.errors import SituationMapError
from geo.frames import filter_events
from geo.mapview import BaseLayers, base_payload, prepare_base_layers, write_event_store
from geo.pipeline import Analysis, Pipeline
from geo.settings import Settings
from geo.sides import load_sides
from geo.workspace import WorkspaceError, WorkspaceFolder, WorkspaceStore

log = logging.getLogger(__name__)

DATA = Path(__file__).resolve().parent.parent / "data"
#: URL parameter -> what it holds.
URL_KEYS = ("ws", "a", "ev", "from", "to", "lat", "lon", "z", "st", "t", "step")


@dataclass(frozen=True)
class ArticleInput:
    """What the user gave us: kept in session state so nothing is lost when analysis fails."""

    content: str | bytes
    filename: str
    published: dt.date | None
    article_id: str
    date_note: str = ""
    max_chars: int | None = None
    title: str = ""
    source: str = ""


@st.cache_resource(show_spinner="Loading the gazetteer and the language model…")
def count(n: int, word: str) -> str:
    """"1 event", "3 events": a number and its noun."""
    return f"{n:,} {word}{'' if n == 1 else 's'}"


def markdown_text(text: object, limit: int = 80) -> str:
    """Text to set inside markdown, cut to ``limit`` characters first, with markdown's own signs escaped (a title
    holding "*" or "_" must not turn bold or italic, nor leave a stray "**")."""
    cut = str(text).strip()
    cut = cut if len(cut) <= limit else cut[: limit - 1].rstrip() + "…"
    return re.sub(r"([\\`*_{}\[\]()#+\-!<>|~])", r"\\\1", cut)


def get_pipeline() -> Pipeline:
    return Pipeline(Settings.from_env())


@st.cache_data(show_spinner=False, max_entries=64)
def analyze(content: str | bytes, filename: str, published: dt.date | None, article_id: str,
            max_chars: int | None = None, title: str = "") -> Analysis:
    pipeline = get_pipeline()
    if max_chars is not None:  # the user chose to map the first part of a too-large article
        content = content[:max_chars] if isinstance(content, str) else content.decode("utf-8", "replace")[:max_chars]
    article = pipeline.load(content, published=published, filename=filename, article_id=article_id, title=title,
                            max_chars=max_chars)
    return pipeline.analyze(article)


def as_text(content: str | bytes) -> str:
    if isinstance(content, str):
        return content
    from geo.ingest import decode_bytes

    return decode_bytes(content).text


# --- workspaces ------------------------------------------------------------------------------------------------------

def get_folder() -> WorkspaceFolder:
    return WorkspaceFolder(Settings.from_env().workspaces_dir)


def sample_input() -> ArticleInput:
    meta = json.loads((DATA / "sample_article.json").read_text(encoding="utf-8"))
    text = (DATA / meta["file"]).read_text(encoding="utf-8")
    return ArticleInput(text, meta["file"], dt.date.fromisoformat(meta["published"]), meta["article_id"],
                        f"Sample article ({meta['outlet']}), published {meta['published']}.", title=meta["title"])


def add_to_store(store: WorkspaceStore, item: ArticleInput, analysis: Analysis | None = None) -> Analysis:
    """Analyse (cached) and keep an article in a workspace."""
    analysis = analysis or analyze(item.content, item.filename, item.published, item.article_id, item.max_chars,
                                   item.title)
    content = as_text(item.content)
    if item.max_chars is not None:
        content = content[:item.max_chars]
    store.put_analysis(analysis, content, item.filename, source=item.source, author=author())
    return analysis


def _fill_with_sample(store: WorkspaceStore) -> None:
    add_to_store(store, sample_input())


SAMPLE_SLUG = "sample"
SAMPLE_NAME = "Sample: Mariupol, April 2022"
#: The cookie naming the workspace this browser had open last (each browser its own, on a shared server too).
LAST_COOKIE = "sm_last_workspace"


def ensure_sample() -> str:
    return get_folder().ensure(SAMPLE_SLUG, SAMPLE_NAME, _fill_with_sample)


def open_workspace(slug: str) -> None:
    """Show workspace ``slug`` (from the list, a link, or one just made)."""
    previous = st.session_state.get("sm_ws")
    if previous and previous != slug:
        st.session_state.sm_history = [*st.session_state.get("sm_history", []), previous][-10:]
    st.session_state.sm_ws = slug
    reset_view()
    shown_anew()


def shown_anew() -> None:
    """Another map is shown: a phone's sidebar over the page closes, and the page goes to its top (walkthrough:
    after "↶ Back" the sidebar stayed over the page; after mapping, the new map was scrolled out of sight)."""
    st.session_state.sm_mapped_count = st.session_state.get("sm_mapped_count", 0) + 1
    st.session_state.sm_scroll_top = time.time()


def current_store() -> tuple[str, WorkspaceStore] | None:
    """The workspace on screen: the session's (from a link or a choice), else the one this browser had open last
    (a cookie), else the sample's (made if missing)."""
    folder = get_folder()
    slug = st.session_state.get("sm_ws")
    if slug and not folder.exists(slug):
        st.warning(f"The workspace “{slug}” is not here any more (it may have been deleted); showing another.")
        slug = None
    try:
        if not slug:
            last = (st.context.cookies or {}).get(LAST_COOKIE)
            slug = last if last and folder.exists(last) else ensure_sample()
            st.session_state.sm_ws = slug
        return slug, folder.open(slug)
    except (WorkspaceError, SituationMapError) as err:
        st.error(str(err))
        return None


def viewer_only() -> bool:
    """Whether this session came by a view-only link (it sees that workspace alone and changes nothing)."""
    return bool(st.session_state.get("sm_viewer"))


def session_token(slug: str | None) -> str | None:
    """The token this session holds for workspace ``slug``: the one it made links with, or came by (each workspace
    its own: making links for a second workspace had taken the first one's editing right away)."""
    return st.session_state.get("sm_tokens", {}).get(slug) or st.session_state.get("sm_token")


def keep_token(slug: str, token: str) -> None:
    st.session_state.sm_tokens = {**st.session_state.get("sm_tokens", {}), slug: token}
    st.session_state.sm_token = token


def can_edit(store: WorkspaceStore) -> bool:
    """Whether this session may change ``store`` (links with a token; see ``WorkspaceStore.access``)."""
    return store.access(session_token(store.path.stem)) == "edit"


def access() -> str:
    """``edit`` or ``view`` for this session on the current workspace."""
    found = current_store()
    return "edit" if found and can_edit(found[1]) else "view"


def current_view() -> tuple[WorkspaceStore, WorkspaceView, bool] | None:
    """The workspace on screen, its frames, and whether this session may change it."""
    found = current_store()
    if found is None:
        return None
    slug, store = found
    return store, workspace_view(slug, store), can_edit(store)


def author() -> str:
    return (st.session_state.get("sm_author") or "").strip()


@dataclass(frozen=True)
class WorkspaceView:
    """What the pages draw: the workspace's frames at one revision."""

    slug: str
    name: str
    revision: str
    events_gdf: gpd.GeoDataFrame
    places: gpd.GeoDataFrame
    articles: pd.DataFrame

    @property
    def key(self) -> str:
        return f"{self.slug}@{self.revision}"


@st.cache_data(show_spinner=False, max_entries=32)
def _frames(path: str, revision: str) -> tuple[str, gpd.GeoDataFrame, gpd.GeoDataFrame, pd.DataFrame]:
    store = WorkspaceStore(path)
    return store.name, store.events(), store.places(), store.articles()


def workspace_view(slug: str, store: WorkspaceStore) -> WorkspaceView:
    revision = store.revision()
    name, events, places, articles = _frames(str(store.path), revision)
    return WorkspaceView(slug, name, revision, events, places, articles)


def stored_analysis(store: WorkspaceStore, article_id: str) -> Analysis | None:
    """The analysis of a stored article (for its highlighted text), analysed again from what was kept (cached)."""
    try:
        item = store.article_input(article_id)
        return analyze(item["content"], item["filename"], item["published"], item["article_id"], None,
                       item["title"] or "")
    except SituationMapError as err:
        st.warning(f"The article {article_id} could not be shown: {err}")
        return None


@st.cache_data(max_entries=8, show_spinner="Drawing the map…")
def base_layers(_workspace: WorkspaceView, key: str) -> tuple[BaseLayers, str]:
    """The map's data, and the URL its events and base shapes are served from (written once, not sent with every
    rerun)."""
    pipeline = get_pipeline()
    layers = prepare_base_layers(_workspace.places, _workspace.events_gdf, pipeline.gazetteer, pipeline.settings)
    name = write_event_store(layers.events, pipeline.settings.static_derived_dir, base_payload(layers))
    return layers, f"/app/static/derived/{name}"


def reset_view() -> None:
    """The workspace's whole time and extent on the next run (a new, removed or restored article): the time range's
    kept copy goes too, or the next run would put the old range back and hide a new article's events."""
    st.session_state.sm_selected = None
    for key in ("sm_range", "sm_view", "sm_shown_article", "sm_live_view", "sm_kept_sm_range"):
        st.session_state.pop(key, None)


def previous_workspace() -> tuple[str, str] | None:
    """The workspace shown before this one that still exists (slug, name), if any."""
    folder = get_folder()
    current = st.session_state.get("sm_ws")
    for slug in reversed(st.session_state.get("sm_history", [])):
        if slug != current and folder.exists(slug):
            try:
                return slug, folder.open(slug).name
            except WorkspaceError:  # deleted meanwhile
                continue
    return None


def back() -> None:
    """Back to the workspace shown before (``previous_workspace``); the history after it is dropped."""
    found = previous_workspace()
    if found is None:
        return
    history = st.session_state.get("sm_history", [])
    del history[len(history) - 1 - history[::-1].index(found[0]):]
    st.session_state.sm_ws = found[0]
    reset_view()
    shown_anew()


# --- the URL -----------------------------------------------------------------------------------------------------------

#: Widgets whose value is part of the person's session on every page. Streamlit drops a widget's value when
#: another page runs (the name set on the map was gone on the Events page, and the time range with it), so each
#: is shadowed under a plain key at the end of a run and put back when the next run is another page's.
KEPT_WIDGETS = ("sm_author", "sm_range", "sm_statements", "sm_speed", "sm_play_mode", "sm_source", "sm_paste",
                "sm_link", "sm_title", "sm_date_known", "sm_date", "sm_keep", "sm_f_types", "sm_f_sides", "sm_f_articles",
                "sm_f_states", "sm_color_by")
#: Filters of the map as URL parameters (lists, comma-separated).
URL_FILTERS = {"sm_f_types": "ft", "sm_f_sides": "fs", "sm_f_articles": "fa", "sm_f_states": "fst"}


def filtered_events(events: pd.DataFrame) -> pd.DataFrame:
    """The events the map's filters (type, side, article, checked state; in the session and the link) keep."""
    state = st.session_state
    return filter_events(events, load_sides(get_pipeline().settings.sides_path),
                         types=state.get("sm_f_types") or (), sides_shown=state.get("sm_f_sides") or (),
                         articles=state.get("sm_f_articles") or (), states=state.get("sm_f_states") or ())


def restore_widget_values(page: str) -> None:
    """Called as ``page`` starts, before it draws a widget. Within one page a widget's value is the person's latest
    input; when the page changed, it is the value they left on the last page; a value Streamlit dropped because
    this page does not draw its widget (the colour choice on the Present page) comes back too."""
    switched = st.session_state.get("sm_page") != page
    st.session_state.sm_page = page
    for key in KEPT_WIDGETS:
        if f"sm_kept_{key}" in st.session_state and (switched or key not in st.session_state):
            st.session_state[key] = st.session_state[f"sm_kept_{key}"]


def shadow_widget_values() -> None:
    for key in KEPT_WIDGETS:
        if key in st.session_state:
            st.session_state[f"sm_kept_{key}"] = st.session_state[key]


def sync_from_url(page: str) -> None:
    """Once per session: take the view from the URL (a reload, or a link someone sent). ``page``: the page
    running (its widgets get back what the person set on the page before)."""
    restore_widget_values(page)
    if st.session_state.get("sm_url_read"):
        return
    st.session_state.sm_url_read = True
    params = st.query_params
    if params.get("me"):
        st.session_state.sm_author = params["me"][:60]
    if params.get("t"):
        st.session_state.sm_token = params["t"]
        if params.get("ws"):
            keep_token(params["ws"], params["t"])
    slug = params.get("ws")
    if not slug:
        return
    if not get_folder().exists(slug):
        st.session_state.sm_link_error = (f"The link names a workspace “{slug}” that is not here (it may have been "
                                          "deleted or renamed on another server). Showing the last workspace instead.")
        return
    st.session_state.sm_ws = slug
    if params.get("t"):
        # A view-only link keeps its session to that workspace: no list of the server's others, none made.
        st.session_state.sm_viewer = get_folder().open(slug).access(params["t"]) == "view"
    if params.get("a"):
        st.session_state.sm_shown_article = params["a"]
    if params.get("ev"):
        st.session_state.sm_selected = params["ev"]
    try:
        if params.get("from") and params.get("to"):
            st.session_state.sm_range = (dt.date.fromisoformat(params["from"]), dt.date.fromisoformat(params["to"]))
        if params.get("lat") and params.get("lon") and params.get("z"):
            view = ((float(params["lat"]), float(params["lon"])), int(float(params["z"])))
            st.session_state.sm_view = view
            st.session_state.sm_live_view = view
    except ValueError:
        st.session_state.sm_link_error = "Part of the link (dates or map position) could not be read; it was left out."
    if params.get("st") == "1":
        st.session_state.sm_statements = True
    for key, name in URL_FILTERS.items():
        if params.get(name):
            st.session_state[key] = [v for v in params[name].split(",") if v]
    if params.get("col") in ("side", "type"):
        st.session_state.sm_color_by = params["col"]
    if (params.get("step") or "").isdigit():
        st.session_state.sm_step = int(params["step"]) - 1


def view_params(include_token: bool = True) -> dict[str, str]:
    """The view as URL parameters."""
    state = st.session_state
    params: dict[str, str] = {}
    if state.get("sm_ws"):
        params["ws"] = state.sm_ws
    if state.get("sm_shown_article"):
        params["a"] = state.sm_shown_article
    if state.get("sm_selected"):
        params["ev"] = state.sm_selected
    if state.get("sm_range"):
        lo, hi = state.sm_range
        params["from"], params["to"] = lo.isoformat(), hi.isoformat()
    view = state.get("sm_live_view") or state.get("sm_view")
    if view:
        (lat, lon), zoom = view
        params["lat"], params["lon"], params["z"] = f"{lat:.4f}", f"{lon:.4f}", str(int(zoom))
    if state.get("sm_statements"):
        params["st"] = "1"
    for key, name in URL_FILTERS.items():
        if state.get(key):
            params[name] = ",".join(state[key])
    if state.get("sm_color_by"):
        params["col"] = state.sm_color_by
    token = session_token(state.get("sm_ws"))
    if include_token and token:
        params["t"] = token
    return params


def write_url(extra: dict[str, str] | None = None) -> None:
    """Put the view in the address bar (no rerun), keeping the person's name (``me``) for their reloads;
    ``extra``: what only this page shows (the presentation's step)."""
    shadow_widget_values()
    wanted = {**view_params(), **(extra or {})}
    if author():
        wanted["me"] = author()
    current = {k: st.query_params[k] for k in st.query_params}
    if current != wanted:
        st.query_params.from_dict(wanted)
