import json
import subprocess
import sys

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


def test_extract_acled_csv(tmp_path):
    out = tmp_path / "events.csv"
    assert _run("extract", str(SAMPLE), "--date", "2022-04-19", "--out", str(out), "--format", "acled-csv").returncode == 0
    header = out.read_text().splitlines()[0].split(",")
    assert header[:3] == ["event_id_cnty", "event_date", "year"] and "sub_event_type" in header


def test_map_writes_one_offline_html_file(tmp_path):
    out = tmp_path / "map.html"
    result = _run("map", str(SAMPLE), "--date", "2022-04-19", "--out", str(out))
    assert result.returncode == 0, result.stderr
    html = out.read_text()
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
