"""Resolution: mentions -> places, with the document's context.

Geocoding goes through geopy's interface. ``GeocoderChain`` is itself a geopy ``Geocoder`` that
tries its members in order (the offline gazetteer first, then any online provider, each wrapped by
geopy's ``RateLimiter`` and a persistent cache). The ``Resolver`` describes each gazetteer candidate by named
features (``Resolver.features``, ``geo.ranker.FEATURES``), ranks them with the fitted weights of
``data/ranker.json`` (``geo.ranker``) and never drops a mention it cannot place: it is kept
with ``place=None`` and a reason.
"""

from __future__ import annotations

import json
import logging
import math
import re
import sqlite3
import threading
import time
from collections import Counter
from collections.abc import Callable, Iterator, Sequence
from contextlib import contextmanager
from contextvars import ContextVar
from dataclasses import dataclass, field, replace
from functools import cached_property
from pathlib import Path

import numpy as np
import shapely
from geopy import exc as geopy_exc
from geopy.extra.rate_limiter import RateLimiter
from geopy.geocoders.base import Geocoder
from geopy.location import Location

from geo.gazetteer import OfflineGazetteer
from geo.model import Article, Mention, MentionKind, Place, Resolution
from geo.names import normalize_name
from geo.ranker import FEATURE_WORDS, Ranker, load_ranker
from geo.recognition import ADMIN2_WORDS, AVIATION
from geo.settings import Settings, disabled_rules

log = logging.getLogger(__name__)

EARTH_RADIUS_KM = 6371.0088


# Between the last two items of a list: "Oregon or Idaho", "Lyon and Lille" (a bare comma may be a
# qualifier's: "Naples, Florida").
_LIST_JOIN = re.compile(r",? (?:and|or) ")
# After a qualifier: the list goes on ("Denver, Chicago and Boston"), unlike "Paris, Texas, and Moscow".
_LIST_GOES_ON = re.compile(r" (?:and|or|&) [A-Z]")
# Between a place and the area it lies in: "Greene County in southwest Ohio", "a village in the Idlib province".
_IN_AREA = re.compile(r" in (?:the )?(?:(?:north|south|east|west|central|far|rural)[a-z-]* )*", re.IGNORECASE)
# A river, lake, mountain, cape or park named after a town: "Culiacan River", "Lake Lynchburg", "Mount Kenya".
_FEATURE = re.compile(r"^(?:(?P<stem>[A-Z][\w.'-]+(?: [A-Z][\w.'-]+)?) (?:River|Park|Falls|Valley|Creek|Reservoir)|"
                      r"(?:Lake|Mount|Mt\.|Cape) (?P<stem2>[A-Z][\w.'-]+(?: [A-Z][\w.'-]+)?))$")
_COUNTY = re.compile(r"^(?P<stem>[A-Z][\w.'-]+(?: [A-Z][\w.'-]+)?) (?:County|Parish|District|Borough|Township)$")


_ABBREVIATED = {"st": "saint", "ste": "sainte", "mt": "mount", "ft": "fort", "pt": "point"}


def _spelled_out(key: str) -> str:
    """A name key with its abbreviated words spelled out: "St. Petersburg" and "Saint Petersburg" are one name."""
    return " ".join(_ABBREVIATED.get(w, w) for w in key.split())


def in_county(county: Place, place: Place) -> bool:
    """Whether a place lies in a county drawn as a point (no polygon at admin-2): in its admin-1 region and
    within twice its reach of its middle."""
    return (county.country, county.admin1) == (place.country, place.admin1) and \
        haversine_km(county.lat, county.lon, place.lat, place.lon) <= 2 * county.uncertainty_km


def haversine_km(lat1: float, lon1: float, lat2: float, lon2: float) -> float:
    p1, p2 = math.radians(lat1), math.radians(lat2)
    dp, dl = p2 - p1, math.radians(lon2 - lon1)
    a = math.sin(dp / 2) ** 2 + math.cos(p1) * math.cos(p2) * math.sin(dl / 2) ** 2
    return 2 * EARTH_RADIUS_KM * math.asin(min(1.0, math.sqrt(a)))


# -- geopy composition: chain, breaker and cache ---------------------------------------------
@dataclass(frozen=True)
class ProviderFailure:
    provider: str
    query: str
    error: str


# The failure lists of the analyses running in this thread (or asyncio task): a chain shared by every user of a
# server records each failure in the lists of the caller that met it, never in a list of its own.
_FAILURE_SINKS: ContextVar[tuple[list[ProviderFailure], ...]] = ContextVar("geocoder_failure_sinks", default=())
MAX_FAILURES_RECORDED = 50  # per recording: a long article full of unknown names still makes a short warning


@contextmanager
def recording_failures() -> Iterator[list[ProviderFailure]]:
    """Collect the geocoder failures met inside the ``with`` block by this thread only (nestable)."""
    sink: list[ProviderFailure] = []
    token = _FAILURE_SINKS.set((*_FAILURE_SINKS.get(), sink))
    try:
        yield sink
    finally:
        _FAILURE_SINKS.reset(token)


class GeocoderChain(Geocoder):
    """Tries each geocoder in order; the first answer wins. Failures are reported to the caller's
    ``recording_failures()`` and logged, not raised; the chain itself keeps no per-call state."""

    def __init__(self, members: Sequence[tuple[str, Callable[..., Location | list[Location] | None]]]) -> None:
        super().__init__(user_agent="situation-map-chain")
        self.members = list(members)

    def geocode(self, query: str, *, exactly_one: bool = True, **kwargs: object) -> Location | list[Location] | None:
        for name, geocode in self.members:
            try:
                result = geocode(query, exactly_one=exactly_one, **kwargs)
            except (geopy_exc.GeopyError, OSError) as err:
                kind = "timed out" if isinstance(err, geopy_exc.GeocoderTimedOut) else "failed"
                failure = ProviderFailure(name, query, f"{name} {kind}: {err}")
                for sink in _FAILURE_SINKS.get():
                    if len(sink) < MAX_FAILURES_RECORDED:
                        sink.append(failure)
                log.warning("geocoder %s %s for %r: %s", name, kind, query, err)
                continue
            if result:
                return result
        return None


class CircuitBreaker:
    """Wraps an online geocode callable: after ``threshold`` failures in a row it is skipped for ``cooldown``
    seconds (raising ``GeocoderUnavailable`` at once), so a provider that is down does not stall every user
    for its whole timeout on every unknown name. Thread-safe; its only state is the run of failures."""

    def __init__(self, geocode: Callable[..., Location | list[Location] | None], name: str, threshold: int = 3,
                 cooldown: float = 60.0, clock: Callable[[], float] = time.monotonic) -> None:
        self.geocode_func, self.name = geocode, name
        self.threshold, self.cooldown, self.clock = threshold, cooldown, clock
        self._lock = threading.Lock()
        self._failures_in_a_row = 0
        self._open_until = 0.0

    def __call__(self, query: str, **kwargs: object) -> Location | list[Location] | None:
        with self._lock:
            wait = self._open_until - self.clock()
        if wait > 0:
            raise geopy_exc.GeocoderUnavailable(
                f"skipped: {self.name} failed {self.threshold} times in a row; tried again in {wait:.0f} s")
        try:
            result = self.geocode_func(query, **kwargs)
        except (geopy_exc.GeopyError, OSError):
            with self._lock:
                self._failures_in_a_row += 1
                if self._failures_in_a_row >= self.threshold:
                    self._open_until = self.clock() + self.cooldown
                    self._failures_in_a_row = 0
            raise
        with self._lock:
            self._failures_in_a_row = 0
        return result


class PersistentGeocodeCache:
    """Wraps a geocode callable with an on-disk cache (SQLite), so a name is asked online once."""

    def __init__(self, geocode: Callable[..., Location | list[Location] | None], path: Path, namespace: str) -> None:
        self.geocode_func = geocode
        self.namespace = namespace
        path.parent.mkdir(parents=True, exist_ok=True)
        self._db = sqlite3.connect(path, check_same_thread=False)
        self._db.execute("CREATE TABLE IF NOT EXISTS cache (ns TEXT, query TEXT, answer TEXT, PRIMARY KEY (ns, query))")
        self._lock = threading.Lock()

    def __call__(self, query: str, *, exactly_one: bool = True, **kwargs: object) -> Location | None:
        with self._lock:
            row = self._db.execute("SELECT answer FROM cache WHERE ns=? AND query=?", (self.namespace, query)).fetchone()
        if row is not None:
            data = json.loads(row[0])
            return None if data is None else Location(data["address"], (data["lat"], data["lon"]), data["raw"])
        location = self.geocode_func(query, exactly_one=True, **kwargs)
        if isinstance(location, list):
            location = location[0] if location else None
        data = None if location is None else {"address": location.address, "lat": location.latitude,
                                               "lon": location.longitude, "raw": location.raw}
        with self._lock:
            self._db.execute("INSERT OR REPLACE INTO cache VALUES (?,?,?)", (self.namespace, query, json.dumps(data)))
            self._db.commit()
        return location


def online_members(settings: Settings) -> list[tuple[str, Callable[..., Location | list[Location] | None]]]:
    """The optional online providers of the chain (none unless SITMAP_ONLINE_GEOCODER is set)."""
    if settings.online_geocoder != "nominatim":
        return []
    from geopy.geocoders import Nominatim

    nominatim = Nominatim(user_agent=settings.online_user_agent, timeout=settings.online_timeout,
                          domain=settings.nominatim_domain, scheme=settings.nominatim_scheme)
    limited = RateLimiter(nominatim.geocode, min_delay_seconds=settings.online_min_delay, max_retries=1,
                          swallow_exceptions=False)
    guarded = CircuitBreaker(limited, "nominatim", settings.online_breaker_failures, settings.online_breaker_cooldown)
    # The cache is asked first: a name answered before is answered even while the provider is skipped.
    return [("nominatim", PersistentGeocodeCache(guarded, settings.geocode_cache_path, "nominatim"))]


# -- context-aware resolution ----------------------------------------------------------------
@dataclass
class DocumentContext:
    """Where the document's places fall: votes per country and per (country, admin-1)."""

    countries: Counter[str] = field(default_factory=Counter)
    admin1: Counter[tuple[str, str]] = field(default_factory=Counter)
    anchors: list[Place] = field(default_factory=list)
    # The votes each name cast, so that a name is judged by the other names of the document, not by its own
    # namesakes (forty small American towns called "Colchester" must not make the story American).
    own_countries: dict[str, Counter[str]] = field(default_factory=dict)
    own_admin1: dict[str, Counter[tuple[str, str]]] = field(default_factory=dict)
    text: str = ""  # the document's text, for the words between a name and its qualifier
    candidates: dict[Mention, list[Place]] = field(default_factory=dict)  # each named mention's gazetteer places

    def country_share(self, country: str | None, name: str | None = None) -> float:
        own = self.own_countries.get(name or "", Counter())
        total = sum(self.countries.values()) - sum(own.values())
        return (self.countries[country] - own[country]) / total if country and total > 1e-9 else 0.0

    def admin1_share(self, country: str | None, admin1: str | None, name: str | None = None) -> float:
        own = self.own_admin1.get(name or "", Counter())
        total = sum(self.admin1.values()) - sum(own.values())
        key = (country or "", admin1 or "")
        return (self.admin1[key] - own[key]) / total if admin1 and total > 1e-9 else 0.0

    @property
    def focus_country(self) -> str | None:
        return self.countries.most_common(1)[0][0] if self.countries else None

    def nearest_anchor_km(self, place: Place) -> float | None:
        """Distance to the nearest anchor other than the place itself (None without one); one vectorised pass,
        so a long document with many anchors stays linear in its mentions."""
        if len(self.anchors) < 64:  # a news story's few anchors: a plain loop beats numpy's per-call cost
            distances = [haversine_km(place.lat, place.lon, a.lat, a.lon) for a in self.anchors
                         if a.place_id != place.place_id]
            return min(distances) if distances else None
        ids, lats, lons = self._anchor_arrays
        others = ids != place.place_id
        if not others.any():
            return None
        lat, lon = math.radians(place.lat), math.radians(place.lon)
        a = (np.sin((lats[others] - lat) / 2) ** 2 + math.cos(lat) * np.cos(lats[others])
             * np.sin((lons[others] - lon) / 2) ** 2)
        return float(2 * EARTH_RADIUS_KM * np.arcsin(np.sqrt(np.minimum(1.0, a))).min())

    @cached_property
    def _anchor_arrays(self) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
        """The anchors' ids and points in radians (the anchors are set once, before the first distance asked)."""
        return (np.array([a.place_id for a in self.anchors], dtype=object), np.radians([a.lat for a in self.anchors]),
                np.radians([a.lon for a in self.anchors]))


class Resolver:
    """Resolves an article's mentions to places, using the whole document as context."""

    #: The resolver's rules beside the ranker; ``SITMAP_DISABLE_RULES=named-kind,...`` switches any off.
    RULES = {
        "named-kind": "the text names the kind (\"Donetsk region\", \"flights at Heathrow\"): that kind only",
        "named-after": "a name the gazetteer lacks is placed at the place it is named after (\"Orange County\")",
        "area-own-town": "an area named bare after its own main town is the town (\"Barcelona\", \"Liverpool\"), "
                         "unless the text names the area's kind",
        "placed-by-context": "a name nothing places is placed near the nearest town its sentence names, else the "
                             "town the story is about, with a wide uncertainty (\"the Old Mill in Kendal\")",
    }

    def __init__(self, gazetteer: OfflineGazetteer, chain: GeocoderChain | None = None,
                 ranker: Ranker | None = None, disabled: frozenset[str] | None = None) -> None:
        self.gazetteer = gazetteer
        self.chain = chain
        self.ranker = ranker or load_ranker()
        self.disabled = disabled if disabled is not None else disabled_rules()
        self._parts: dict[tuple[str, str], tuple[shapely.Geometry, shapely.Point]] = {}

    def prepare(self, article: Article, mentions: Sequence[Mention]
                ) -> tuple[dict[Mention, list[Place]], DocumentContext, dict[int, list[Mention]]]:
        """Each named mention's candidates, the document's context and the mentions of each sentence."""
        candidates = {m: self._candidates(m) for m in mentions if m.kind not in {MentionKind.ANAPHOR,
                                                                                 MentionKind.AREA_PHRASE}}
        context = self._context(candidates)
        context.text, context.candidates = article.text, candidates
        # First pass: the unambiguous places become anchors for proximity.
        # Each place once: a long text naming the same town a thousand times has one anchor there, not a thousand.
        context.anchors = list({c[0].place_id: c[0] for c in candidates.values()
                                if len(c) == 1 and c[0].kind in {"city", "admin2", "facility", "landmark"}}.values())
        # Qualifiers and lists are read within a sentence: each mention is judged beside its sentence's mentions
        # only (linear in a long document).
        by_sentence: dict[int, list[Mention]] = {}
        for m in mentions:
            by_sentence.setdefault(m.sentence, []).append(m)
        return candidates, context, by_sentence

    def candidate_tables(self, article: Article, mentions: Sequence[Mention]
                         ) -> list[tuple[Mention, list[Place], list[dict[str, float]]]]:
        """Each named mention with gazetteer candidates, its candidates and their features (what the ranker
        scores; ``python -m geo.ranker fit`` learns its weights from these)."""
        candidates, context, by_sentence = self.prepare(article, mentions)
        out = []
        for m, cands in candidates.items():
            kept = self._narrowed(m, cands, context)
            if kept:
                out.append((m, kept, self._features_of(m, kept, context, by_sentence[m.sentence])[1]))
        return out

    def resolve(self, article: Article, mentions: Sequence[Mention]) -> list[Resolution]:
        candidates, context, by_sentence = self.prepare(article, mentions)
        resolved: dict[Mention, Resolution] = {}
        for mention, cands in candidates.items():
            resolved[mention] = self._choose(mention, cands, context, by_sentence[mention.sentence])
        if "placed-by-context" not in self.disabled:
            for mention, found in _by_context(resolved).items():
                resolved[mention] = found
        # Anaphors and direction phrases lean on what the named mentions resolved to.
        ordered = sorted(mentions, key=lambda m: m.start)
        for mention in ordered:
            if mention.kind is MentionKind.ANAPHOR:
                resolved[mention] = self._resolve_anaphor(mention, ordered, resolved)
            elif mention.kind is MentionKind.AREA_PHRASE:
                resolved[mention] = self._resolve_direction(mention, context, resolved)
        return [resolved[m] for m in ordered]

    # -- candidates and context --------------------------------------------------------------
    def _candidates(self, mention: Mention) -> list[Place]:
        if mention.source == "facility-rule":  # "Mykolaiv airport": the airport itself where the gazetteer has it
            own = [p for p in self.gazetteer.candidates(_facility_name(mention)) if p.kind in {"facility", "landmark"}]
            if own:
                return own
        if mention.feature_hint == "demonym":
            place = self.gazetteer.place(mention.query)
            return [place] if place else []
        return self.gazetteer.candidates(mention.query, feature_hint=mention.feature_hint)

    def _context(self, candidates: dict[Mention, list[Place]]) -> DocumentContext:
        context = DocumentContext()
        for mention, cands in candidates.items():
            if not cands:
                continue
            weight = 0.5 if mention.kind is MentionKind.ACTOR else 1.0
            priors = [math.exp(3 * self.gazetteer.prior(p)) for p in cands]
            total = sum(priors)
            name = normalize_name(mention.query)
            own_c = context.own_countries.setdefault(name, Counter())
            own_a = context.own_admin1.setdefault(name, Counter())
            for place, prior in zip(cands, priors, strict=True):
                share = weight * prior / total
                if place.country:
                    context.countries[place.country] += share
                    own_c[place.country] += share
                if place.admin1 and place.kind in {"city", "admin1", "admin2", "facility"}:
                    context.admin1[(place.country or "", place.admin1)] += share
                    own_a[(place.country or "", place.admin1)] += share
        return context

    def features(self, place: Place, mention: Mention, context: DocumentContext, qualifiers: Sequence[Place],
                 namesake: bool = False, alias_only: bool = False) -> dict[str, float]:
        """The candidate's features (``geo.ranker.FEATURES`` says what each means), as far as they concern
        the candidate alone; ``_features_of`` adds those that compare it with the name's other candidates.

        * kind, population (an admin-2 area's, the sum of its towns', apart), an admin-1 or admin-2 area named
          like a town in it (the bare name is then mostly the town), national capital;
        * context: the share of the document's places that can lie in the candidate's country and admin-1
          area, counting the votes of the document's other names only (the forty American namesakes of
          "Colchester" must not make its own story American); proximity to the nearest unambiguous place;
        * qualifiers: an adjacent mention naming an area that contains it ("Paris, Texas", "Richmond,
          North Yorkshire"; a county: its towns within twice its reach);
        (The text's word for its kind, "Donetsk region" or "flights at Heathrow", is no feature: it keeps the
        candidates of that kind, in ``_choose``.)
        """
        named_after_town = namesake and place.kind in {"admin1", "admin2"}
        # An admin-2 area's population is the sum of the towns drawn in it (geo/build_data.py), a looser figure
        # than a town's or a state's own: a feature of its own.
        size = math.log10(place.population + 10) / 8.0
        out: dict[str, float] = {"admin2_population" if place.kind == "admin2" else "population": size}
        if named_after_town:
            out["town_named_area"] = 1.0
        if place.kind != "city":
            out[f"kind:{place.kind}"] = 1.0
        if place.capital:
            out["capital"] = 1.0
        if alias_only:
            out["alias_only"] = 1.0
        name = normalize_name(mention.query)
        out["country_share"] = context.country_share(place.country, name)
        out["admin1_share"] = context.admin1_share(place.country, place.admin1, name)
        nearest = context.nearest_anchor_km(place)
        if nearest is not None:
            out["proximity"] = math.exp(-nearest / 300.0)
        qualified = sum(1 for q in qualifiers if q.kind == "country" and q.country == place.country
                        or q.kind == "admin1" and (q.country, q.admin1) == (place.country, place.admin1)
                        or q.kind == "admin2" and place.kind == "city" and in_county(q, place))
        if qualified:
            out["qualified"] = float(qualified)
        return out

    def _features_of(self, mention: Mention, cands: list[Place], context: DocumentContext,
                     mentions: Sequence[Mention]) -> tuple[list[Place], list[dict[str, float]]]:
        """The qualifiers of a named mention and the features of each of its candidates."""
        qualifiers = self._qualifiers(mention, mentions, context.text)
        if any(p.kind == "country" for p in cands):  # "Russia, U.S. and China" is a list; "Jordan, Minn." is not
            qualifiers = [q for q in qualifiers if q.kind != "country"]
        # A region named after its own main town ("Donetsk", "New York") is the town when named bare; a region
        # whose namesakes are small towns elsewhere ("California", Maryland) is the region.
        towns = {(p.country, p.admin1) for p in cands if p.kind == "city"}
        query = normalize_name(mention.query)
        key = _spelled_out(query)
        own_name = any(p.kind == "city" and _spelled_out(normalize_name(p.name)) == key for p in cands)
        adjust = self._kind_adjustments(mention, cands, qualifiers, mentions, context)
        table = []
        for p in cands:
            f = self.features(p, mention, context, qualifiers, namesake=(p.country, p.admin1) in towns,
                              alias_only=own_name and p.kind == "city" and _spelled_out(normalize_name(p.name)) != key)
            f.update(adjust.get(p.kind, {}))
            table.append(f)
        return qualifiers, table

    def _choose(self, mention: Mention, cands: list[Place], context: DocumentContext,
                mentions: Sequence[Mention]) -> Resolution:
        """The best candidate by the ranker's score; ``mentions`` are those of the mention's sentence."""
        if not cands:
            found = self._online(mention)
            if found.place is None and "named-after" not in self.disabled:
                return self._by_part(mention, context, mentions) or found
            return found
        cands = self._narrowed(mention, cands, context)
        qualifiers, table = self._features_of(mention, cands, context, mentions)
        scores = [self.ranker.score(f) for f in table]
        order = sorted(range(len(cands)), key=scores.__getitem__, reverse=True)
        best = cands[order[0]]
        reason = _what(best) + ("; the only place of that name" if len(cands) == 1 else
                                f"; chosen among {len(cands)} places of that name")
        if len(cands) == 1:
            confidence = 0.95
        else:
            first, second = table[order[0]], table[order[1]]
            confidence = self.ranker.confidence(scores[order[0]] - scores[order[1]])
            why = self.ranker.why(first, second)
            if why:
                rival = cands[order[1]]
                reason += (f", ahead of {rival.name} ({_what(rival)}) for "
                           + ", ".join(f"{FEATURE_WORDS.get(n, n)} ({g:+.1f})" for n, g in why))
        town = _own_town(best, cands) if "area-own-town" not in self.disabled and not mention.feature_hint else None
        if town is not None:
            reason = (f"{_what(town)}, the main town of {best.name} ({_what(best)}) that the ranker chose; named bare, "
                      f"the name is the town's")
            best = town
        by = [q for q in qualifiers if q.country == best.country and (q.kind == "country" or q.admin1 == best.admin1)]
        if by:
            reason += f", qualified by {by[0].name}"
        if mention.source == "facility-rule" and best.kind != "facility":
            if best.kind in {"admin1", "admin2"}:  # the area's own town of that name, if it has one
                best = max((p for p in cands if p.kind == "city" and (p.country, p.admin1) == (best.country, best.admin1)),
                           key=lambda p: p.population, default=best)
            best, reason = _facility_at(mention, best, reason)
        return Resolution(mention, best, confidence, reason, len(cands))

    def _narrowed(self, mention: Mention, cands: list[Place], context: DocumentContext) -> list[Place]:
        """The candidates of the kind the text names ("Donetsk region", "flights at Heathrow")."""
        named_kind = self._named_kind(mention, cands, context) if "named-kind" not in self.disabled else None
        if named_kind:
            return [p for p in cands if p.kind == named_kind]
        return cands

    @staticmethod
    def _named_kind(mention: Mention, cands: Sequence[Place], context: DocumentContext) -> str | None:
        """The kind of place the text names, when some candidates are of it: the mention's hint ("Donetsk
        region" -> admin-1), or an airport when flights, planes or passengers are within 120 characters."""
        kinds = {p.kind for p in cands}
        if mention.feature_hint in kinds:
            return mention.feature_hint
        if "facility" in kinds and AVIATION.search(context.text[max(0, mention.start - 120): mention.end + 120]):
            return "facility"
        return None

    def _kind_adjustments(self, mention: Mention, cands: Sequence[Place], qualifiers: Sequence[Place],
                          mentions: Sequence[Mention], context: DocumentContext) -> dict[str, dict[str, float]]:
        """Features by kind of place, from how the name is used:

        * ``town_like_country``: a town named like a country, region, continent or sea ("Peru", Ind.; the
          "Mexico" of Maine), without a qualifier;
        * ``bare_admin2``: a county named bare, without "County" or "District" ("Cambridge", an Australian local
          government area): a bare name is rarely a county elsewhere;
        * ``list_kind``: a list is of like things: the kind of a name joined by "and"/"or" ("Oregon
          or Idaho": the state; "Chile or Peru": the country; "Lyon and Lille": the town), the kind
          of the other name's likeliest place.
        """
        kinds = {p.kind for p in cands}
        text = context.text
        out: dict[str, dict[str, float]] = {}
        if kinds & {"country", "region", "continent", "sea"} and not qualifiers:
            out["city"] = {"town_like_country": 1.0}
        if "admin2" in kinds and not any(w in ADMIN2_WORDS for w in mention.query.split()):
            out["admin2"] = {"bare_admin2": 1.0}
        for other in mentions:
            if other is mention or other.sentence != mention.sentence:
                continue
            after = other.start >= mention.end
            gap = text[mention.end:other.start] if after else text[other.end:mention.start]
            if not _LIST_JOIN.fullmatch(gap):
                continue
            sibling = context.candidates.get(other)
            if sibling is None:
                sibling = self.gazetteer.candidates(other.query)
            likeliest = max(sibling, key=self.gazetteer.prior) if sibling else None
            kind = likeliest.kind if likeliest else None
            if likeliest is not None and _own_town(likeliest, sibling, by_code=True) is not None:
                kind = "city"  # (an area named after its own main town is that town when named bare)
            if kind in {"country", "admin1", "city"} and kind in kinds and len(kinds) > 1:
                bucket = out.setdefault(kind, {})
                bucket["list_kind"] = bucket.get("list_kind", 0.0) + 1.0
        return out

    def _by_part(self, mention: Mention, context: DocumentContext, mentions: Sequence[Mention]) -> Resolution | None:
        """A name the gazetteer lacks, placed by the known place it is named after, with a wide uncertainty, a
        low confidence and the reason: a county or district near its namesake town ("Orange County"), a
        "X State/City/Province" at X ("Bauchi State", "Leeds City"), a name ending in a country or
        region at it ("Visit Ireland"; not "Soviet Union" at a town called Union), a river, lake, mountain or
        park near the town of its name ("Culiacan River", "Lake Lynchburg")."""
        words = mention.query.split()
        county = _COUNTY.match(mention.query)
        feature = _FEATURE.match(mention.query)
        if county:
            tries = [(county.group("stem"), {"city"})]
        elif feature:  # "Culiacan River", "Lake Lynchburg", "Silverstone Park": by the town it is named after
            tries = [(feature.group("stem") or feature.group("stem2"), {"city"})]
        elif len(words) > 1 and words[-1] in {"State", "Province", "Region", "City"}:
            tries = [(" ".join(words[:-1]), {"admin1", "city"} if words[-1] != "City" else {"city"})]
        else:
            tries = [(" ".join(words[k:]), {"country", "admin1"}) for k in range(1, len(words))]
        for stem, kinds in tries:
            cands = [p for p in self.gazetteer.candidates(stem) if p.kind in kinds]
            if not cands:
                continue
            base = self._choose(replace(mention, query=stem), cands, context, mentions)
            if base.place is None:
                continue
            around = county or feature  # an area around the town, not the town
            place = replace(base.place, place_id=f"{base.place.place_id}:around", name=mention.query,
                            kind="area" if around else base.place.kind, population=0,
                            uncertainty_km=max(base.place.uncertainty_km, 40.0) if around else base.place.uncertainty_km,
                            source=f"{base.place.source} (named after {stem})")
            return Resolution(mention, place, round(base.confidence * 0.5, 3),
                              f"not in the gazetteer; placed at {base.place.name}, which it is named after", 0)
        return None

    def _qualifiers(self, mention: Mention, mentions: Sequence[Mention], text: str) -> list[Place]:
        """Places named right after the mention, as in "Paris, Texas", "Moscow, Idaho" or "Greene County in
        northeast Missouri"; not the next item of a list ("Denver, Chicago and Boston")."""
        out = []
        for other in mentions:
            if other.sentence != mention.sentence or other.start <= mention.end:
                continue
            gap = text[mention.end:other.start]
            comma = other.start - mention.end <= 2 and not gap.strip(" ,")
            if comma and _LIST_GOES_ON.match(text, other.end):
                continue  # "Denver, New York and Boston": "New York" is the next town of the list
            if comma or _IN_AREA.fullmatch(gap):
                out += [p for p in self.gazetteer.candidates(other.query) if p.kind in {"country", "admin1", "admin2"}]
        return out

    def _online(self, mention: Mention) -> Resolution:
        if self.chain is None or len(self.chain.members) <= 1:
            return Resolution(mention, None, 0.0, "not in the offline gazetteer", 0)
        with recording_failures() as failures:
            location = self.chain.geocode(mention.query)
        if isinstance(location, list):
            location = location[0] if location else None
        if location is None:
            reason = "; ".join(f.error for f in failures) if failures else "no geocoder knows this name"
            return Resolution(mention, None, 0.0, reason, 0)
        raw = location.raw or {}
        place = raw.get("place") if isinstance(raw.get("place"), Place) else Place(
            place_id=f"online:{raw.get('osm_type', '')}{raw.get('osm_id', mention.query)}", name=mention.query,
            kind="city", lat=location.latitude, lon=location.longitude, uncertainty_km=5.0,
            source="online geocoder")
        return Resolution(mention, place, 0.6, "found by an online geocoder", 1)

    # -- nominal references --------------------------------------------------------------------
    def _resolve_anaphor(self, mention: Mention, ordered: Sequence[Mention],
                         resolved: dict[Mention, Resolution]) -> Resolution:
        if mention.feature_hint == "facility":
            for up in self.gazetteer.user_places:
                if up.place.name == mention.query:
                    return Resolution(mention, up.place, 0.8, "refers to the facility named in the article", 1)
        cities = [r for m, r in resolved.items() if r.place and r.place.kind == "city" and m.kind is MentionKind.TOPONYM]
        if not cities:
            return Resolution(mention, None, 0.0, "no city named in the article to refer to", 0)
        preceding = [r for r in cities if r.mention.start < mention.start]
        counts = Counter(r.place.place_id for r in cities if r.place)
        if preceding:
            target = preceding[-1]
        else:
            target = max(cities, key=lambda r: counts[r.place.place_id] if r.place else 0)
        return Resolution(mention, target.place, 0.7, "refers to the city named before it", 1)

    def _resolve_direction(self, mention: Mention, context: DocumentContext,
                           resolved: dict[Mention, Resolution] | None = None) -> Resolution:
        """"eastern Ukraine": the part of the area that way. When the story names the same name alone as a town
        ("eastern Aleppo" in a story that has "Aleppo" the city), the phrase is that town's part (one sense per
        discourse): the town's point, with the town's extent as its precision (a town's parts are not mapped)."""
        base: Place | None = None
        if mention.query and mention.direction:
            name = normalize_name(mention.query)
            towns = [r.place for r in (resolved or {}).values() if r.place is not None and r.place.kind == "city"
                     and r.mention.kind is not MentionKind.AREA_PHRASE and normalize_name(r.mention.query) == name]
            if towns:
                town = towns[0]
                adjective = _ADJECTIVE.get(mention.direction, mention.direction.replace("-", "") + "ern")
                place = replace(town, place_id=f"{town.place_id}:{mention.direction}", name=f"{adjective} {town.name}",
                                kind="area", population=0, geometry=None,
                                uncertainty_km=max(5.0, town.uncertainty_km), source=f"{town.source} (part)")
                return Resolution(mention, place, 0.6, f"the {mention.direction} of the town of {town.name}, which "
                                  f"the story names alone", 1)
        if mention.query:
            cands = [p for p in self.gazetteer.candidates(mention.query) if p.geometry is not None]
            cands.sort(key=lambda p: (context.country_share(p.country), self.gazetteer.prior(p)), reverse=True)
            base = cands[0] if cands else None
        elif context.focus_country:
            base = self.gazetteer.country(context.focus_country)
        if base is None or base.geometry is None or not mention.direction:
            return Resolution(mention, None, 0.0, "no area to take a part of", 0)
        key = (base.place_id, mention.direction)
        if key not in self._parts:  # the same "eastern Ukraine" recurs across articles: cut it once
            part = directional_part(base.geometry, mention.direction)
            self._parts[key] = (part, part.representative_point())
        part, point = self._parts[key]
        adjective = _ADJECTIVE.get(mention.direction, mention.direction.replace("-", "") + "ern")
        place = replace(base, place_id=f"{base.place_id}:{mention.direction}", name=f"{adjective} {base.name}",
                        kind="area", lat=point.y, lon=point.x, geometry=part, population=0,
                        source=f"{base.source} (part)")
        confidence = 0.6 if mention.query else 0.5
        return Resolution(mention, place, confidence, f"the {mention.direction} of {base.name}", 1)


_ADJECTIVE = {"north": "northern", "south": "southern", "east": "eastern", "west": "western", "centre": "central"}
_KIND_WORDS = {"city": "a town", "admin1": "a region (admin-1)", "admin2": "a district (admin-2)",
               "country": "a country", "continent": "a continent", "region": "a world region", "sea": "a sea",
               "facility": "a facility", "landmark": "a landmark", "area": "an area"}


#: An area's own town (for ``area-own-town``): at least this share of the area's population.
OWN_TOWN_SHARE = 0.1


def _own_town(area: Place, cands: Sequence[Place], by_code: bool = False) -> Place | None:
    """The biggest town of ``cands`` (the towns of the area's name) in the outline of the admin-1 ``area`` (or on its
    simplified coast) that holds a tenth of its people or more, when the area's code is not the town's; else
    None. Such an area (a province or borough whose code GeoNames' towns do not carry: Barcelona, Rome, Liverpool)
    takes the sum of its towns' populations and had won over its own town; the ranker's ``town_named_area``
    feature sees only areas whose code the town carries (a state named like its main town: New York).
    ``by_code``: a town carrying the area's code counts too (the kind a list's other names are read as)."""
    if area.kind != "admin1" or area.geometry is None:
        return None
    inside = [t for t in cands if t.kind == "city" and t.country == area.country
              and t.population >= OWN_TOWN_SHARE * area.population
              and (by_code and t.admin1 == area.admin1 or t.admin1 != area.admin1
                   and area.geometry.distance(shapely.Point(t.lon, t.lat)) <= 0.05)]
    return max(inside, key=lambda t: t.population, default=None)


def _what(place: Place) -> str:
    """"a town in UA": the kind of place and its country, for a reason a reader reads."""
    return f"{_KIND_WORDS.get(place.kind, place.kind)} in {place.country or 'no country'}"


def _facility_name(mention: Mention) -> str:
    """A facility mention's name without its article: "the Kakhovka dam" -> "Kakhovka dam"."""
    return re.sub(r"^the\s+", "", mention.text, flags=re.IGNORECASE)


def _facility_at(mention: Mention, base: Place, reason: str) -> tuple[Place, str]:
    """A facility the gazetteer lacks, named after ``base`` ("the Kakhovka dam" after Kakhovka): at the town, within
    its extent and at least 10 km (precision "near"), never at the middle of a region named alike when the region
    has a town of that name (``_choose``); at an area's point only when no town in it bears the name."""
    name = _facility_name(mention)
    if base.kind != "city":
        return base, reason + f"; {name}: no town of that name, so only the area is known"
    slug = re.sub(r"\W+", "-", name.lower()).strip("-")
    place = replace(base, place_id=f"{base.place_id}:{slug}", name=name, kind="facility", population=0,
                    capital=False, geometry=None, uncertainty_km=max(10.0, base.uncertainty_km),
                    source=f"{base.source} (named after {base.name})")
    return place, reason + f"; {name} is not in the gazetteer: placed at {base.name}, which it is named after"


#: How far (degrees) a part of an area may lie from its largest part and still be part of its body when a direction
#: is taken: Britain beside the continent is, Réunion for France or Alaska for the United States is not.
CORE_GAP_DEG = 2.0


def core(geometry: shapely.Geometry) -> shapely.Geometry:
    """An area's body: its largest part and the parts within ``CORE_GAP_DEG`` of it (overseas parts dropped)."""
    parts = [q for g in shapely.get_parts(geometry) for q in shapely.get_parts(g) if q.area > 0]  # collections too
    if len(parts) <= 1:
        return geometry
    main = max(parts, key=lambda g: g.area)
    return shapely.union_all([g for g in parts if g is main or g.distance(main) <= CORE_GAP_DEG])


def directional_part(geometry: shapely.Geometry, direction: str) -> shapely.Geometry:
    """The part of an area lying in a direction: the outer 40% of its body's extent that way ("southern France" is
    not its island in the Indian Ocean, "northern United States" not Alaska)."""
    geometry = core(geometry)
    minx, miny, maxx, maxy = geometry.bounds
    w, h = maxx - minx, maxy - miny
    x0, x1, y0, y1 = minx, maxx, miny, maxy
    if "east" in direction:
        x0 = maxx - 0.4 * w
    if "west" in direction:
        x1 = minx + 0.4 * w
    if "north" in direction:
        y0 = maxy - 0.4 * h
    if "south" in direction:
        y1 = miny + 0.4 * h
    if direction == "centre":
        x0, x1, y0, y1 = minx + 0.3 * w, maxx - 0.3 * w, miny + 0.3 * h, maxy - 0.3 * h
    part = shapely.intersection(geometry, shapely.box(x0, y0, x1, y1))
    return part if not part.is_empty else geometry


def focus_country(resolutions: Sequence[Resolution]) -> str | None:
    """The country most of the story's local places (towns, sites, regions) lie in."""
    counts = Counter(r.place.country for r in resolutions if r.place and r.place.country and r.mention.is_scene
                     and r.place.kind in {"city", "facility", "admin1", "area"})
    return counts.most_common(1)[0][0] if counts else None


#: The kinds of place a name nothing places may be put near (a town or site, a county or a region; no country).
_CONTEXT_KINDS = frozenset({"city", "facility", "landmark", "admin2", "admin1"})
#: km of uncertainty of a name placed near its sentence's town, or near the story's town
NEAR_SENTENCE_KM, NEAR_STORY_KM = 50.0, 100.0
#: the source of a place put by context: still a name to add on the Events & places page
BY_CONTEXT = "placed by context"


def _by_context(resolved: dict[Mention, Resolution]) -> dict[Mention, Resolution]:
    """Places for the names nothing placed (no gazetteer entry, nothing it is named after): near the nearest
    town, site or region its sentence names, else near the town the story names most (twice at least), with a
    wide uncertainty and a low confidence; the name stays on the list of places to add."""
    placed = [(m, r.place) for m, r in resolved.items()
              if r.place is not None and r.place.kind in _CONTEXT_KINDS and r.place.source != BY_CONTEXT
              and m.is_scene]
    counts = Counter(p.place_id for _, p in placed)
    main = next((p for m, p in placed if p.place_id == counts.most_common(1)[0][0]), None) \
        if counts and counts.most_common(1)[0][1] >= 2 else None
    out = {}
    for mention, found in resolved.items():
        if found.place is not None or mention.kind not in {MentionKind.TOPONYM, MentionKind.FACILITY}:
            continue
        near = [(abs(m.start - mention.start), p) for m, p in placed if m.sentence == mention.sentence]
        if near:
            anchor, km, where = min(near, key=lambda t: t[0])[1], NEAR_SENTENCE_KM, "the nearest place its sentence names"
        elif main is not None:
            anchor, km, where = main, NEAR_STORY_KM, "the place the story names most"
        else:
            continue
        place = replace(anchor, place_id=f"{anchor.place_id}:near:{normalize_name(mention.query)}",
                        name=mention.query, kind="area", population=0, capital=False, geometry=None,
                        uncertainty_km=max(anchor.uncertainty_km, km), source=BY_CONTEXT)
        out[mention] = Resolution(mention, place, 0.2, f"not in the gazetteer; placed near {anchor.name}, {where} "
                                  f"(within about {km:.0f} km): add it on the Events & places page to place it", 0)
    return out
