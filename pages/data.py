"""Events and places as tables, with downloads (GeoJSON, ACLED CSV, standalone HTML map)."""

from __future__ import annotations

import json

import pandas as pd
import streamlit as st

from geo.export import area_names, to_acled
from geo.frames import EVENTS_SCHEMA, PLACES_SCHEMA
from geo.mapview import standalone_map
from pages.common import current_analysis, current_workspace, get_pipeline
from pages.sidebar import sidebar

sidebar()


def _geojson(frame: pd.DataFrame) -> bytes:
    return json.dumps(json.loads(frame.to_json(na="null", drop_id=True, default=str)), ensure_ascii=False).encode()


analysis = current_analysis()
if analysis is not None:
    workspace = current_workspace(analysis)
    several = len(workspace.analyses) > 1
    st.subheader("Events" + (f" of the workspace ({len(workspace.analyses)} articles)" if several else ""))
    events = workspace.events_gdf
    st.dataframe(pd.DataFrame(events.drop(columns="geometry")), hide_index=True, width="stretch")
    cols = st.columns(4)
    stem = "workspace" if several else analysis.article.article_id
    pipeline = get_pipeline()
    countries, regions = area_names(pipeline.gazetteer, events)
    cols[0].download_button("Events (GeoJSON)", _geojson(events), f"{stem}-events.geojson", "application/geo+json")
    cols[1].download_button("Events (ACLED CSV)", to_acled(events, countries, regions).to_csv(index=False).encode(),
                            f"{stem}-acled.csv", "text/csv")
    cols[2].download_button("Places (GeoJSON)", _geojson(workspace.places), f"{stem}-places.geojson",
                            "application/geo+json")
    if cols[3].button("Prepare the HTML map"):
        title = " + ".join(a.title for a in workspace.articles if a.title)
        html = standalone_map(workspace.places, events, pipeline.gazetteer, pipeline.settings, title).get_root().render()
        st.download_button("Download the map (HTML, works offline)", html.encode(), f"{stem}-map.html", "text/html")

    st.subheader("Places")
    st.dataframe(pd.DataFrame(workspace.places.drop(columns="geometry")), hide_index=True, width="stretch")
    st.caption("Names not placed and time expressions below are those of the current article.")
    if analysis.unresolved:
        st.subheader("Names not placed")
        st.dataframe(pd.DataFrame([{"name": r.mention.text, "why": r.reason} for r in analysis.unresolved]),
                     hide_index=True)
    st.subheader("Time expressions")
    st.dataframe(pd.DataFrame([{"text": t.text, "type": t.type, "value": t.value, "from": t.interval_start,
                                "to": t.interval_end, "precision": t.precision.value if t.precision else None,
                                "bound": t.bound, "sentence": t.sentence + 1} for t in analysis.timexes]),
                 hide_index=True, width="stretch")
    with st.expander("Column meanings (schemas)"):
        st.markdown("**Events**")
        st.table(pd.DataFrame([{"column": k, "dtype": d, "meaning": m} for k, (d, m) in EVENTS_SCHEMA.items()]))
        st.markdown("**Places**")
        st.table(pd.DataFrame([{"column": k, "dtype": d, "meaning": m} for k, (d, m) in PLACES_SCHEMA.items()]))
