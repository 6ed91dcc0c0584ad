"""Present: the workspace's events one by one in time order, for a class or a talk — a full-width map flying to
each event, the date, what, where and the sentence as a large caption, Previous/Next (and the arrow keys), and
how far the story is ("3 / 9"). Stepping happens in the browser (no round trip to the server per step); the step
is kept in the page's address, so a reload or a shared link comes back to it."""

from __future__ import annotations

import html

import streamlit as st

from geo.mapview import present_map, story_steps
from pages.common import (
    URL_FILTERS,
    base_layers,
    current_view,
    filtered_events,
    get_pipeline,
    sync_from_url,
    write_url,
)

CSS = """<style>
  section[data-testid="stSidebar"], [data-testid="stSidebarCollapsedControl"], [data-testid="stExpandSidebarButton"]
    { display: none !important; }
  [data-testid="stMainBlockContainer"], .block-container { padding: .6rem 1rem !important; max-width: 100% !important; }
  header[data-testid="stHeader"] { display: none; }
  .st-key-sm_present_map iframe { height: calc(100vh - 70px) !important; min-height: 420px; }
  /* one line above the map (the map takes the rest of the window): what does not fit ends in "…" */
  .sm-present-title { font: 600 20px/1.3 system-ui, sans-serif; white-space: nowrap; overflow: hidden;
    text-overflow: ellipsis; }
  .sm-present-hint, .sm-present-filter { font-weight: 400; color: #666; font-size: 15px; }
  @media (max-width: 1300px) { .sm-present-hint { display: none; } }  /* (the whole of it shows on hover) */
  @media (max-width: 640px) {  /* a phone: the title and the way out take two lines */
    .sm-present-title { font-size: 17px; white-space: normal; }
    .st-key-sm_present_map iframe { height: calc(100vh - 120px) !important; min-height: 360px; }
  }
</style>"""


def main() -> None:
    sync_from_url("present")
    st.html(CSS)
    found = current_view()
    if found is None:
        return
    _, view, _ = found
    # The story of what the map showed: its filters (type, side, article, state) hold here too.
    events = filtered_events(view.events_gdf)
    steps = story_steps(events)
    filtered = sum(bool(st.session_state.get(k)) for k in URL_FILTERS)
    top = st.columns([6, 2], vertical_alignment="center")
    # (the arrow keys are told under the step count, beside the buttons they stand for)
    hint = "· without internet: Events & places → “Story (HTML, offline)”"
    # One line (the map takes the rest of the window); the whole of it shows on hover.
    top[0].html(f"<div class='sm-present-title' title='{html.escape(hint)}'>{html.escape(view.name)} — presentation "
                + (f"<span class='sm-present-filter'>· filtered as on the map: {len(events)} of "
                   f"{len(view.events_gdf)} events </span>" if filtered else "")
                + f"<span class='sm-present-hint'>{html.escape(hint)}</span></div>")
    top[1].page_link("pages/map.py", label="✕ Leave the presentation")
    if not steps:
        st.info("No events that happened to step through" + (" with the map's filters" if filtered else "") +
                " (statements are not stepped through).")
        return
    at = min(max(int(st.session_state.get("sm_step") or 0), 0), len(steps) - 1)
    layers, events_url = base_layers(view, view.key)
    titles = dict(zip(view.articles["article_id"], view.articles["title"].fillna(""), strict=True))
    m = present_map(layers, events, get_pipeline().settings, start=at,
                    color_by=st.session_state.get("sm_color_by") or "side", events_url=events_url, titles=titles)
    with st.container(key="sm_present_map"):
        st.iframe(m.get_root().render(), height=620)
    # The page's own address: the step as it was when the page was drawn (the map writes each later step there).
    write_url({"step": str(at + 1), "ev": steps[at]["id"]})


main()
