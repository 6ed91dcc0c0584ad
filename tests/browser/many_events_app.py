"""A test app: the sample's map with 5,000 synthetic events and the same slider + st_folium update path
as the main page (used to measure how fast the map follows the slider at scale)."""

from __future__ import annotations

import datetime as dt
import sys
from pathlib import Path

import streamlit as st
from streamlit_folium import st_folium

sys.path.insert(0, str(Path(__file__).resolve().parents[2]))

from geo.bench import synthetic_events  # noqa: E402
from geo.mapview import base_payload, build_base_map, events_layer, prepare_base_layers, write_event_store  # noqa: E402
from geo.pipeline import Pipeline  # noqa: E402
from pages.map import brushed_range, events_in_range, timeline_spec  # noqa: E402

N = int(st.query_params.get("n", 5000))


@st.cache_resource
def setup(n: int):  # type: ignore[no-untyped-def]
    pipeline = Pipeline()
    text = (Path(__file__).resolve().parents[2] / "data" / "sample_article.txt").read_text()
    analysis = pipeline.analyze(pipeline.load(text, published=dt.date(2022, 4, 19)))
    events = synthetic_events(analysis.events_gdf, n)
    layers = prepare_base_layers(analysis.places, events, pipeline.gazetteer, pipeline.settings)
    return pipeline, events, layers, write_event_store(layers.events, pipeline.settings.static_derived_dir,
                                                      base_payload(layers))


pipeline, events, layers, store = setup(N)
first, last = dt.date(2022, 3, 1), dt.date(2022, 4, 29)
lo, hi = st.slider("Timeline", min_value=first, max_value=last, value=(first, last), key="range")
brushed = brushed_range(st.altair_chart(timeline_spec(events), on_select="rerun", key="timeline", width="stretch"))
if brushed:  # a brush on the chart narrows the range, as on the main page
    lo, hi = brushed
shown = events_in_range(events, lo, hi)
st.caption(f"{len(shown)} events")
st_folium(build_base_map(layers, pipeline.settings, compact=True, events_url=f"/app/static/derived/{store}"),
          feature_group_to_add=events_layer(shown), key="m", height=500,
          use_container_width=True, returned_objects=["last_object_clicked_tooltip"])
