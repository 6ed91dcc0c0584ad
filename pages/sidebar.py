"""The article input in the sidebar, shared by every page: paste, upload or the sample; date; undo."""

from __future__ import annotations

import datetime as dt
import logging
import time

import streamlit as st

from geo.errors import ArticleTooLargeError, SituationMapError
from geo.ingest import article_id_for, decode_bytes, propose_publication_date
from pages.common import (
    ArticleInput,
    analyze,
    clear_workspace,
    current_input,
    sample_input,
    set_article,
    undo,
    workspace_inputs,
)


def _propose_date(content: str | bytes) -> tuple[dt.date | None, str]:
    text = content if isinstance(content, str) else decode_bytes(content).text
    proposed = propose_publication_date(text)
    if proposed:
        return proposed, f"No date was set: {proposed.isoformat()} is proposed from the text (the latest full date it names). Change it in the sidebar if wrong."
    return None, ""


def _submit(source: str, pasted: str, upload: object, date_known: bool, published: dt.date, keep: bool = False
            ) -> None:
    if source == "Sample article":
        candidate = sample_input()
    else:
        if source == "Paste text":
            content: str | bytes = pasted
            filename = "pasted.html" if pasted.lstrip().startswith("<") else "pasted.txt"
        else:
            if upload is None:
                st.session_state.sm_error = "Choose a file to upload first (.txt, .md or .html)."
                return
            content = upload.getvalue()  # type: ignore[attr-defined]
            filename = upload.name  # type: ignore[attr-defined]
        note = ""
        date: dt.date | None = published if date_known else None
        if date is None:
            try:
                date, note = _propose_date(content)
            except SituationMapError:
                date, note = None, ""
        raw = content.encode("utf-8", "replace") if isinstance(content, str) else content
        candidate = ArticleInput(content, filename, date, article_id_for(raw.decode("utf-8", "replace")), note)
    _try(candidate, keep)


def _try(candidate: ArticleInput, keep: bool = False) -> None:
    """Analyse; only replace the current article when it worked (the previous map stays otherwise)."""
    st.session_state.pop("sm_too_large", None)
    size = len(candidate.content)
    # Long texts take about a minute per million characters on one core (make bench: longest_article).
    label = (f"Mapping a long article ({size:,} characters, about {max(5, round(size / 16_000))} s)…"
             if size > 100_000 else "Mapping the article…")
    with st.status(label, expanded=False) as status:
        started = time.perf_counter()
        try:
            analysis = analyze(candidate.content, candidate.filename, candidate.published, candidate.article_id,
                               candidate.max_chars, candidate.title)
        except ArticleTooLargeError as err:
            status.update(label="The article is too large", state="error")
            st.session_state.sm_error = str(err)
            st.session_state.sm_too_large = (candidate, err.limit)
            return
        except SituationMapError as err:
            status.update(label="The article could not be mapped", state="error")
            st.session_state.sm_error = str(err)
            return
        except Exception as err:  # noqa: BLE001 - the user must get a message, not a traceback
            logging.getLogger(__name__).exception("analysis failed")
            status.update(label="Something went wrong", state="error")
            st.session_state.sm_error = (f"Something went wrong while mapping this article ({type(err).__name__}: "
                                         f"{err}). Your text is kept; the previous map is still shown.")
            return
        status.update(label=f"Mapped {len(analysis.events)} events and {len(analysis.places)} places "
                            f"in {time.perf_counter() - started:.1f} s", state="complete")
    st.session_state.sm_error = None
    set_article(candidate, keep=keep)


def sidebar() -> None:
    current = current_input()
    with st.sidebar:
        st.page_link("pages/map.py", label="Map")
        st.page_link("pages/data.py", label="Events & places")
        st.page_link("pages/about.py", label="About & sources")
        st.divider()
        st.header("Article")
        with st.form("article_form", border=False):
            source = st.radio("Source", ["Sample article", "Paste text", "Upload a file"], key="sm_source",
                              horizontal=True)
            pasted = st.text_area("Article text (or HTML)", key="sm_paste", height=180,
                                  placeholder="Paste a news article here…")
            upload = st.file_uploader("File (.txt, .md, .html; up to 10 MB)", type=["txt", "md", "markdown", "html", "htm"],
                                      key="sm_upload")
            date_known = st.checkbox("I know the publication date", value=True, key="sm_date_known")
            published = st.date_input("Publication date", value=current.published or dt.date.today(),
                                      key="sm_date", min_value=dt.date(1900, 1, 1), max_value=dt.date(2100, 12, 31))
            keep = st.checkbox("Add to the workspace (keep the articles already on the map)", key="sm_keep",
                               help="Map several articles together: an event told in two of them becomes one "
                                    "event with two sources.")
            submitted = st.form_submit_button("Map this article", type="primary", width="stretch")
        if submitted:
            _submit(source, pasted, upload, date_known, published, keep)
        if st.session_state.get("sm_error"):
            st.error(st.session_state.sm_error)
        too_large = st.session_state.get("sm_too_large")
        if too_large:
            candidate, limit = too_large
            if st.button(f"Map the first {limit:,} characters", width="stretch"):
                _try(ArticleInput(candidate.content, candidate.filename, candidate.published,
                                  candidate.article_id + "-head", candidate.date_note, max_chars=limit))
                st.rerun()
        kept = workspace_inputs()
        if kept:
            st.caption(f"Workspace: this article and {len(kept)} more ("
                       + ", ".join(a.title or a.filename for a in kept) + ").")
            if st.button("Clear the workspace (keep only this article)", width="stretch"):
                clear_workspace()
                st.rerun()
        if st.session_state.get("sm_history"):
            if st.button("↶ Back to the previous article", width="stretch"):
                undo()
                st.rerun()
        st.caption("Offline: places come from GeoNames and Natural Earth on this machine; nothing is sent out.")

