"""Plain-data (JSON) forms of the pipeline's records, so a workspace can keep an article's analysis and merge it
with later articles' without analysing it again. Geometries travel as WKB (base64)."""

from __future__ import annotations

import base64
import datetime as dt
from typing import Any

import shapely

from geo.model import Event, EventType, Place, Source, TimePrecision


def place_to_record(place: Place) -> dict[str, Any]:
    return {
        "place_id": place.place_id, "name": place.name, "kind": place.kind, "lat": place.lat, "lon": place.lon,
        "country": place.country, "admin1": place.admin1, "geonameid": place.geonameid,
        "population": place.population, "capital": place.capital, "uncertainty_km": place.uncertainty_km,
        "source": place.source,
        "geometry": base64.b64encode(shapely.to_wkb(place.geometry)).decode("ascii")
        if place.geometry is not None else None,
    }


def place_from_record(record: dict[str, Any]) -> Place:
    fields = dict(record)
    wkb = fields.pop("geometry", None)
    return Place(**fields, geometry=shapely.from_wkb(base64.b64decode(wkb)) if wkb else None)


def _when(value: dt.datetime | None) -> str | None:
    return value.isoformat() if value is not None else None


def _datetime(value: str | None) -> dt.datetime | None:
    return dt.datetime.fromisoformat(value) if value else None


def event_to_record(event: Event) -> dict[str, Any]:
    """The event as JSON-able data; its place by id (the places go beside it, ``place_to_record``)."""
    return {
        "event_id": event.event_id, "article_id": event.article_id, "event_type": event.event_type.value,
        "sub_event_type": event.sub_event_type, "trigger": event.trigger, "sentence_index": event.sentence_index,
        "sentence": event.sentence, "start": event.start, "end": event.end,
        "place_id": event.place.place_id if event.place else None, "place_text": event.place_text,
        "date_start": _when(event.date_start), "date_end": _when(event.date_end),
        "time_precision": event.time_precision.value if event.time_precision else None,
        "time_text": event.time_text, "time_value": event.time_value, "actor1": event.actor1,
        "actor2": event.actor2, "fatalities": event.fatalities, "fatalities_qualifier": event.fatalities_qualifier,
        "place_confidence": event.place_confidence, "time_confidence": event.time_confidence,
        "why_typed": event.why_typed, "why_placed": event.why_placed, "why_dated": event.why_dated,
        "sources": [{"article_id": s.article_id, "sentence_index": s.sentence_index, "start": s.start,
                     "end": s.end, "sentence": s.sentence, "trigger": s.trigger} for s in event.sources],
    }


def event_from_record(record: dict[str, Any], places: dict[str, Place]) -> Event:
    fields = dict(record)
    place_id = fields.pop("place_id")
    return Event(**{
        **fields,
        "event_type": EventType(fields["event_type"]),
        "place": places.get(place_id) if place_id else None,
        "date_start": _datetime(fields["date_start"]), "date_end": _datetime(fields["date_end"]),
        "time_precision": TimePrecision(fields["time_precision"]) if fields["time_precision"] else None,
        "sources": tuple(Source(**s) for s in fields["sources"]),
    })
