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
