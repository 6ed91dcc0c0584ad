"""Export events with ACLED's column names, so they can be merged with ACLED data."""

from __future__ import annotations

import json
from collections.abc import Mapping

import geopandas as gpd
import pandas as pd

from geo.frames import happenings

ACLED_COLUMNS = [
    "event_id_cnty", "event_date", "year", "time_precision", "disorder_type", "event_type", "sub_event_type",
    "actor1", "actor2", "country", "admin1", "location", "latitude", "longitude", "geo_precision", "source",
    "notes", "fatalities",
]
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
    ``source`` lists every article telling the event, and ``notes`` its sentences."""
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
    }, columns=ACLED_COLUMNS)


def area_names(gazetteer, events: pd.DataFrame) -> tuple[dict[str, str], dict[tuple[str, str], str]]:  # type: ignore[no-untyped-def]
    """Country names by ISO code and admin-1 names by (country, code), from the gazetteer, for ``to_acled``."""
    countries: dict[str, str] = {}
    admin1: dict[tuple[str, str], str] = {}
    for code in events["country"].dropna().unique():
        place = gazetteer.country(str(code))
        countries[str(code)] = place.name if place else str(code)
        admin1.update({(str(code), a.admin1): a.name for a in gazetteer.admin1_areas(str(code)) if a.admin1})
    return countries, admin1
