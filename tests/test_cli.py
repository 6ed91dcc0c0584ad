import codecs
import json
import subprocess
import sys

import pytest

import geo.__main__ as cli
from geo.errors import OutputPathError
from tests.conftest import ROOT, SAMPLE

REQUIRED = {"event_id", "event_type", "date_start", "date_end", "time_precision", "place_name", "geo_precision",
            "sentence", "article_id", "confidence"}


def _run(*args):
    return subprocess.run([sys.executable, "-m", "geo", *args], cwd=ROOT, capture_output=True, text=True, timeout=120)


def test_extract_writes_geojson_events_and_places(tmp_path):
    out, places = tmp_path / "events.geojson", tmp_path / "places.geojson"
    result = _run("extract", str(SAMPLE), "--date", "2022-04-19", "--out", str(out), "--places", str(places))
    assert result.returncode == 0, result.stderr
    events = json.loads(out.read_text())
    assert events["type"] == "FeatureCollection" and len(events["features"]) >= 5
    for feature in events["features"]:
        assert REQUIRED <= set(feature["properties"])
        assert feature["geometry"]["type"] == "Point"
    kinds = {f["properties"]["kind"] for f in json.loads(places.read_text())["features"]}
    assert {"city", "facility", "admin1", "country"} <= kinds
    assert sorted(p.name for p in tmp_path.iterdir()) == ["events.geojson", "places.geojson"]  # no temporary file


def test_extract_acled_csv(tmp_path):
    out = tmp_path / "events.csv"
    assert _run("extract", str(SAMPLE), "--date", "2022-04-19", "--out", str(out), "--format", "acled-csv").returncode == 0
    import csv

    rows = list(csv.DictReader(out.open()))
    assert list(rows[0])[:3] == ["event_id_cnty", "event_date", "year"] and "sub_event_type" in rows[0]
    mariupol = [r for r in rows if r["location"] == "Mariupol"]
    assert mariupol and {(r["country"], r["admin1"]) for r in mariupol} == {("Ukraine", "Donetsk")}
    assert {r["time_precision"] for r in rows} <= {"1", "2", "3"}
    shelling = next(r for r in rows if r["sub_event_type"].startswith("Shelling"))
    assert shelling["fatalities"] == "20000"


def test_two_articles_telling_one_event_give_one_event_with_two_sources(tmp_path):
    first, second = tmp_path / "a.txt", tmp_path / "b.txt"
    first.write_text("Russian forces shelled Kharkiv on Monday, officials said.")
    second.write_text("Artillery shelling hit Kharkiv on Monday. Separately, protesters rallied in Lviv on Sunday.")
    out = tmp_path / "events.geojson"
    result = _run("extract", str(first), str(second), "--date", "2022-04-19", "--out", str(out))
    assert result.returncode == 0, result.stderr
    features = [f["properties"] for f in json.loads(out.read_text())["features"]]
    shelling = [f for f in features if f["sub_event_type"].startswith("Shelling")]
    assert len(shelling) == 1 and shelling[0]["n_sources"] == 2
    assert {s["article_id"] for s in json.loads(shelling[0]["sources"])} == {"a", "b"}
    assert any(f["event_type"] == "Protests" for f in features)


def test_map_writes_one_offline_html_file(tmp_path):
    out = tmp_path / "map.html"
    result = _run("map", str(SAMPLE), "--date", "2022-04-19", "--out", str(out))
    assert result.returncode == 0, result.stderr
    html = out.read_text()
    assert [p.name for p in tmp_path.iterdir()] == ["map.html"]
    assert "<script src=\"http" not in html and "<link href=\"http" not in html and "sm-play" in html


def test_bad_input_gets_a_message_not_a_traceback(tmp_path):
    empty = tmp_path / "empty.txt"
    empty.write_text("   ")
    result = _run("extract", str(empty), "--out", str(tmp_path / "x.geojson"))
    assert result.returncode == 2 and "empty" in result.stderr and "Traceback" not in result.stderr
    result = _run("extract", str(tmp_path / "missing.txt"), "--out", str(tmp_path / "x.geojson"))
    assert result.returncode == 2 and "No such file" in result.stderr
    result = _run("extract", str(SAMPLE), "--date", "19/04/2022", "--out", str(tmp_path / "x.geojson"))
    assert result.returncode == 2 and "YYYY-MM-DD" in result.stderr


@pytest.fixture
def no_analysis(monkeypatch):
    """Fails the test if the command gets as far as analysing an article."""
    def analyze(args):
        raise AssertionError("the analysis ran before the arguments were checked")
    monkeypatch.setattr(cli, "_analyze", analyze)


@pytest.mark.parametrize("command", ["extract", "map"])
@pytest.mark.parametrize("date", ["3000-01-01", "0001-01-01", "9999-12-31", "1799-12-31", "2201-01-01"])
def test_out_of_range_date_is_an_argument_error(tmp_path, capsys, no_analysis, command, date):
    with pytest.raises(SystemExit) as exit_info:
        cli.main([command, str(SAMPLE), "--date", date, "--out", str(tmp_path / "out")])
    assert exit_info.value.code == 2
    error = capsys.readouterr().err.strip().splitlines()[-1]
    assert error.startswith("python -m geo") and f"--date: The publication date {date} is out of range" in error
    assert not list(tmp_path.iterdir())


def test_dates_at_the_bounds_give_events_and_a_map(tmp_path):
    article = tmp_path / "a.txt"
    article.write_text("Rebels attacked Kharkiv three decades ago. Last century the city was shelled. Next year "
                       "troops will attack Lviv, and in 30 years the city will be rebuilt. Protesters rallied "
                       "in Odesa last year.")
    for date in ("1800-01-01", "2200-12-31"):
        out, csv, html = tmp_path / "events.geojson", tmp_path / "events.csv", tmp_path / "map.html"
        for args in (("extract", "--out", str(out)), ("extract", "--format", "acled-csv", "--out", str(csv)),
                     ("map", "--out", str(html))):
            result = _run(args[0], str(article), "--date", date, *args[1:])
            assert result.returncode == 0 and "Traceback" not in result.stderr, result.stderr
        assert json.loads(out.read_text())["features"] and csv.read_text() and "sm-play" in html.read_text()


def _bad_output_paths(tmp_path):
    folder = tmp_path / "folder"
    folder.mkdir()
    read_only = tmp_path / "read-only.geojson"
    read_only.write_text("{}")
    read_only.chmod(0o444)
    return {"missing folder": str(tmp_path / "missing" / "x.geojson"), "a folder": str(folder),
            "a read-only file": str(read_only), "a file as folder": str(SAMPLE / "x.geojson")}


@pytest.mark.parametrize("option", ["--out", "--places"])
@pytest.mark.parametrize("case", ["missing folder", "a folder", "a read-only file", "a file as folder"])
def test_bad_output_path_is_refused_before_any_work(tmp_path, capsys, no_analysis, option, case):
    bad = _bad_output_paths(tmp_path)[case]
    out = tmp_path / "events.geojson"
    paths = {"--out": str(out), "--places": str(tmp_path / "places.geojson"), option: bad}
    assert cli.main(["extract", str(SAMPLE), "--out", paths["--out"], "--places", paths["--places"]]) == 2
    error = capsys.readouterr().err
    assert error.startswith(f"error: {option} ") and error.count("\n") == 1
    assert not out.exists() and not (tmp_path / "places.geojson").exists()


@pytest.mark.parametrize("case", ["missing folder", "a folder", "a read-only file"])
def test_bad_map_output_path_is_refused_before_any_work(tmp_path, capsys, no_analysis, case):
    assert cli.main(["map", str(SAMPLE), "--out", _bad_output_paths(tmp_path)[case]]) == 2
    assert capsys.readouterr().err.startswith("error: --out ")


def test_outputs_must_not_overwrite_each_other_or_the_article(tmp_path, capsys, no_analysis):
    same = str(tmp_path / "events.geojson")
    assert cli.main(["extract", str(SAMPLE), "--out", same, "--places", same]) == 2
    assert "same file" in capsys.readouterr().err
    article = tmp_path / "a.txt"
    article.write_text("Russian forces shelled Kharkiv on Monday.")
    assert cli.main(["map", str(article), "--out", str(article)]) == 2
    assert "overwrite the article" in capsys.readouterr().err
    assert article.read_text() == "Russian forces shelled Kharkiv on Monday."


def test_a_failed_write_leaves_every_output_as_it_was(tmp_path):
    first = tmp_path / "events.geojson"
    first.write_text("old")
    with pytest.raises(OutputPathError, match="Could not write"):
        cli._write_all({first: b"new", tmp_path / "gone" / "places.geojson": b"new"})
    assert first.read_text() == "old"
    assert [p.name for p in tmp_path.iterdir()] == ["events.geojson"]


def test_utf16_article_from_notepad_is_mapped(tmp_path):
    article = tmp_path / "notepad.txt"
    article.write_bytes(codecs.BOM_UTF16_LE + "Russian forces shelled Kharkiv on Monday, officials said.\r\n"
                        .encode("utf-16-le"))
    out = tmp_path / "events.geojson"
    result = _run("extract", str(article), "--date", "2022-04-19", "--out", str(out))
    assert result.returncode == 0, result.stderr
    features = json.loads(out.read_text())["features"]
    assert any(f["properties"]["place_name"] == "Kharkiv" for f in features)


def test_workspace_add_list_remove_and_every_export_opens_again(tmp_path):
    import geopandas as gpd
    import pandas as pd

    ws = tmp_path / "team.gpkg"
    lyon = tmp_path / "lyon.txt"
    lyon.write_text("Protesters marched through Lyon on Saturday. Police fired tear gas at the crowd near the city hall.")
    added = _run("workspace", "add", str(ws), str(SAMPLE), str(lyon), "--date", "2022-04-19", "--author", "ann")
    assert added.returncode == 0, added.stderr
    listed = _run("workspace", "list", str(ws))
    assert "2 article(s)" in listed.stdout and "lyon" not in listed.stdout.lower().split("\t")[0]
    lyon_id = next(line.split("\t")[0].strip() for line in listed.stdout.splitlines() if "Lyon" in line)
    n_events = len(gpd.read_file(ws, layer="events"))
    for fmt in ("geojson", "gpkg", "kml", "html", "csv", "png", "gif"):
        out = tmp_path / f"out.{fmt}"
        result = _run("export", str(ws), "--format", fmt, "--out", str(out))
        assert result.returncode == 0, result.stderr
        if fmt == "csv":
            frame = pd.read_csv(out)
            assert list(frame.columns[:2]) == ["event_id_cnty", "event_date"] and "state" in frame.columns
            assert len(frame) <= n_events
        elif fmt == "html":
            assert "leaflet" in out.read_text().lower()
        elif fmt in ("png", "gif"):  # pictures for slides; the GIF has a frame per day with events (two stories)
            from PIL import Image

            events = gpd.read_file(ws, layer="events")
            happened = events[events["event_type"] != "Statement"]
            days = pd.to_datetime(happened["date_start"]).dt.date.nunique()
            with Image.open(out) as picture:
                assert picture.format == fmt.upper() and picture.size[0] >= 900
                assert getattr(picture, "n_frames", 1) == (days if fmt == "gif" else 1)
        else:
            frame = gpd.read_file(out, layer="events" if fmt == "gpkg" else None)
            assert len(frame) == n_events and frame.crs.to_epsg() == 4326
    removed = _run("workspace", "remove", str(ws), lyon_id)
    assert removed.returncode == 0, removed.stderr
    assert "Lyon" not in set(gpd.read_file(ws, layer="events")["sentence"].str.extract(r"(Lyon)")[0].dropna())
    listed = _run("workspace", "restore", str(ws))  # without an id: what can be restored
    assert listed.returncode == 0 and lyon_id in listed.stdout
    back = _run("workspace", "restore", str(ws), lyon_id)
    assert back.returncode == 0 and "Lyon" in set(
        gpd.read_file(ws, layer="events")["sentence"].str.extract(r"(Lyon)")[0].dropna())
    missing = _run("workspace", "remove", str(ws), "no-such-article")
    assert missing.returncode == 2 and "No article 'no-such-article'" in missing.stderr and "Traceback" not in missing.stderr
