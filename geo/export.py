"""Export events with ACLED's column names, so they can be merged with ACLED data."""

from __future__ import annotations

import geopandas as gpd
import pandas as pd

ACLED_COLUMNS = [
    "event_id_cnty", "event_date", "year", "time_precision", "disorder_type", "event_type", "sub_event_type",
    "actor1", "actor2", "country", "admin1", "location", "latitude", "longitude", "geo_precision", "source",
    "notes", "fatalities",
]
_DISORDER = {
    "Battles": "Political violence", "Explosions/Remote violence": "Political violence",
    "Violence against civilians": "Political violence", "Riots": "Political violence; Demonstrations",
    "Protests": "Demonstrations", "Strategic developments": "Strategic developments", "Statement": "Statement",
}


def to_acled(events: gpd.GeoDataFrame) -> pd.DataFrame:
    """ACLED-shaped rows (one per event); fields ACLED has no place for stay in the GeoJSON export."""
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
        "country": events["place_name"].where(events["place_kind"] == "country", None),
        "admin1": None,
        "location": events["place_name"],
        "latitude": events.geometry.y.round(5),
        "longitude": events.geometry.x.round(5),
        "geo_precision": events["geo_precision"],
        "source": events["article_id"],
        "notes": events["sentence"],
        "fatalities": events["fatalities"].fillna(0).astype("Int64"),
    }, columns=ACLED_COLUMNS)
