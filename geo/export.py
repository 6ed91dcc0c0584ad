"""Export events with ACLED's column names, so they can be merged with ACLED data."""

from __future__ import annotations

import json
import tempfile
from collections.abc import Mapping
from pathlib import Path
from typing import Any

import geopandas as gpd
import pandas as pd
import pyogrio

from geo.errors import SituationMapError
from geo.frames import happenings

ACLED_COLUMNS = [
    "event_id_cnty", "event_date", "year", "time_precision", "disorder_type", "event_type", "sub_event_type",
    "actor1", "actor2", "country", "admin1", "location", "latitude", "longitude", "geo_precision", "source",
    "notes", "fatalities",
]
#: After ACLED's columns, for a workspace's events: who stands behind each row (machine, edited, verified).
REVIEW_COLUMNS = ("state", "edited_by", "verified_by")
_DISORDER = {
    "Battles": "Political violence", "Explosions/Remote violence": "Political violence",
    "Violence against civilians": "Political violence", "Riots": "Political violence; Demonstrations",
    "Protests": "Demonstrations", "Strategic developments": "Strategic developments",
}


def to_acled(events: gpd.GeoDataFrame, country_names: Mapping[str, str] | None = None,
             admin1_names: Mapping[tuple[str, str], str] | None = None) -> pd.DataFrame:
    """ACLED-shaped rows (one per event of an ACLED type: statements and claims are not ACLED events and stay in
    the GeoJSON export only); fields ACLED has no place for stay in the GeoJSON export too.
    ``country_names`` maps ISO codes to the names ACLED uses (the code is written where none is given),
    ``admin1_names`` (country, admin-1 code) to region names;
    ``source`` lists every article telling the event, and ``notes`` its sentences. A workspace's events add
    ``REVIEW_COLUMNS`` after ACLED's."""
    events = happenings(events)
    names = dict(country_names or {})
    regions = dict(admin1_names or {})

    def admin1(row: pd.Series) -> str | None:
        if row["place_kind"] == "admin1":
            return row["place_name"]
        return regions.get((row["country"], row["admin1"])) if isinstance(row["admin1"], str) else None

    def sources(row: pd.Series) -> str:
        return "; ".join(dict.fromkeys(t["article_id"] for t in json.loads(row["sources"]))) \
            if row.get("sources") else row["article_id"]
    review = {c: events[c] for c in REVIEW_COLUMNS if c in events.columns}
    dates = pd.to_datetime(events["date_start"]).fillna(pd.to_datetime(events["date_end"]) - pd.Timedelta(days=1))
    return pd.DataFrame({
        "event_id_cnty": events["event_id"],
        "event_date": dates.dt.strftime("%Y-%m-%d"),
        "year": dates.dt.year.astype("Int64"),
        "time_precision": events["time_precision_code"],
        "disorder_type": events["event_type"].map(_DISORDER),
        "event_type": events["event_type"],
        "sub_event_type": events["sub_event_type"],
        "actor1": events["actor1"],
        "actor2": events["actor2"],
        "country": events["country"].map(lambda c: names.get(c, c) if isinstance(c, str) else None),
        "admin1": events.apply(admin1, axis=1) if len(events) else None,
        "location": events["place_name"],
        "latitude": events.geometry.y.round(5),
        "longitude": events.geometry.x.round(5),
        "geo_precision": events["geo_precision"],
        "source": events.apply(sources, axis=1) if len(events) else events["article_id"],
        "notes": events["sentence"],
        "fatalities": events["fatalities"].fillna(0).astype("Int64"),
        **review,
    }, columns=[*ACLED_COLUMNS, *review])


def area_names(gazetteer, events: pd.DataFrame) -> tuple[dict[str, str], dict[tuple[str, str], str]]:  # type: ignore[no-untyped-def]
    """Country names by ISO code and admin-1 names by (country, code), from the gazetteer, for ``to_acled``."""
    countries: dict[str, str] = {}
    admin1: dict[tuple[str, str], str] = {}
    for code in events["country"].dropna().unique():
        place = gazetteer.country(str(code))
        countries[str(code)] = place.name if place else str(code)
        admin1.update({(str(code), a.admin1): a.name for a in gazetteer.admin1_areas(str(code)) if a.admin1})
    return countries, admin1


def geojson_bytes(frame: pd.DataFrame) -> bytes:
    """GeoJSON via geopandas (datetimes as ISO strings), UTF-8."""
    data = json.loads(frame.to_json(na="null", drop_id=True, to_wgs84=True, default=str))
    return json.dumps(data, ensure_ascii=False, indent=1).encode("utf-8")


EXPORT_FORMATS = ("geojson", "gpkg", "csv", "kml", "html", "story", "png", "gif")


def _span(events: pd.DataFrame) -> str:
    days = pd.to_datetime(events["date_start"]).dropna() if len(events) else pd.Series([], dtype="datetime64[ns]")
    if days.empty:
        return f"{len(events)} events"
    return f"{len(events)} events · {days.min():%d %b %Y} – {days.max():%d %b %Y}"


def export_workspace(store: Any, fmt: str, gazetteer: Any = None, settings: Any = None) -> bytes:
    """The workspace as bytes in one of ``EXPORT_FORMATS`` (each opens again with geopandas or pandas)."""
    events = store.events()
    if fmt == "gpkg":
        return store.to_bytes()
    if fmt == "geojson":
        return geojson_bytes(events)
    if fmt == "csv":
        countries, admin1 = area_names(gazetteer, events) if gazetteer is not None else ({}, {})
        return to_acled(events, country_names=countries, admin1_names=admin1).to_csv(index=False).encode("utf-8")
    if fmt == "kml":
        with tempfile.TemporaryDirectory() as folder:
            target = Path(folder) / "events.kml"
            frame = events.copy()
            frame["Name"] = frame["sub_event_type"].fillna("") + " — " + frame["place_name"].fillna("")
            frame["Description"] = frame["sentence"].fillna("")
            for column in frame.columns:
                if str(frame[column].dtype).startswith("datetime"):
                    frame[column] = frame[column].dt.strftime("%Y-%m-%dT%H:%M:%S")
            pyogrio.write_dataframe(frame[frame.geometry.notna()], target, driver="KML", layer="events")
            return target.read_bytes()
    if fmt in ("html", "story"):
        from geo.mapview import standalone_map, story_map

        if fmt == "story":
            articles = store.articles()
            titles = dict(zip(articles["article_id"], articles["title"].fillna(""), strict=True))
            m = story_map(store.places(), events, gazetteer, settings, title=store.name, titles=titles)
        else:
            m = standalone_map(store.places(), events, gazetteer, settings, title=store.name)
        return m.get_root().render().encode("utf-8")
    if fmt in ("png", "gif"):  # pictures for slides (statements left out, as on the map)
        from geo.picture import map_png, playback_gif

        if fmt == "png":
            return map_png(store.places(), events, gazetteer, settings, title=store.name,
                           subtitle=_span(events))
        return playback_gif(store.places(), events, gazetteer, settings, title=store.name)
    raise SituationMapError(f"Unknown format {fmt!r}; choose one of {', '.join(EXPORT_FORMATS)}")


