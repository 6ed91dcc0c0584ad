"""Typed records that flow through the pipeline: text -> mentions -> places -> events.

All coordinates are WGS84 (EPSG:4326). Character offsets index ``Article.text``.
"""

from __future__ import annotations

import bisect
import datetime as dt
import enum
from dataclasses import dataclass, field

from shapely.geometry.base import BaseGeometry


class SentenceKind(str, enum.Enum):
    STORY = "story"
    PROMO = "promo"  # promotional heading / call to action, never an event
    CREDIT = "credit"  # "X contributed to this report", bylines


@dataclass(frozen=True)
class Sentence:
    index: int
    start: int
    end: int
    text: str
    paragraph: int
    kind: SentenceKind = SentenceKind.STORY


@dataclass(frozen=True)
class Article:
    """Clean article text with its metadata and sentence offsets."""

    article_id: str
    text: str
    published: dt.date | None
    title: str = ""
    source: str = ""
    sentences: tuple[Sentence, ...] = ()
    #: Where ``published`` came from: "user", "html-metadata", "text", "default".
    published_source: str = "user"
    notes: tuple[str, ...] = ()


class SentenceIndex:
    """The index of the sentence a character offset of an article falls in (the first for offsets before it)."""

    def __init__(self, article: Article) -> None:
        self.starts = [s.start for s in article.sentences]

    def __call__(self, offset: int) -> int:
        return max(0, bisect.bisect_right(self.starts, offset) - 1)


class MentionKind(str, enum.Enum):
    TOPONYM = "toponym"  # a proper place name: Mariupol, Donetsk region
    ADJECTIVAL = "adjectival"  # a demonym used of a place: "Syrian border"
    ACTOR = "actor"  # a demonym used of people: "Ukrainian fighters" (not a place)
    FACILITY = "facility"  # a named site: Azovstal Iron and Steel Works
    ANAPHOR = "anaphor"  # "the plant", "the steel factory" referring to a named facility
    AREA_PHRASE = "area_phrase"  # "the easternmost regions", "eastern Ukraine"


@dataclass(frozen=True)
class Mention:
    """A span of text that names (or refers to) a place."""

    text: str
    start: int
    end: int
    sentence: int
    kind: MentionKind
    #: The name to look up ("Donetsk" for "Donetsk region").
    query: str
    #: Expected feature kind ("admin1", "country", "facility", "city"...) when the text says so.
    feature_hint: str | None = None
    #: Which recogniser found it: "ner", "gazetteer", "rule", "user-places".
    source: str = "gazetteer"
    #: Direction for area phrases ("east", "south-east"...).
    direction: str | None = None
    #: The recognition rule that accepted a gazetteer-only match (``geo.recognition``), if one did.
    rule: str | None = None

    @property
    def is_place(self) -> bool:
        return self.kind is not MentionKind.ACTOR

    @property
    def is_scene(self) -> bool:
        """A place where things may happen: not people, and not a place inside an organisation's name
        ("The Washington Post")."""
        return self.is_place and self.source != "org-name"


class GeoPrecision(enum.IntEnum):
    """ACLED-style geo precision."""

    EXACT = 1  # the point itself (a facility, a town named as such)
    NEAR = 2  # near or part of a town; a town standing for a wider place
    REGION = 3  # a region, country or larger area


@dataclass(frozen=True)
class Place:
    place_id: str
    name: str
    kind: str  # continent | region | country | admin1 | city | facility | area
    lat: float
    lon: float
    country: str | None = None
    admin1: str | None = None
    geonameid: int | None = None
    population: int = 0
    capital: bool = False
    geometry: BaseGeometry | None = field(default=None, compare=False, repr=False)
    #: Radius (km) of a point's uncertainty; 0 for areas (the area is the uncertainty).
    uncertainty_km: float = 0.0
    source: str = "gazetteer"

    @property
    def is_area(self) -> bool:
        return self.geometry is not None and self.kind in {"continent", "region", "country", "admin1", "area"}

    @property
    def geo_precision(self) -> GeoPrecision:
        if self.kind in {"facility", "landmark"}:  # (a facility placed at the town it is named after: near)
            return GeoPrecision.EXACT if self.uncertainty_km <= 5 else GeoPrecision.NEAR
        if self.kind == "city":
            return GeoPrecision.NEAR if self.population >= 100_000 else GeoPrecision.EXACT
        return GeoPrecision.REGION


@dataclass(frozen=True)
class Resolution:
    """A mention with the place it was resolved to (or None, kept and flagged)."""

    mention: Mention
    place: Place | None
    confidence: float
    #: Human-readable reason for the choice (or for the failure).
    reason: str = ""
    candidates: int = 0


class TimePrecision(str, enum.Enum):
    HOUR = "hour"
    DAY = "day"
    WEEK = "week"
    MONTH = "month"
    YEAR = "year"

    @property
    def acled_code(self) -> int:
        """ACLED's time_precision: 1 day (or finer), 2 week, 3 month or coarser."""
        return {"hour": 1, "day": 1, "week": 2}.get(self.value, 3)


@dataclass(frozen=True)
class TimeExpression:
    """A TIMEX3-style time expression normalised against the publication date."""

    text: str
    start: int
    end: int
    sentence: int
    type: str  # DATE | TIME | DURATION | SET
    value: str  # TIMEX3 value: 2022-04-19, 2022-W15, 2022-04-19T09:00, P3W, PAST_REF...
    #: Interval covered (naive UTC datetimes); None for durations and sets.
    interval_start: dt.datetime | None = None
    interval_end: dt.datetime | None = None
    precision: TimePrecision | None = None
    #: "before" / "after" for open bounds ("more than 50 days ago" = on or before a day).
    bound: str | None = None
    confidence: float = 0.8
    #: The id of the rule that found it (``geo.timex.RULES``; ``data/rules/time_examples.csv`` shows each).
    rule: str = ""


class EventType(str, enum.Enum):
    """ACLED's event types, plus Statement for pledges and claims."""

    BATTLES = "Battles"
    EXPLOSIONS = "Explosions/Remote violence"
    VIOLENCE_AGAINST_CIVILIANS = "Violence against civilians"
    PROTESTS = "Protests"
    RIOTS = "Riots"
    STRATEGIC = "Strategic developments"
    STATEMENT = "Statement"


@dataclass(frozen=True)
class Source:
    """One telling of an event: where in which article it is said."""

    article_id: str
    sentence_index: int
    start: int  # char span of the sentence in its article
    end: int
    sentence: str
    trigger: str


@dataclass(frozen=True)
class Event:
    """What happened, where and when, with its provenance. ``sources`` lists every telling of it when the
    same event is told more than once (see ``geo.events.merge_events``); the event's own sentence is the
    first of them."""

    event_id: str
    article_id: str
    event_type: EventType
    sub_event_type: str
    trigger: str
    sentence_index: int
    sentence: str
    start: int  # char span of the sentence in the article
    end: int
    place: Place | None
    place_text: str
    date_start: dt.datetime | None
    date_end: dt.datetime | None
    time_precision: TimePrecision | None
    time_text: str
    time_value: str
    actor1: str = ""
    actor2: str = ""
    fatalities: int | None = None
    fatalities_qualifier: str = ""  # "more than" = a lower bound
    place_confidence: float = 0.0
    time_confidence: float = 0.0
    sources: tuple[Source, ...] = ()
    # Why it was typed, placed and dated so, in words (the rule or model and its evidence).
    why_typed: str = ""
    why_placed: str = ""
    why_dated: str = ""

    @property
    def tellings(self) -> tuple[Source, ...]:
        """Every sentence that tells this event (at least its own)."""
        return self.sources or (Source(self.article_id, self.sentence_index, self.start, self.end, self.sentence,
                                       self.trigger),)

    @property
    def confidence(self) -> float:
        return round(min(self.place_confidence, self.time_confidence) * 0.5 + 0.25 *
                     (self.place_confidence + self.time_confidence), 3)

    @property
    def geo_precision(self) -> int | None:
        return int(self.place.geo_precision) if self.place else None
