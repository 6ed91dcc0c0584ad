"""The offline gazetteer: a geopy ``Geocoder`` over the derived SQLite index, plus user places.

``OfflineGazetteer.geocode`` keeps geopy's contract (returns ``geopy.location.Location`` or a
list of them); ``candidates`` gives the resolver every entry of a name as ``Place`` records.
"""

from __future__ import annotations

import csv
import json
import logging
import sqlite3
import threading
from collections.abc import Iterable
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

import shapely
from geopy.geocoders.base import Geocoder
from geopy.location import Location
from shapely.geometry import shape
from shapely.geometry.base import BaseGeometry

from geo.errors import DataNotBuiltError
from geo.model import Place
from geo.names import normalize_name
from geo.settings import Settings

log = logging.getLogger(__name__)

#: Prior weight of each kind when a name is ambiguous and the text gives no other clue.
KIND_PRIOR = {"sea": 1.6, "continent": 1.0, "country": 1.0, "region": 0.9, "admin1": 0.35, "admin2": 0.3, "facility": 0.9, "landmark": 0.9,
              "city": 0.0}
# A bare "Donetsk" is the city; "Donetsk region" carries a hint that adds the resolver's +2 for admin-1.


#: Where each kind of gazetteer place comes from (see geo/build_data.py).
SOURCES = {"city": "GeoNames", "admin2": "GeoNames", "continent": "GeoNames", "facility": "OurAirports",
           "sea": "data/water.csv", "region": "data/regions.csv over Natural Earth"}


@dataclass(frozen=True)
class UserPlace:
    place: Place
    names: tuple[str, ...]
    anaphors: tuple[str, ...]
    within: str


def load_user_places(paths: Iterable[Path]) -> list[UserPlace]:
    """Read user places files (CSV with name, alternate_names, kind, lat, lon... or GeoJSON)."""
    places: list[UserPlace] = []
    for path in paths:
        if not path.exists():
            log.warning("user places file %s does not exist", path)
            continue
        rows: list[dict[str, object]]
        geometries: list[BaseGeometry | None]
        if path.suffix.lower() in {".geojson", ".json"}:
            features = json.loads(path.read_text(encoding="utf-8"))["features"]
            rows = [dict(f["properties"]) for f in features]
            geometries = [shape(f["geometry"]) for f in features]
            for row, geom in zip(rows, geometries, strict=True):
                point = geom.representative_point()
                row.setdefault("lat", point.y)
                row.setdefault("lon", point.x)
        else:
            rows = list(csv.DictReader(path.open(encoding="utf-8")))
            geometries = [None] * len(rows)
        for i, (row, geom) in enumerate(zip(rows, geometries, strict=True)):
            name = str(row["name"])
            alternates = [n for n in str(row.get("alternate_names") or "").split("|") if n]
            kind = str(row.get("kind") or "facility")
            place = Place(
                place_id=f"user:{path.stem}:{i}",
                name=name,
                kind=kind,
                lat=float(row["lat"]),  # type: ignore[arg-type]
                lon=float(row["lon"]),  # type: ignore[arg-type]
                country=str(row.get("country") or "") or None,
                admin1=str(row.get("admin1") or "") or None,
                geometry=geom if geom is not None and geom.geom_type != "Point" else None,
                uncertainty_km=float(row.get("uncertainty_km") or 0.5),  # type: ignore[arg-type]
                source=f"user places ({path.name})",
            )
            anaphors = tuple(a for a in str(row.get("anaphors") or "").split("|") if a)
            places.append(UserPlace(place, (name, *alternates), anaphors, str(row.get("within") or "")))
    return places


class OfflineGazetteer(Geocoder):
    """GeoNames + Natural Earth + user places, offline, behind geopy's Geocoder interface."""

    def __init__(self, settings: Settings | None = None) -> None:
        super().__init__(user_agent="situation-map-offline")
        self.settings = settings or Settings.from_env()
        path = self.settings.gazetteer_path
        if not path.exists():
            raise DataNotBuiltError(f"The offline gazetteer {path} is missing. Run `make data` to build it.")
        self._db = sqlite3.connect(f"file:{path}?mode=ro", uri=True, check_same_thread=False)
        self._db.row_factory = sqlite3.Row
        self._lock = threading.Lock()
        self._timezones: dict[str, str | None] = {}
        self._countries: dict[str, Place | None] = {}  # ISO code -> country, as asked
        self.user_places = load_user_places(self.settings.data_dir / p for p in self.settings.user_places)
        self._user_index: dict[str, list[UserPlace]] = {}
        for up in self.user_places:
            for name in up.names:
                self._user_index.setdefault(normalize_name(name), []).append(up)
        self._lookup = lru_cache(maxsize=50_000)(self._lookup_uncached)
        self._area = lru_cache(maxsize=2_000)(self._area_uncached)

    # -- geopy interface -------------------------------------------------------------------
    def geocode(self, query: str, *, exactly_one: bool = True, timeout: float | None = None,
                country_codes: str | list[str] | None = None, featuretype: str | None = None
                ) -> Location | list[Location] | None:
        """Same contract as geopy geocoders: best Location (or all, best first), None if unknown."""
        del timeout  # offline: never waits
        places = self.candidates(query, feature_hint=featuretype)
        if country_codes:
            wanted = {country_codes.upper()} if isinstance(country_codes, str) else {c.upper() for c in country_codes}
            places = [p for p in places if (p.country or "") in wanted]
        if not places:
            return None
        locations = [self.to_location(p) for p in sorted(places, key=self.prior, reverse=True)]
        return locations[0] if exactly_one else locations

    def reverse(self, query: object, *, exactly_one: bool = True, timeout: float | None = None) -> None:
        raise NotImplementedError("The offline gazetteer does not reverse-geocode.")

    @staticmethod
    def to_location(place: Place) -> Location:
        address = ", ".join(x for x in (place.name, place.admin1 or "", place.country or "") if x)
        return Location(address, (place.lat, place.lon), {"place": place, "kind": place.kind,
                                                          "geonameid": place.geonameid})

    # -- lookups used by the recogniser and the resolver ------------------------------------
    @staticmethod
    def prior(place: Place) -> float:
        import math

        pop = math.log10(place.population + 10) / 8.0
        return KIND_PRIOR.get(place.kind, 0.0) + pop

    def lookup_rows(self, text: str) -> tuple[sqlite3.Row, ...]:
        """Gazetteer rows whose name matches ``text`` (short all-caps names only in that exact case)."""
        rows = self._lookup(normalize_name(text))
        stripped = text.replace(".", "")
        out = []
        for row in rows:
            if row["exact"].endswith(".") and not text.endswith(".") and not row["exact"].replace(".", "").isupper():
                continue  # "Mass." is Massachusetts, "Mass" is not (but "US" is "U.S.")
            exact = row["exact"].replace(".", "")
            if row["case_sensitive"] and exact != stripped:
                continue
            if not row["case_sensitive"] and len(stripped) <= 3 and exact != stripped:
                continue
            out.append(row)
        return tuple(out)

    def user_matches(self, text: str) -> list[UserPlace]:
        return self._user_index.get(normalize_name(text), [])

    def candidates(self, text: str, feature_hint: str | None = None) -> list[Place]:
        places: dict[str, Place] = {}
        for up in self.user_matches(text):
            places[up.place.place_id] = up.place
        for row in self.lookup_rows(text):
            place = self._row_to_place(row)
            places.setdefault(place.place_id, place)
        result = list(places.values())
        if feature_hint:
            hinted = [p for p in result if p.kind == feature_hint]
            result = hinted or result
        return result

    def demonym_place(self, text: str) -> str | None:
        """The place id a demonym names ("Ukrainian" -> Ukraine, "European" -> Europe), if any."""
        if not text[:1].isupper():
            return None
        with self._lock:
            row = self._db.execute("SELECT pid FROM demonyms WHERE norm=?", (normalize_name(text),)).fetchone()
        return f"gaz:{row['pid']}" if row else None

    def place(self, place_id: str) -> Place | None:
        """A gazetteer place by its id ("gaz:<pid>" or a user place id)."""
        for up in self.user_places:
            if up.place.place_id == place_id:
                return up.place
        if not place_id.startswith("gaz:"):
            return None
        with self._lock:
            row = self._db.execute("SELECT *, name AS exact, 0 AS case_sensitive FROM places WHERE pid=?",
                                   (int(place_id[4:]),)).fetchone()
        return self._row_to_place(row) if row else None

    def country(self, iso: str) -> Place | None:
        """The country of an ISO code (read once for every country: an unindexed look-up cost ~20 ms each, and
        every event asks for its country's name)."""
        if not self._countries:  # all at once: one scan of the table, not one per country asked
            with self._lock:
                rows = self._db.execute("SELECT *, name AS exact, 0 AS case_sensitive FROM places "
                                        "WHERE kind='country'").fetchall()
            self._countries.update({r["code"]: self._row_to_place(r) for r in rows if r["code"]} or {"": None})
        return self._countries.get(iso)

    def _by_code(self, kind: str, code: str) -> Place | None:
        with self._lock:
            row = self._db.execute(
                "SELECT *, name AS exact, 0 AS case_sensitive FROM places WHERE kind=? AND code=?", (kind, code)
            ).fetchone()
        return self._row_to_place(row) if row else None

    def admin1_areas(self, country: str) -> list[Place]:
        with self._lock:
            rows = self._db.execute("SELECT *, name AS exact, 0 AS case_sensitive FROM places "
                                    "WHERE kind='admin1' AND country=? AND has_area=1", (country,)).fetchall()
        return [self._row_to_place(r) for r in rows]

    def timezone_of(self, country: str) -> str | None:
        """IANA time zone of a country's largest town (GeoNames); remembered per country."""
        if not self._timezones:  # every country's at once: one scan, not one unindexed scan per country
            zones: dict[str, str | None] = {}
            with self._lock:
                for code, zone in self._db.execute("SELECT country, timezone FROM places WHERE kind='city' "
                                                   "ORDER BY population DESC"):
                    if code and code not in zones:
                        zones[code] = str(zone) if zone else None
            self._timezones.update(zones or {"": None})
        return self._timezones.get(country)

    def cities_in(self, south: float, west: float, north: float, east: float, min_population: int) -> list[Place]:
        """Populated places in a box, largest first (for basemap labels)."""
        with self._lock:
            rows = self._db.execute(
                "SELECT *, name AS exact, 0 AS case_sensitive FROM places WHERE kind='city' AND lat BETWEEN ? AND ? "
                "AND lon BETWEEN ? AND ? AND population >= ? ORDER BY population DESC LIMIT 60",
                (south, north, west, east, min_population),
            ).fetchall()
        return [self._row_to_place(r) for r in rows]

    def _lookup_uncached(self, norm: str) -> tuple[sqlite3.Row, ...]:
        with self._lock:
            return tuple(
                self._db.execute(
                    "SELECT p.*, n.exact, n.case_sensitive FROM names n JOIN places p USING(pid) WHERE n.norm=?",
                    (norm,),
                ).fetchall()
            )

    def _area_uncached(self, pid: int) -> BaseGeometry | None:
        with self._lock:
            row = self._db.execute("SELECT wkb FROM areas WHERE pid=?", (pid,)).fetchone()
        return shapely.from_wkb(row[0]) if row else None

    def _row_to_place(self, row: sqlite3.Row) -> Place:
        kind = row["kind"]
        geometry = self._area(row["pid"]) if row["has_area"] else None
        population = int(row["population"] or 0)
        uncertainty = 0.0
        if kind == "city":
            # A town's extent grows roughly with the square root of its population.
            uncertainty = round(min(25.0, 1.0 + (population / 4000.0) ** 0.5 * 0.6), 1)
        elif kind == "admin2":
            uncertainty = 30.0  # a county or district drawn as its middle point: no polygon at this level
        elif kind == "facility":
            uncertainty = 3.0  # an airport: its reference point, within its grounds
        return Place(
            place_id=f"gaz:{row['pid']}",
            name=row["name"],
            kind=kind,
            lat=float(row["lat"]),
            lon=float(row["lon"]),
            country=row["country"],
            admin1=row["admin1"],
            geonameid=row["geonameid"],
            population=population,
            capital=bool(row["capital"]),
            geometry=geometry,
            uncertainty_km=uncertainty,
            source=SOURCES.get(kind, "Natural Earth"),
        )
