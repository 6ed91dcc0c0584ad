"""The sidebar shared by every page: the workspace (open, new, rename, delete, download, its articles), adding an
article (paste, upload, a link, or the sample), who you are, undo/redo of your edits, and sharing by link."""

from __future__ import annotations

import datetime as dt
import hashlib
import html
import json
import logging
import re
import time

import pandas as pd
import streamlit as st

from geo.errors import ArticleTooLargeError, SituationMapError
from geo.ingest import article_id_for, decode_bytes, has_markup, propose_publication_date, stated_publication_date
from geo.pipeline import Analysis
from geo.settings import Settings
from geo.workspace import WorkspaceError, WorkspaceStore, content_hash, file_stem
from pages.common import (
    LAST_COOKIE,
    SAMPLE_SLUG,
    ArticleInput,
    access,
    add_to_store,
    analyze,
    author,
    back,
    can_edit,
    count,
    current_store,
    get_folder,
    get_pipeline,
    keep_token,
    markdown_text,
    open_workspace,
    previous_workspace,
    reset_view,
    sample_input,
    shadow_widget_values,
    shown_anew,
    sync_from_url,
    viewer_only,
)

log = logging.getLogger(__name__)


def _latest_date(content: str | bytes) -> dt.date | None:
    """The latest full date the text names (None: none)."""
    return propose_publication_date(content if isinstance(content, str) else decode_bytes(content).text)


def _propose_date(content: str | bytes) -> tuple[dt.date | None, str]:
    proposed = _latest_date(content)
    if proposed:
        return proposed, f"No date was set: {proposed.isoformat()} is proposed from the text (the latest full date it names). Change it in the sidebar if wrong."
    return None, ""


def _older_than_today(content: str | bytes) -> str:
    """A warning when the publication date was left at today while the text names only dates weeks before: its
    "on Monday" and "yesterday" would be counted from today."""
    try:
        latest = _latest_date(content)
    except SituationMapError:
        return ""
    if latest is None or (dt.date.today() - latest).days <= 7:
        return ""
    return (f"The publication date was left at today, but the latest full date the text names is "
            f"{latest:%d %B %Y}: its “on Monday” or “yesterday” are counted from today. If the article is older, "
            "untick “I know the publication date” (it is then taken from the text) or set it, and map it again.")


#: Days the text counts from its publication date ("on Monday", "yesterday", "last week").
_RELATIVE_DAYS = re.compile(r"\b(?:Monday|Tuesday|Wednesday|Thursday|Friday|Saturday|Sunday|yesterday|tonight|"
                            r"last (?:week|night|month)|this (?:morning|week))\b")


def _publication_date(content: str | bytes, filename: str, chosen: dt.date | None) -> tuple[dt.date | None, str]:
    """The date to count the article's "on Monday" from, and a note saying where it came from. A date left at
    today (the form's default) gives way to the one the article states of itself (its page's metadata, its
    byline); without either, the date chosen, else the latest full date the text names."""
    today = dt.date.today()
    if chosen is not None and chosen != today:
        return chosen, ""
    try:
        stated = stated_publication_date(content, filename, today)
    except SituationMapError:
        stated = None
    if stated is not None and stated[0] != today:
        day, where = stated
        left = " (the date in the sidebar still read today)" if chosen is not None else ""
        return day, (f"Published {day:%d %B %Y}, as {where} says{left}: its “on Monday” and “yesterday” are "
                     "counted from that day. If it is wrong, set the date in the sidebar and map it again.")
    if chosen is not None:
        older = _older_than_today(content)
        if older or not _RELATIVE_DAYS.search(content if isinstance(content, str) else decode_bytes(content).text):
            return chosen, older
        # (walkthrough: an undated article's "on Monday" was put in this week without a word)
        return chosen, (f"Dated today, {chosen:%d %B %Y} (the date in the sidebar): its “on Monday” and "
                        "“yesterday” are counted from today. If the article is older, set its date and map it again.")
    try:
        return _propose_date(content)
    except SituationMapError:
        return None, ""


def _fetch(url: str) -> tuple[bytes, str, str] | None:
    from geo.fetch import fetch_page

    try:
        with st.spinner("Fetching the page…"):
            page = fetch_page(url.strip(), Settings.from_env())
    except SituationMapError as err:
        st.session_state.sm_error = str(err)
        return None
    return page.content, page.filename, page.final_url


def _submit(source: str, pasted: str, upload: object, link: str, date_known: bool, published: dt.date,
            keep: bool = False, title: str = "") -> None:
    if source == "Sample article":
        candidate = sample_input()
    else:
        origin = ""
        if source == "Paste text":
            content: str | bytes = pasted
            # (walkthrough: tags in a pasted fragment were shown as text)
            filename = "pasted.html" if has_markup(pasted) else "pasted.txt"
        elif source == "From a link":
            if not link.strip():
                st.session_state.sm_error = "Paste the link of a web page first (http:// or https://)."
                return
            fetched = _fetch(link)
            if fetched is None:
                return
            content, filename, origin = fetched
        else:
            if upload is None:
                st.session_state.sm_error = "Choose a file to upload first (.txt, .md or .html)."
                return
            content = upload.getvalue()  # type: ignore[attr-defined]
            filename = upload.name  # type: ignore[attr-defined]
        date, note = _publication_date(content, filename, published if date_known else None)
        raw = content.encode("utf-8", "replace") if isinstance(content, str) else content
        candidate = ArticleInput(content, filename, date, article_id_for(raw.decode("utf-8", "replace")), note,
                                 title=" ".join(title.split()), source=origin)
    _try(candidate, keep)


def _try(candidate: ArticleInput, keep: bool = False) -> None:
    """Analyse; the article goes into the workspace (or a new one) only when it worked (nothing else changes
    otherwise)."""
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
            found = current_store()
            title = candidate.title or analysis.article.title or candidate.filename
            same = None if keep else _same_mapping(short_name(title), analysis)
            if same is not None:  # (walkthrough: mapping an article again made "… (2)", "… (3)" of one map)
                slug = same
                st.session_state.sm_notice = "This article was mapped already, with the same date: its workspace is open."
            elif keep and found and access() == "edit":
                slug, store = found
                if _holds(store.articles(), analysis):
                    st.session_state.sm_notice = "This article is in this workspace already, with the same date."
                else:
                    add_to_store(store, candidate, analysis)
                    st.session_state.sm_notice = f"Added to “{short_name(store.name)}”."
            else:
                slug, store = get_folder().create(short_name(title))
                add_to_store(store, candidate, analysis)
                st.session_state.sm_notice = f"Mapped into a new workspace, “{short_name(store.name)}”."
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
            log.exception("analysis failed")
            status.update(label="Something went wrong", state="error")
            st.session_state.sm_error = (f"Something went wrong while mapping this article ({type(err).__name__}: "
                                         f"{err}). Your text is kept; the previous map is still shown.")
            return
        status.update(label=f"Mapped {count(len(analysis.events), 'event')} and "
                            f"{count(len(analysis.places), 'place')} "
                            f"in {time.perf_counter() - started:.1f} s", state="complete")
    st.session_state.sm_error = None
    # (with the article it is about: another workspace's article must not show it)
    st.session_state.sm_date_note = (analysis.article.article_id, candidate.date_note) if candidate.date_note else None
    if slug != st.session_state.get("sm_ws"):
        open_workspace(slug)
    else:
        reset_view()
        shown_anew()  # (a phone's sidebar closes; the page goes to the map)
    st.session_state.sm_shown_article = analysis.article.article_id


def _mapping_key(analysis: Analysis) -> tuple[str, str, str | None]:
    return (analysis.article.article_id, content_hash(analysis.article.text),
            analysis.article.published.isoformat() if analysis.article.published else None)


def _holds(articles: pd.DataFrame, analysis: Analysis) -> bool:
    """Whether a workspace's ``articles`` hold this one already, with the same text and date."""
    return any((row.article_id, row.content_hash, str(row.published)[:10] if row.published else None)
               == _mapping_key(analysis) for row in articles.itertuples())


def _same_mapping(name: str, analysis: Analysis) -> str | None:
    """The workspace named ``name`` (or "name (2)"…) that holds this article alone, with the same text and date
    (mapping it again would give the same map), if there is one this session may change."""
    folder = get_folder()
    for slug, shown in folder.list():
        if shown != name and not (shown.startswith(f"{name} (") and shown.endswith(")")):
            continue
        store = folder.open(slug)
        if not can_edit(store):  # (a workspace shared with links: another person's, view only for this one)
            continue
        articles = store.articles()
        if len(articles) == 1 and _holds(articles, analysis):
            return slug
    return None


def short_name(title: str, limit: int = 60) -> str:
    """A workspace name from an article's title: whole words, at most ``limit`` characters."""
    title = " ".join(title.split())
    if len(title) <= limit:
        return title
    return title[:limit].rsplit(" ", 1)[0].rstrip(",;:-—") + "…"


def copy_button(label: str, token: str | None = None, show: bool = False) -> None:
    """A button copying the link of the view on screen (the address bar's, which ``write_url`` keeps current,
    without the person's name) to the clipboard; ``token`` sets the link's access ("" or None: none). ``show``: the
    link is also written out, to select and keep (else only if the browser refuses the clipboard)."""
    token_js = json.dumps(token).replace("<", "\\u003c")
    st.iframe(f"""
      <div style="font:14px system-ui,sans-serif">
      <button id="b" style="font:inherit;padding:6px 12px;border:1px solid #ccc;border-radius:8px;background:#fff;
        cursor:pointer;width:100%">{html.escape(label)}</button>
      <input id="u" readonly aria-label="{html.escape(label)} (the link)"
        style="display:{'block' if show else 'none'};width:100%;box-sizing:border-box;margin-top:4px;font:12px monospace">
      </div>
      <script>
        const b = document.getElementById("b"), u = document.getElementById("u"), token = {token_js};
        function link() {{
          const link = new URL(window.parent.location.href);
          link.searchParams.delete("me");
          if (token) {{ link.searchParams.set("t", token); }} else {{ link.searchParams.delete("t"); }}
          return link.href;
        }}
        u.value = link();
        u.addEventListener("focus", () => {{ u.value = link(); u.select(); }});
        b.addEventListener("click", async () => {{
          u.value = link();
          try {{ await navigator.clipboard.writeText(u.value); b.textContent = "Copied ✓"; }}
          catch (e) {{ u.style.display = "block"; u.select(); b.textContent = "Copy the link below"; }}
          setTimeout(() => b.textContent = {json.dumps(label)}, 4000);
        }});
      </script>""", height=112 if show else 80)


def _workspace_section(slug: str, store: WorkspaceStore, editable: bool) -> None:
    folder = get_folder()
    listed = [(slug, store.name)] if viewer_only() else folder.list()  # (a view-only link: its workspace alone)
    slugs = [s for s, _ in listed]
    names = dict(listed)
    if slug not in names:
        slugs.append(slug)
        names[slug] = store.name
    # (keyed on the names too: after a rename the box kept showing the old name, the widget being the same)
    shown = hashlib.sha1("\n".join(names[s] for s in slugs).encode()).hexdigest()[:8]
    choice = st.selectbox("Workspace", slugs, index=slugs.index(slug), format_func=names.__getitem__,
                          key=f"sm_ws_choice_{slug}_{shown}")
    if choice != slug:
        open_workspace(choice)
        st.rerun()
    articles = store.articles()
    events = int(articles["n_events"].sum()) if len(articles) else 0
    st.caption(f"{count(len(articles), 'article')} · {count(events, 'event')} found · saved in "
               f"`{store.path.name}`" + ("" if editable else " · **view only**"))
    removed = store.removed_articles()
    just = next((r for r in removed if r["article_id"] == st.session_state.get("sm_just_removed")), None)
    if just and st.button(f"↶ Restore “{short_name(just['title'] or just['filename'], 40)}”", width="stretch",
                          key="sm_restore_now", disabled=not editable, help="Bring back the article just removed"):
        _restore(store, just["article_id"])
    with st.expander(f"Articles ({len(articles)})"):
        # (each title over a button of its own width: beside it, in a column of the narrow sidebar, the button's
        # label was cut to "R…")
        for row in articles.itertuples():
            st.markdown(f"**{markdown_text(row.title or row.filename)}**  \n"
                        f"{row.published or 'undated'} · {count(int(row.n_events), 'event')}")
            if st.button("Remove", key=f"sm_rm_{row.article_id}", disabled=not editable or len(articles) < 2,
                         help="Remove this article and its events from the workspace (Restore brings them back)"):
                store.remove_article(str(row.article_id), author=author())
                st.session_state.sm_notice = f"“{short_name(row.title or row.filename)}” removed with its events."
                st.session_state.sm_just_removed = str(row.article_id)
                reset_view()
                st.rerun()
        for gone in removed[:5]:  # the last ones removed, by anyone: brought back with their edits
            st.markdown(f"~~{markdown_text(short_name(gone['title'] or gone['filename']))}~~  \n"
                        f"removed{' by ' + markdown_text(gone['removed_by']) if gone['removed_by'] else ''}")
            if st.button("Restore", key=f"sm_restore_{gone['article_id']}", disabled=not editable,
                         help="Bring this article and its events back"):
                _restore(store, gone["article_id"])
        if st.button("Analyse all again with the current pipeline", disabled=not editable, width="stretch",
                     help="Your edits are kept: they win over the machine."):
            _reanalyse(store)
            st.rerun()
    if viewer_only():
        st.download_button("Download (GeoPackage, opens in QGIS)", store.to_bytes, f"{file_stem(store.name)}.gpkg",
                           "application/geopackage+sqlite3", width="stretch", key="sm_download_ws")
        return
    with st.expander("Manage workspaces"):
        st.text_input("New workspace", key="sm_new_name", placeholder="Name, e.g. Kharkiv, May 2022")
        st.button("Create", width="stretch", on_click=_create_workspace)
        renamed = st.text_input("Rename this workspace", value=store.name, key=f"sm_rename_{slug}",
                                disabled=not editable)
        if renamed.strip() and renamed.strip() != store.name and editable:
            store.rename(renamed)
            st.rerun()
        st.download_button("Download (GeoPackage, opens in QGIS)", store.to_bytes, f"{file_stem(store.name)}.gpkg",
                           "application/geopackage+sqlite3", width="stretch", key="sm_download_ws")
        sure = st.checkbox("I want to delete this workspace", key=f"sm_sure_{slug}", disabled=not editable)
        if st.button("Delete this workspace", disabled=not (sure and editable), width="stretch"):
            name = store.name
            folder.delete(slug, author=author())
            st.session_state.sm_notice = f"“{name}” was deleted: “Deleted workspaces” below brings it back."
            st.session_state.sm_ws = None
            reset_view()
            st.rerun()
        gone = folder.deleted()
        if gone:
            names = {file: name for file, name, _, _ in gone}
            labels = {file: f"{name} (deleted {when} UTC{f' by {who}' if who else ''})"
                      for file, name, when, who in gone}
            pick = st.selectbox("Deleted workspaces", list(labels), format_func=labels.__getitem__,
                                key="sm_deleted_pick")
            if st.button("Bring it back", width="stretch", key="sm_undelete",
                         help="It comes back with its articles, edits and links"):
                try:
                    back = folder.restore(pick)
                    open_workspace(back)
                    st.session_state.sm_notice = f"“{names[pick]}” is back."
                except WorkspaceError as err:
                    st.session_state.sm_error = str(err)
                st.rerun()


def _create_workspace() -> None:
    """The Create button's callback: a new workspace, opened, and the name box emptied (a second click had made
    "… (2)" while the notice named the first)."""
    name = (st.session_state.get("sm_new_name") or "").strip()
    if not name:
        st.session_state.sm_error = "Give the new workspace a name first."
        return
    made, store = get_folder().create(name)
    open_workspace(made)
    st.session_state.sm_new_name = ""
    st.session_state.sm_notice = f"Workspace “{store.name}” created."


def _restore(store: WorkspaceStore, article_id: str) -> None:
    title = store.restore_article(article_id)
    st.session_state.sm_notice = f"“{short_name(title)}” is back with its events."
    st.session_state.sm_just_removed = None
    reset_view()
    st.rerun()


def _reanalyse(store: WorkspaceStore) -> None:
    with st.status("Analysing the articles again…") as status:
        for row in store.articles().itertuples():
            item = store.article_input(str(row.article_id))
            pipeline = get_pipeline()
            article = pipeline.load(item["content"], published=item["published"], filename=item["filename"],
                                    article_id=item["article_id"], title=item["title"] or "")
            store.put_analysis(pipeline.analyze(article), item["content"], item["filename"], item["source"] or "")
        status.update(label="Analysed again; your edits are kept", state="complete")


def _share_section(store: WorkspaceStore, editable: bool) -> None:
    with st.expander("Share"):
        # The link to this view gives view access at most: editing rights go only by the editing link.
        protected = store.access(None) == "view"
        copy_button("Copy link to this view", store.token("view") if protected else "")
        st.caption("The link opens this workspace, article, time range, selected event and map position.")
        if editable:
            if st.button("Make a view-only link and an editing link", width="stretch",
                         help="Once a workspace has links, opening it without the editing link is view-only."):
                view, edit = store.token("view", author()), store.token("edit", author())
                keep_token(store.path.stem, edit)
                st.session_state.sm_links = {**st.session_state.get("sm_links", {}), store.path.stem: (view, edit)}
            links = st.session_state.get("sm_links", {}).get(store.path.stem)
            if links:
                st.markdown("**View only** (students, readers):")
                copy_button("Copy view-only link", links[0], show=True)
                st.markdown("**Can edit** (your team):")
                copy_button("Copy editing link", links[1], show=True)
                st.caption("Keep the editing link: from now on, opening this workspace without it is view-only "
                           "(this browser keeps editing until it is closed).")


def _edits_section(store: WorkspaceStore, editable: bool) -> None:
    st.text_input("Your name (saved with your edits)", key="sm_author", max_chars=60,
                  placeholder="e.g. Ann", disabled=not editable)
    me = author()
    if not editable:
        return
    cols = st.columns(2)
    undo = cols[0].button("↶ Undo", disabled=not (me and store.can_undo(me)), width="stretch",
                          help="Undo your last edit (kept across reloads)")
    redo = cols[1].button("↷ Redo", disabled=not (me and store.can_redo(me)), width="stretch")
    if undo or redo:
        try:
            done = store.undo(me) if undo else store.redo(me)
            st.session_state.sm_notice = f"{'Undone' if undo else 'Redone'}: {done}."
        except WorkspaceError as err:
            st.session_state.sm_error = str(err)
        st.rerun()


#: On a phone the sidebar covers the page; Streamlit closes it after a choice in its own page list, not after
#: our page links (which the automatic list is hidden for), nor after an article is mapped. This closes it after
#: one of our links, and when ``data["close"]`` (a count of the articles mapped in this session) has grown, when it
#: covers the page: the new map is what the person wants to see.
SIDEBAR_CLOSER = st.components.v2.component(
    "sm_sidebar_closer",
    html="<span hidden></span>",
    js="""
    function closeIfCovering() {
      const bar = document.querySelector('[data-testid="stSidebar"]');
      if (!bar || bar.getBoundingClientRect().width < window.innerWidth * 0.6) { return; }  // beside the page
      const close = document.querySelector('[data-testid="stSidebarCollapseButton"] button');
      const content = bar.querySelector('[data-testid="stSidebarContent"]');
      if (content) { content.scrollTop = 0; }  // (opened again, it shows its page links first)
      if (close) { close.click(); }
    }
    export default function (component) {
      if (window.smSidebarCloser) { document.removeEventListener("click", window.smSidebarCloser, true); }
      window.smSidebarCloser = (ev) => {
        const link = ev.target instanceof Element ? ev.target.closest('[data-testid="stSidebar"] a') : null;
        if (!link || !link.closest('[data-testid="stPageLink"], [data-testid="stPageLink-NavLink"]')) { return; }
        setTimeout(closeIfCovering, 50);
      };
      document.addEventListener("click", window.smSidebarCloser, true);
      const mapped = (component.data && component.data.close) || 0;
      if (mapped > (window.smSidebarMapped || 0)) {
        window.smSidebarMapped = mapped;
        setTimeout(closeIfCovering, 300);  // (after the rerun has drawn the page)
      }
    }
    """,
)


def sidebar(page: str) -> None:
    """The sidebar of every page but the presentation; ``page``: which page is running."""
    # (again here: a server's first visitor opening a page other than the map by its address got the narrow
    # centred layout, the events table squeezed between empty margins; walkthrough)
    st.set_page_config(layout="wide")
    sync_from_url(page)
    found = current_store()
    with st.sidebar:
        SIDEBAR_CLOSER(key="sm_sidebar_closer", data={"close": st.session_state.get("sm_mapped_count", 0)})
        # (walkthrough: nothing on the page said what the app is; its name was in the browser's tab only)
        st.markdown("**Situation Map**  \nNews articles as events on a map and a timeline, each traced to its "
                    "sentence.")
        st.page_link("pages/map.py", label="Map")
        st.page_link("pages/data.py", label="Events & places")
        st.page_link("pages/present.py", label="Present (step through, for a class)")
        st.page_link("pages/about.py", label="About & sources")
        st.divider()
        if st.session_state.get("sm_link_error"):
            st.warning(st.session_state.pop("sm_link_error"))
        if st.session_state.get("sm_notice"):  # a toast: seen wherever the person is on the page, on a phone too
            st.toast(st.session_state.pop("sm_notice"), icon="✅")
        editable = False
        if found:
            slug, store = found
            editable = can_edit(store)
            _workspace_section(slug, store, editable)
        if viewer_only():
            st.caption("You opened a view-only link: you can look, play the timeline, present and download this "
                       "workspace. To map articles of your own, open the app without the link.")
        else:
            _add_article(editable, found)
        shadow_widget_values()  # what was typed here is there on the next page too
        if found:
            st.divider()
            _edits_section(found[1], editable)
            _share_section(found[1], editable)
        st.caption("Offline: places come from GeoNames and Natural Earth on this machine; nothing is sent out.")
        _remember_in_browser()


def _add_article(editable: bool, found: tuple[str, WorkspaceStore] | None) -> None:
    """The sidebar's form to map an article (a new workspace, or added to this one)."""
    st.header("Add an article")
    slug, name = (found[0], found[1].name) if found else ("", "")
    # Where it goes is said, with a default per workspace: into the one open (walkthrough: a checkbox left unticked
    # made a new workspace where one's own was expected), but not into the sample or one this person cannot edit.
    if st.session_state.get("sm_keep_for") != slug or not editable:
        st.session_state.sm_keep = bool(editable and slug and slug != SAMPLE_SLUG)
        st.session_state.sm_keep_for = slug
    source = st.radio("Source", ["Sample article", "Paste text", "Upload a file", "From a link"],
                      key="sm_source", horizontal=True)
    with st.form("article_form", border=False):
        pasted, upload, link, title = "", None, "", ""
        if source == "Paste text":
            pasted = st.text_area("Article text (or HTML)", key="sm_paste", height=160,
                                  placeholder="Paste a news article here…")
        elif source == "Upload a file":
            upload = st.file_uploader("File (.txt, .md, .html; up to 10 MB)",
                                      type=["txt", "md", "markdown", "html", "htm"], key="sm_upload")
        if source in {"Paste text", "Upload a file"}:
            title = st.text_input("Title (optional)", key="sm_title", max_chars=200,
                                  placeholder="Else the page's title or the first sentence",
                                  help="Names the article in the workspace, its sources and exports, and a "
                                       "new workspace made for it.")
        elif source == "From a link":
            link = st.text_input("Link to a news page (when this server is online)", key="sm_link",
                                 placeholder="https://…")
        date_known = st.checkbox("I know the publication date", value=True, key="sm_date_known")
        published = st.date_input("Publication date", value=dt.date.today(), key="sm_date",
                                  min_value=dt.date(1900, 1, 1), max_value=dt.date(2100, 12, 31))
        keep = st.radio("Map it into", [False, True], key="sm_keep", disabled=not editable,
                        format_func=lambda this: f"This workspace, “{short_name(name, 32)}”" if this
                        else "A new workspace",
                        help="In this workspace, its articles stay on the map with the new one, and an event told "
                             "in two of them becomes one event with two sources.")
        submitted = st.form_submit_button("Map this article", type="primary", width="stretch")
    if submitted:
        _submit(source, pasted, upload, link, date_known, published, keep, title)
        if not st.session_state.get("sm_error"):
            st.rerun()
    if st.session_state.get("sm_error"):
        st.error(st.session_state.sm_error)
    too_large = st.session_state.get("sm_too_large")
    if too_large:
        candidate, limit = too_large
        if st.button(f"Map the first {limit:,} characters", width="stretch"):
            _try(ArticleInput(candidate.content, candidate.filename, candidate.published,
                              candidate.article_id + "-head", candidate.date_note, max_chars=limit))
            st.rerun()
    previous = previous_workspace()
    if previous:
        if st.button(f"↶ Back to “{short_name(previous[1], 40)}”", width="stretch",
                     help="The workspace you had open before this one"):
            back()
            st.rerun()


def _remember_in_browser() -> None:
    """This browser opens the workspace it had open last (a cookie of the app's own origin, a year)."""
    slug = st.session_state.get("sm_ws")
    if not slug:
        return
    value = json.dumps(f"{LAST_COOKIE}={slug}; path=/; max-age=31536000; samesite=lax").replace("<", "\\u003c")
    st.iframe(f"<script>document.cookie = {value};</script>", height=1)
