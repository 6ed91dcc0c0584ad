"""Shared UI state and cached resources for the pages (thin: all work is done by geo/)."""

from __future__ import annotations

import datetime as dt
import json
import logging
from dataclasses import dataclass
from pathlib import Path

import streamlit as st

from geo.errors import SituationMapError
from geo.mapview import BaseLayers, prepare_base_layers, write_event_store
from geo.pipeline import Analysis, Pipeline, Workspace
from geo.settings import Settings

log = logging.getLogger(__name__)

DATA = Path(__file__).resolve().parent.parent / "data"


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


@st.cache_resource(show_spinner="Loading the gazetteer and the language model…")
def get_pipeline() -> Pipeline:
    return Pipeline(Settings.from_env())


@st.cache_data(show_spinner=False, max_entries=32)
def analyze(content: str | bytes, filename: str, published: dt.date | None, article_id: str,
            max_chars: int | None = None, title: str = "") -> Analysis:
    pipeline = get_pipeline()
    if max_chars is not None:  # the user chose to map the first part of a too-large article
        content = content[:max_chars] if isinstance(content, str) else content.decode("utf-8", "replace")[:max_chars]
    article = pipeline.load(content, published=published, filename=filename, article_id=article_id, title=title,
                            max_chars=max_chars)
    return pipeline.analyze(article)


@st.cache_data(max_entries=8, show_spinner="Drawing the map…")
def base_layers(_workspace: Workspace, key: str) -> tuple[BaseLayers, str]:
    """The map's data, and the URL its events are served from (written once, not sent with every rerun)."""
    pipeline = get_pipeline()
    layers = prepare_base_layers(_workspace.places, _workspace.events_gdf, pipeline.gazetteer, pipeline.settings)
    name = write_event_store(layers.events, pipeline.settings.static_derived_dir)
    return layers, f"/app/static/derived/{name}"


def sample_input() -> ArticleInput:
    meta = json.loads((DATA / "sample_article.json").read_text(encoding="utf-8"))
    text = (DATA / meta["file"]).read_text(encoding="utf-8")
    return ArticleInput(text, meta["file"], dt.date.fromisoformat(meta["published"]), meta["article_id"],
                        f"Sample article ({meta['outlet']}), published {meta['published']}.", title=meta["title"])


def current_input() -> ArticleInput:
    if "sm_article" not in st.session_state:
        st.session_state.sm_article = sample_input()
        st.session_state.sm_history = []
    return st.session_state.sm_article


def current_analysis() -> Analysis | None:
    """The analysis of the current article (cached); None with an error shown if it cannot be made."""
    article = current_input()
    try:
        return analyze(article.content, article.filename, article.published, article.article_id, article.max_chars,
                       article.title)
    except SituationMapError as err:
        st.error(str(err))
        return None


def workspace_inputs() -> list[ArticleInput]:
    """The articles kept in the workspace besides the current one (oldest first)."""
    return list(st.session_state.get("sm_workspace", []))


def current_workspace(analysis: Analysis) -> Workspace:
    """The current article with the workspace's others: their events merged, their places pooled."""
    others = []
    for item in workspace_inputs():
        try:
            others.append(analyze(item.content, item.filename, item.published, item.article_id, item.max_chars,
                                  item.title))
        except SituationMapError as err:  # it was mapped before; say so rather than fail the page
            st.warning(f"An article of the workspace could not be mapped again: {err}")
    return Workspace((*others, analysis))


def _reset_view() -> None:
    st.session_state.sm_selected = None
    st.session_state.pop("sm_range", None)
    st.session_state.pop("sm_view", None)
    st.session_state.pop("sm_shown_article", None)


def set_article(new: ArticleInput, keep: bool = False) -> None:
    """Make ``new`` the current article; with ``keep`` the current one stays in the workspace beside it.
    What was shown before goes on the undo history."""
    before = _remember()
    kept = [a for a in before[1] if a.article_id != new.article_id]
    if keep and before[0].article_id != new.article_id:
        kept.append(before[0])
    st.session_state.sm_workspace = kept if keep else []
    st.session_state.sm_article = new
    _reset_view()


def _remember() -> tuple[ArticleInput, list[ArticleInput]]:
    """Put what is shown now (the article and the workspace's others) on the undo history, and return it."""
    before = (current_input(), workspace_inputs())
    st.session_state.sm_history = [*st.session_state.get("sm_history", []), before][-10:]
    return before


def clear_workspace() -> None:
    _remember()
    st.session_state.sm_workspace = []
    _reset_view()


def undo() -> None:
    history = st.session_state.get("sm_history", [])
    if history:
        st.session_state.sm_article, st.session_state.sm_workspace = history.pop()
        _reset_view()
