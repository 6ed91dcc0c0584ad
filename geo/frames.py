"""GeoDataFrames of places and events, in EPSG:4326, with documented schemas.

``PLACES_SCHEMA`` and ``EVENTS_SCHEMA`` list every column with its dtype and meaning; the frames
are built to them (and the tests check them).
"""

from __future__ import annotations

import json
from collections import defaultdict
from collections.abc import Collection, Sequence

import geopandas as gpd
import pandas as pd
from shapely.geometry import Point

from geo.model import Event, EventType, Resolution
from geo.sides import Side, event_sides
from geo.timex import PARTS_OF_DAY

CRS = "EPSG:4326"

PLACES_SCHEMA: dict[str, tuple[str, str]] = {
    "place_id": ("string", "stable id: gaz:<pid> (gazetteer), user:<file>:<row>, user:place:<name>-<hex> (added "
                           "by a person in a workspace), online:<id>"),
    "name": ("string", "the place's name in the gazetteer"),
    "kind": ("string", "continent | sea | region | country | admin1 | admin2 | area | city | facility | landmark"),
    "country": ("string", "ISO 3166-1 alpha-2 code"),
    "admin1": ("string", "GeoNames admin-1 code within the country"),
    "geonameid": ("Int64", "GeoNames id where one exists"),
    "population": ("Int64", "GeoNames population (0 if unknown)"),
    "mention_count": ("Int64", "how many mentions in the article resolve here"),
    "mentions": ("string", "the distinct surface forms, joined by ' | '"),
    "first_start": ("Int64", "char offset of the first mention"),
    "confidence": ("float64", "best resolution confidence of its mentions, 0..1"),
    "geo_precision": ("Int64", "1 exact point, 2 near / part of a town, 3 region or larger"),
    "uncertainty_km": ("float64", "radius of a point's uncertainty (0 for areas)"),
    "is_area": ("bool", "True when the geometry is a polygon drawn as an area"),
    "source": ("string", "GeoNames, Natural Earth, user places file, online geocoder, user (added by a "
                         "person in a workspace)"),
    "geometry": ("geometry", "Point for points, (Multi)Polygon for areas; EPSG:4326"),
}

EVENTS_SCHEMA: dict[str, tuple[str, str]] = {
    "event_id": ("string", "<article_id>-e<sentence index> of its leading telling"),
    "article_id": ("string", "the article the event comes from"),
    "event_type": ("string", "ACLED event type, or Statement"),
    "sub_event_type": ("string", "ACLED sub-event type (see geo.events.ACLED_SUB_EVENT_TYPES)"),
    "trigger": ("string", "the words that name what happened"),
    "why_typed": ("string", "why it has its type: the trigger and the rule that typed it"),
    "why_placed": ("string", "why it is where it is: how the place was chosen in the story and resolved"),
    "why_dated": ("string", "why it has its dates: the time expression taken, or the story's day"),
    "actor1": ("string", "the actor named before the trigger, if any"),
    "actor2": ("string", "the actor named after the trigger, if any"),
    "fatalities": ("Int64", "number killed where stated"),
    "fatalities_qualifier": ("string", "'more than' etc.: the number is a bound"),
    "date_start": ("datetime64[ns]", "start of the event's time interval (UTC for clock times)"),
    "date_end": ("datetime64[ns]", "end of the interval (exclusive)"),
    "time_precision": ("string", "hour | day | week | month | year"),
    "time_precision_code": ("Int64", "ACLED code: 1 day, 2 week, 3 month or coarser"),
    "time_text": ("string", "the time expression used ('' = the narrative's reference day)"),
    "time_value": ("string", "TIMEX3 value of that expression"),
    "place_name": ("string", "the gazetteer name of the event's place"),
    "place_text": ("string", "the words in the sentence that name the place"),
    "place_id": ("string", "join key to the places frame"),
    "place_kind": ("string", "kind of the place (see PLACES_SCHEMA)"),
    "country": ("string", "ISO 3166-1 alpha-2 code of the place's country"),
    "admin1": ("string", "GeoNames admin-1 code of the place, where known"),
    "geo_precision": ("Int64", "ACLED geo precision: 1 exact, 2 near, 3 region"),
    "uncertainty_km": ("float64", "radius of the point's uncertainty"),
    "sentence_index": ("Int64", "index of the sentence in the article"),
    "sentence": ("string", "the sentence, as provenance"),
    "char_start": ("Int64", "char span of the sentence in the article text"),
    "char_end": ("Int64", ""),
    "n_sources": ("Int64", "how many sentences tell this event (the same event told twice is one event)"),
    "sources": ("string", "JSON list of every telling: article_id, sentence_index, char_start, char_end"),
    "place_confidence": ("float64", "0..1"),
    "time_confidence": ("float64", "0..1"),
    "confidence": ("float64", "overall confidence, 0..1"),
    "geometry": ("geometry", "Point (the place, or an area's representative point); EPSG:4326"),
}


def typed_frame(frame: pd.DataFrame, schema: dict[str, tuple[str, str]]) -> gpd.GeoDataFrame:
    """``frame`` with exactly the schema's columns, each of its dtype, as a GeoDataFrame in EPSG:4326."""
    columns = {}
    for name, (dtype, _) in schema.items():
        if name == "geometry":
            continue
        columns[name] = frame[name].astype(dtype) if len(frame) else pd.Series([], dtype=dtype)
    geometry = frame["geometry"] if len(frame) else []
    return gpd.GeoDataFrame(columns, geometry=gpd.GeoSeries(list(geometry), crs=CRS), crs=CRS)


def places_frame(resolutions: Sequence[Resolution]) -> gpd.GeoDataFrame:
    """One row per distinct place the article's mentions resolve to."""
    groups: dict[str, list[Resolution]] = defaultdict(list)
    for r in resolutions:
        if r.place is not None and r.mention.is_place:
            groups[r.place.place_id].append(r)
    rows = []
    for place_id, rs in groups.items():
        place = rs[0].place
        assert place is not None
        rows.append({
            "place_id": place_id, "name": place.name, "kind": place.kind, "country": place.country,
            "admin1": place.admin1, "geonameid": place.geonameid, "population": place.population,
            "mention_count": len(rs), "mentions": " | ".join(dict.fromkeys(r.mention.text for r in rs)),
            "first_start": min(r.mention.start for r in rs), "confidence": max(r.confidence for r in rs),
            "geo_precision": int(place.geo_precision), "uncertainty_km": place.uncertainty_km,
            "is_area": place.is_area, "source": place.source,
            "geometry": place.geometry if place.is_area else Point(place.lon, place.lat),
        })
    return typed_frame(pd.DataFrame(rows), PLACES_SCHEMA)


def events_frame(events: Sequence[Event]) -> gpd.GeoDataFrame:
    rows = []
    for e in events:
        place = e.place
        rows.append({
            "event_id": e.event_id, "article_id": e.article_id, "event_type": e.event_type.value,
            "sub_event_type": e.sub_event_type, "trigger": e.trigger, "why_typed": e.why_typed,
            "why_placed": e.why_placed, "why_dated": e.why_dated, "actor1": e.actor1, "actor2": e.actor2,
            "fatalities": e.fatalities, "fatalities_qualifier": e.fatalities_qualifier,
            "date_start": e.date_start, "date_end": e.date_end,
            "time_precision": e.time_precision.value if e.time_precision else None,
            "time_precision_code": e.time_precision.acled_code if e.time_precision else None,
            "time_text": e.time_text, "time_value": e.time_value,
            "place_name": place.name if place else None, "place_text": e.place_text,
            "place_id": place.place_id if place else None, "place_kind": place.kind if place else None,
            "country": (place.country or None) if place else None, "admin1": (place.admin1 or None) if place else None,
            "geo_precision": e.geo_precision, "uncertainty_km": place.uncertainty_km if place else None,
            "sentence_index": e.sentence_index, "sentence": e.sentence, "char_start": e.start, "char_end": e.end,
            "n_sources": len(e.tellings),
            "sources": json.dumps([{"article_id": t.article_id, "sentence_index": t.sentence_index,
                                    "char_start": t.start, "char_end": t.end} for t in e.tellings]),
            "place_confidence": e.place_confidence, "time_confidence": e.time_confidence,
            "confidence": e.confidence, "geometry": Point(place.lon, place.lat) if place else None,
        })
    return typed_frame(pd.DataFrame(rows), EVENTS_SCHEMA)


#: ACLED's own event types. ``Statement`` (pledges, claims, announcements, reports) is kept as data but is not
#: something that happened: it is off the map by default and out of the ACLED export.
ACLED_EVENT_TYPES = frozenset(t.value for t in EventType if t is not EventType.STATEMENT)


def happenings(events: pd.DataFrame) -> pd.DataFrame:
    """The rows of an events frame whose type is one of ACLED's (what happened), without statements."""
    return events[events["event_type"].isin(ACLED_EVENT_TYPES)] if len(events) else events


def told_in(events: pd.DataFrame) -> pd.Series:
    """The articles each event is told in (its own and its other tellings), as sets of ids."""
    def ids(row: pd.Series) -> frozenset[str]:
        found = {t["article_id"] for t in json.loads(row["sources"] or "[]")} if "sources" in row else set()
        return frozenset(found | ({row["article_id"]} if row["article_id"] else set()))
    return events.apply(ids, axis=1) if len(events) else pd.Series([], dtype=object, index=events.index)


def filter_events(events: pd.DataFrame, sides: tuple[Side, ...], types: Collection[str] = (),
                  sides_shown: Collection[str] = (), articles: Collection[str] = (),
                  states: Collection[str] = ()) -> pd.DataFrame:
    """The events of the chosen types, sides, articles and states (an empty choice keeps all)."""
    keep = pd.Series(True, index=events.index)
    if types:
        keep &= events["event_type"].isin(list(types))
    if sides_shown:
        keep &= event_sides(events, sides).isin(list(sides_shown))
    if articles:
        wanted = set(articles)
        keep &= told_in(events).map(lambda found: bool(found & wanted))
    if states and "state" in events:
        keep &= events["state"].fillna("machine").isin(list(states))
    return events[keep]


def event_spans(events: pd.DataFrame, max_rows: int = 6, key: pd.Series | None = None) -> pd.DataFrame:
    """Events lasting more than a day, as spans from their first day to the day after their last, each given a
    row so that spans in one row never overlap (up to ``max_rows``; later ones share the last row). ``type`` is
    the event type, or ``key`` (one value per event, such as its side) when given."""
    columns = ["start", "end", "last", "type", "label", "row"]
    if not len(events):
        return pd.DataFrame(columns=columns)
    start = pd.to_datetime(events["date_start"])
    end = pd.to_datetime(events["date_end"])
    long = (end - start) > pd.Timedelta(days=1)
    if not long.any():
        return pd.DataFrame(columns=columns)
    rows, ends = [], []  # greedy: each span in the first row free at its start
    frame = pd.DataFrame({"start": start[long].dt.normalize(), "end": end[long].dt.ceil("D"),
                          "type": (events["event_type"] if key is None else key)[long].to_numpy(),
                          "label": (events.loc[long, "sub_event_type"].astype(str) + " — "
                                    + events.loc[long, "place_name"].astype(str)).to_numpy()}).sort_values("start")
    for s, e in zip(frame["start"], frame["end"], strict=True):
        row = next((k for k, last in enumerate(ends) if last <= s), None)
        if row is None and len(ends) < max_rows:
            row = len(ends)
            ends.append(e)
        row = max_rows - 1 if row is None else row
        ends[row] = max(ends[row], e)
        rows.append(row)
    frame["row"] = rows
    frame["last"] = frame["end"] - pd.Timedelta(days=1)
    return frame[columns]


def daily_counts(events: pd.DataFrame, key: pd.Series | None = None) -> pd.DataFrame:
    """One row per (day, event type) with how many events of a day or less happened that day (longer ones are
    spans, ``event_spans``; an undated start with a known end is the day before that end). ``key`` (one value per
    event, such as its side) replaces the event type when given."""
    if not len(events):
        return pd.DataFrame(columns=["day", "type", "events"])
    start = pd.to_datetime(events["date_start"])
    end = pd.to_datetime(events["date_end"])
    day = start.fillna(end - pd.Timedelta(days=1))
    short = ~((end - start) > pd.Timedelta(days=1))
    kinds = events["event_type"] if key is None else key
    frame = pd.DataFrame({"day": day[short].dt.normalize(), "type": kinds[short].to_numpy()}).dropna()
    return frame.groupby(["day", "type"]).size().reset_index(name="events")


#: A place's kind in a reader's words (the schema's "admin1" was shown as such: walkthrough).
KIND_LABELS = {"city": "town", "admin1": "region", "admin2": "district", "country": "country",
               "continent": "continent", "region": "world region", "sea": "sea", "facility": "site",
               "landmark": "landmark", "area": "area"}


def kind_label(kind: object) -> str:
    return KIND_LABELS.get(str(kind), str(kind))


def hours_label(start: object, end: object) -> str:
    """A time told to the hour: a clock time (one hour, in UTC) as "2022-04-19 09:00 UTC"; a part of the day (longer,
    in the story's own local time, which the text does not give) as "2022-04-15 night (20:00–24:00 local time)"
    (walkthrough: a night was shown as 20:00 UTC)."""
    first = pd.Timestamp(start)
    if end is None or pd.isna(end) or pd.Timestamp(end) - first <= pd.Timedelta(hours=1):
        return first.strftime("%Y-%m-%d %H:%M") + " UTC"
    last = pd.Timestamp(end)
    hours = (first.hour, first.hour + int((last - first) / pd.Timedelta(hours=1)))
    part = next((name for name, span in PARTS_OF_DAY.items() if span == hours), None)
    until = "24:00" if last.hour == 0 else last.strftime("%H:%M")
    return f"{first:%Y-%m-%d} {part + ' ' if part else ''}({first:%H:%M}–{until} local time)"


def date_labels(events: pd.DataFrame) -> pd.Series:
    """The dates of the events as the table shows them: a day, a day and hour (UTC) or part of the day, a span for a
    week, month or year, "≤ day" for an open bound (vectorised: the table of thousands of events is drawn at each
    brush; the hours and parts of the day, few, one by one)."""
    start, end = pd.to_datetime(events["date_start"]), pd.to_datetime(events["date_end"])
    first, last = start.dt.strftime("%Y-%m-%d"), (end - pd.Timedelta(days=1)).dt.strftime("%Y-%m-%d")
    precision = events["time_precision"]
    labels = first.copy()
    hourly = (precision == "hour") & start.notna()
    # (short in a table's narrow column: "2022-04-15 night"; the popup gives the hours)
    labels[hourly] = [hours_label(a, b).split(" (")[0] for a, b in zip(start[hourly], end[hourly], strict=True)]
    labels = labels.where(~precision.isin(["week", "month", "year"]), first + " – " + last)
    return labels.where(start.notna(), "≤ " + last).fillna("")
