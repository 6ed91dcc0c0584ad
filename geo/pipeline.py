"""The whole pipeline: text -> mentions -> places -> time expressions -> events -> frames.

``Pipeline`` holds the heavy resources (gazetteer, spaCy model), loaded once; ``Pipeline.analyze``
is a pure function of an ``Article``.
"""

from __future__ import annotations

import datetime as dt
import itertools
import logging
import re
import time
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from functools import cached_property

import geopandas as gpd

from geo.events import EventExtractor, SceneFinder, merge_events
from geo.frames import events_frame, places_frame
from geo.gazetteer import OfflineGazetteer
from geo.ingest import load_article
from geo.mentions import ToponymRecognizer
from geo.model import Article, Event, Mention, Resolution, TimeExpression
from geo.nlp import load_pipeline, load_syntax, parse
from geo.resolve import BY_CONTEXT, GeocoderChain, Resolver, focus_country, online_members, recording_failures
from geo.settings import Settings
from geo.timex import TimeTagger

log = logging.getLogger(__name__)


@dataclass(frozen=True)
class Analysis:
    article: Article
    mentions: tuple[Mention, ...]
    resolutions: tuple[Resolution, ...]
    timexes: tuple[TimeExpression, ...]
    events: tuple[Event, ...]
    warnings: tuple[str, ...] = ()
    timings: dict[str, float] = field(default_factory=dict, compare=False)

    @cached_property
    def places(self) -> gpd.GeoDataFrame:
        return places_frame(self.resolutions)

    @cached_property
    def events_gdf(self) -> gpd.GeoDataFrame:
        return events_frame(self.events)

    @property
    def unresolved(self) -> list[Resolution]:
        """The names no gazetteer entry places (left off the map, or put only near their context)."""
        return [r for r in self.resolutions if _to_add(r)]


def _to_add(r: Resolution) -> bool:
    return r.mention.is_place and (r.place is None or r.place.source == BY_CONTEXT)


@dataclass(frozen=True)
class Workspace:
    """Several analysed articles mapped together: the same event told in two of them is one event with
    two sources (``geo.events.merge_events``); places are pooled by id."""

    analyses: tuple[Analysis, ...]

    @property
    def articles(self) -> tuple[Article, ...]:
        return tuple(a.article for a in self.analyses)

    @property
    def key(self) -> str:
        return "+".join(f"{a.article.article_id}@{a.article.published}" for a in self.analyses)

    @cached_property
    def events(self) -> tuple[Event, ...]:
        return tuple(merge_events(e for a in self.analyses for e in a.events))

    @cached_property
    def events_gdf(self) -> gpd.GeoDataFrame:
        return events_frame(self.events)

    @cached_property
    def places(self) -> gpd.GeoDataFrame:
        return places_frame([r for a in self.analyses for r in a.resolutions])


class Pipeline:
    """Loads resources once and analyses articles."""

    def __init__(self, settings: Settings | None = None) -> None:
        self.settings = settings or Settings.from_env()
        started = time.perf_counter()
        self.gazetteer = OfflineGazetteer(self.settings)
        self.load_seconds = {"gazetteer": time.perf_counter() - started}
        started = time.perf_counter()
        self.nlp = load_pipeline(self.settings.spacy_model)
        self.load_seconds["spacy"] = time.perf_counter() - started
        self.chain = GeocoderChain([("offline gazetteer", self.gazetteer.geocode), *online_members(self.settings)])
        self.recognizer = ToponymRecognizer(self.gazetteer, self.nlp)
        self.resolver = Resolver(self.gazetteer, self.chain)
        self.extractor = EventExtractor(SceneFinder(load_syntax(self.settings.spacy_model)), self._country_name)

    def _country_name(self, code: str) -> str:
        place = self.gazetteer.country(code)
        return place.name if place else ""

    def load(self, content: str | bytes, *, published: dt.date | None = None, filename: str = "",
             article_id: str | None = None, title: str = "", source: str = "", max_chars: int | None = None
             ) -> Article:
        return load_article(content, published=published, filename=filename, article_id=article_id,
                            title=title, source=source, max_chars=max_chars or self.settings.max_article_chars)

    def _parsed(self, articles: Iterable[Article], batch_size: int) -> Iterator[tuple[Article, object]]:
        """Each article with its spaCy Doc, spaCy running over them in batches (``nlp.pipe``)."""
        first, second = itertools.tee(articles)
        docs = self.nlp.pipe((a.text for a in first), batch_size=batch_size)  # type: ignore[attr-defined]
        return zip(second, docs, strict=True)

    def analyze_many(self, articles: Iterable[Article], batch_size: int = 32) -> Iterator[Analysis]:
        """Analyse many articles, running spaCy over them in batches, as a corpus run would."""
        for article, doc in self._parsed(articles, batch_size):
            yield self.analyze(article, doc=doc)

    def geoparse_many(self, articles: Iterable[Article], batch_size: int = 32
                      ) -> Iterator[tuple[Article, list[Resolution]]]:
        """Recognition and resolution only (no dates, no events): the geoparse of each article."""
        for article, doc in self._parsed(articles, batch_size):
            yield article, self.resolver.resolve(article, self.recognizer.recognize(article, doc))

    def recognize_many(self, articles: Iterable[Article], batch_size: int = 32
                       ) -> Iterator[tuple[Article, list[Mention]]]:
        """Recognition only: the named places of each article (what the ranker is fitted on)."""
        for article, doc in self._parsed(articles, batch_size):
            yield article, self.recognizer.recognize(article, doc)

    def analyze(self, article: Article, timezone: str | None = None, doc: object | None = None) -> Analysis:
        """Everything about one article. ``doc`` is its spaCy Doc when already parsed (``analyze_many``)."""
        timings: dict[str, float] = {}
        warnings: list[str] = list(article.notes)
        if article.published is None:
            warnings.append("No publication date was given; relative dates (\"Tuesday\", \"last week\") are read "
                            f"against today, {dt.date.today().isoformat()}. Set the date for a true timeline.")
        elif article.published > dt.date.today():
            warnings.append(f"The publication date {article.published.isoformat()} is in the future; "
                            "relative dates are read against it anyway.")
        t0 = time.perf_counter()
        doc = doc if doc is not None else parse(self.nlp, article.text)
        timings["nlp"] = time.perf_counter() - t0
        if not _looks_english(article.text):
            warnings.append("This text does not look like English. Situation Map reads English news; "
                            "place names may still be found, but events and dates will be missed.")
        t0 = time.perf_counter()
        mentions = self.recognizer.recognize(article, doc)
        timings["mentions"] = time.perf_counter() - t0
        t0 = time.perf_counter()
        with recording_failures() as failures:  # this analysis's failures only, whoever else shares the chain
            resolutions = self.resolver.resolve(article, mentions)
        timings["resolution"] = time.perf_counter() - t0
        for failure in failures:
            warnings.append(f"Online geocoding of “{failure.query}” did not work ({failure.error}); "
                            "the offline gazetteer's answer is used.")
        t0 = time.perf_counter()
        zone = timezone or self._timezone(resolutions)
        timexes = TimeTagger(zone).tag(article)
        timings["time"] = time.perf_counter() - t0
        t0 = time.perf_counter()
        entities = [(e.text, e.start_char, e.end_char, e.label_) for e in doc.ents]  # type: ignore[attr-defined]
        events = self.extractor.extract(article, resolutions, timexes, entities)
        timings["events"] = time.perf_counter() - t0
        unresolved = sorted({r.mention.text for r in resolutions if r.place is None and r.mention.is_place})
        near = sorted({r.mention.text for r in resolutions if r.place is not None and r.place.source == BY_CONTEXT})
        if unresolved or near:
            warnings.append(("Not placed on the map (no gazetteer entry): " + ", ".join(unresolved) + ". "
                             if unresolved else "") +
                            ("Placed only near the places named around them, each place's reason says which (no "
                             "gazetteer entry): " + ", ".join(near)
                             + ". " if near else "") +
                            "Add a missing place on the “Events & places” page (or, on the map, click "
                            "where it is first), or list it in data/places.csv.")
        return Analysis(article, tuple(mentions), tuple(resolutions), tuple(timexes), tuple(events),
                        tuple(warnings), timings)

    def _timezone(self, resolutions: list[Resolution]) -> str | None:
        """The time zone of the story's focus country (for "noon local time")."""
        country = focus_country(resolutions)
        return self.gazetteer.timezone_of(country) if country else None


_WORD = re.compile(r"[^\W\d_]+")
_ENGLISH = {"the", "of", "and", "to", "in", "a", "is", "that", "for", "on", "was", "with", "said", "by", "as", "it"}


def _looks_english(text: str) -> bool:
    words = _WORD.findall(text[:20_000].lower())
    if len(words) < 8:
        return True
    return sum(w in _ENGLISH for w in words) / len(words) > 0.08
