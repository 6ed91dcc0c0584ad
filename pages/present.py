"""Present: the workspace's events one by one in time order, for a class or a talk — a full-width map flying to
each event, the date, what, where and the sentence as a large caption, Previous/Next (and the arrow keys), and
how far the story is ("3 / 9")."""

from __future__ import annotations

import streamlit as st
from streamlit_folium import st_folium

from geo.mapview import build_base_map, events_layer, story_steps
from pages.common import base_layers, current_view, get_pipeline, sync_from_url, write_url

CSS = """<style>
  section[data-testid="stSidebar"], [data-testid="stSidebarCollapsedControl"], [data-testid="stExpandSidebarButton"]
    { display: none !important; }
  .sm-present-when { font: 20px/1.3 system-ui, sans-serif; color: #555; }
  .sm-present-what { font: 600 28px/1.25 system-ui, sans-serif; margin: 2px 0 4px; }
  .sm-present-sentence { font: italic 24px/1.4 Georgia, serif; }
  .sm-present-source { font: 15px system-ui, sans-serif; color: #666; margin-top: 4px; }
  .st-key-sm_present_bar button { font-size: 20px; min-height: 48px; }
  .sm-present-step { font: 600 24px/48px system-ui, sans-serif; text-align: center; }
  [data-testid="stMainBlockContainer"], .block-container { padding: 1rem 1.2rem !important; max-width: 100% !important; }
  header[data-testid="stHeader"] { display: none; }
  .st-key-sm_present_bar [data-testid="stHorizontalBlock"] { flex-wrap: nowrap; }
  .st-key-sm_present_bar [data-testid="stColumn"] { min-width: 0; }
  @media (max-width: 640px) { [data-testid="stColumn"]:has(.st-key-sm_present_bar) { order: -1; } }
</style>"""


def _go(step: int, total: int) -> None:
    st.session_state.sm_step = max(0, min(total - 1, step))


def main() -> None:
    sync_from_url("present")
    st.html(CSS)
    found = current_view()
    if found is None:
        return
    _, view, _ = found
    steps = story_steps(view.events_gdf)
    top = st.columns([6, 2], vertical_alignment="center")
    top[0].markdown(f"**{_escape(view.name)}** — presentation")
    top[1].page_link("pages/map.py", label="✕ Leave the presentation")
    if not steps:
        st.info("This workspace has no events that happened (statements are not stepped through).")
        return
    total = len(steps)
    at = min(max(int(st.session_state.get("sm_step") or 0), 0), total - 1)
    step = steps[at]
    st.session_state.sm_selected = step["id"]
    titles = dict(zip(view.articles["article_id"], view.articles["title"].fillna(""), strict=True))
    row = view.events_gdf[view.events_gdf["event_id"] == step["id"]].iloc[0]
    source = titles.get(row["article_id"]) or row["article_id"]
    map_column, caption_column = st.columns([8, 4], gap="medium")
    with caption_column:
        with st.container(key="sm_present_bar"):
            bar = st.columns([2, 2, 2], vertical_alignment="center")
            bar[0].button("◀", on_click=_go, args=(at - 1, total), disabled=at == 0, width="stretch",
                          shortcut="Left", key="sm_prev", help="Previous event (←)")
            bar[1].html(f"<div class='sm-present-step'>{at + 1} / {total}</div>")
            bar[2].button("▶", on_click=_go, args=(at + 1, total), disabled=at == total - 1, width="stretch",
                          shortcut="Right", key="sm_next", help="Next event (→)")
        st.progress((at + 1) / total)
        st.html(f"<div class='sm-present-when'>{step['when']}</div>"
                f"<div class='sm-present-what'>{step['what']} — {step['where']}</div>"
                f"<div class='sm-present-sentence'>“{step['sentence']}”</div>"
                f"<div class='sm-present-source'>From: {_escape(source)}</div>")
    with map_column:
        layers, events_url = base_layers(view, view.key)
        m = build_base_map(layers, get_pipeline().settings, compact=True, events_url=events_url)
        shown = view.events_gdf[view.events_gdf["event_id"].isin([s["id"] for s in steps[:at + 1]])]
        color_by = st.session_state.get("sm_color_by") or "side"
        st_folium(m, feature_group_to_add=events_layer(shown, selected=step["id"], color_by=color_by),
                  center=(step["lat"], step["lon"]), zoom=step["zoom"], key="sm_present_map", height=600,
                  use_container_width=True, returned_objects=[])
    st.caption("Keys: → next, ← previous. The events so far are on the map; the current one is ringed and its "
               "popup open. For a room without internet: Events & places → “Story (HTML, offline)”.")
    write_url({"step": str(at + 1)})


def _escape(text: object) -> str:
    import html

    return html.escape(str(text))


main()
