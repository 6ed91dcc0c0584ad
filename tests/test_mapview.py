import json
import re

from geo.mapview import EVENT_COLORS, event_records, events_layer, safe_html, standalone_map, timeline_days
from tests.conftest import analyze_text

HOSTILE = ('Shelling hit Kharkiv on Monday. <script>window.__pwned=1</script> '
           '<img src=x onerror="window.__pwned=2"> `${window.__pwned=3}` \\ officials said.')


def test_safe_html_escapes_markup_and_template_literals():
    out = safe_html('<script>alert(1)</script> `${x}` \\ "q"')
    assert "<" not in out and "`" not in out and "$" not in out and "\\" not in out and '"' not in out


def test_standalone_map_is_self_contained(sample, pipeline):
    html = standalone_map(sample.places, sample.events_gdf, pipeline.gazetteer, pipeline.settings).get_root().render()
    external = re.findall(r'<(?:script|link)[^>]+(?:src|href)="(https?:[^"]+)"', html)
    assert external == []
    assert "L.map(" in html and "sm-play" in html
    # The only online resource is the optional tile layer, off until ticked in the layer control.
    assert html.count("tile.openstreetmap.org") == 1


def test_hostile_text_never_reaches_the_map_unescaped(pipeline):
    analysis = analyze_text(pipeline, HOSTILE)
    assert analysis.events, "the shelling is an event"
    html = standalone_map(analysis.places, analysis.events_gdf, pipeline.gazetteer,
                          pipeline.settings).get_root().render()
    assert "<script>window.__pwned" not in html and "onerror=\"window" not in html and "${window" not in html


def test_event_records_one_per_event_with_its_colour_and_escaped_text(sample):
    records = event_records(sample.events_gdf)
    assert [r["id"] for r in records] == list(sample.events_gdf["event_id"])
    assert {r["color"] for r in records} <= set(EVENT_COLORS.values())
    assert all("<" not in field for r in records for field in r["p"])  # every popup field is escaped text
    layer = events_layer(sample.events_gdf.iloc[:3], selected=records[0]["id"])
    script = list(layer._children.values())[0]
    assert script.ids_json == json.dumps([r["id"] for r in records[:3]], separators=(",", ":"))
    assert script.color_by_json == '"side"' and events_layer(sample.events_gdf, color_by="nonsense")


def test_markers_say_the_side_by_colour_and_the_type_by_shape(sample, pipeline):
    from geo.mapview import EVENT_SHAPES, SHAPE_PATHS, prepare_base_layers
    from geo.sides import load_sides

    table = load_sides(pipeline.settings.sides_path)
    records = {r["id"]: r for r in event_records(sample.events_gdf, table)}
    for _, row in sample.events_gdf.iterrows():
        record = records[row["event_id"]]
        assert record["shape"] == EVENT_SHAPES[row["event_type"]] and record["shape"] in SHAPE_PATHS
        if "Russian" in (row["actor1"] or ""):
            assert record["side"] == "Russian forces" and record["scolor"] == table[2].color
    # events at one place share its point (the map groups them), not a ring of made-up points around it
    at_mariupol = [r for r in records.values() if r["p"][5] == "Mariupol"]
    assert len(at_mariupol) >= 3 and len({(r["lat"], r["lon"]) for r in at_mariupol}) == 1
    layers = prepare_base_layers(sample.places, sample.events_gdf, pipeline.gazetteer, pipeline.settings)
    assert ("Russian forces", table[2].color) in layers.sides and layers.sides[-1][0] == "Side not stated"


def test_script_json_cannot_close_the_script_element():
    from geo.mapview import _json_for_script

    out = _json_for_script({"x": "</script><script>alert(1)</script>"})
    assert "</script" not in out and "<" not in out


def test_timeline_covers_every_event(sample):
    days = timeline_days(sample.events_gdf)
    assert days[0] <= "2022-04-06" and days[-1] == "2022-04-19"


def test_event_stores_are_pruned_when_unused_and_an_active_one_is_kept_or_written_again(tmp_path):
    import os
    import time

    from geo.mapview import ensure_event_store, prune_event_stores, write_event_store

    records = [{"id": "a-e001", "lat": 1.0, "lon": 2.0}]
    name = write_event_store(records, tmp_path)
    old = tmp_path / "events-0000000000000000.json"
    old.write_text("{}")
    os.utime(old, (time.time() - 7 * 3600,) * 2)
    assert prune_event_stores(tmp_path) == 1 and not old.exists() and (tmp_path / name).exists()
    for k in range(70):  # a busy hosted app: only the newest 64 stay
        (tmp_path / f"events-{k:016d}.json").write_text("{}")
    prune_event_stores(tmp_path, keep={name})
    assert len(list(tmp_path.glob("events-*.json"))) == 64
    (tmp_path / name).unlink()  # pruned while a session still shows it: written again on its next rerun
    ensure_event_store(name, records, tmp_path)
    assert (tmp_path / name).read_text(encoding="utf-8").startswith('{"events":{"a-e001"')


def test_popup_fields_carry_the_why_escaped_and_empty_where_a_workspace_has_none(sample):
    import pandas as pd

    from geo.frames import events_frame
    from geo.mapview import popup_fields

    row = events_frame(sample.events).iloc[0].copy()
    assert popup_fields(row)[15:18] == [safe_html(row[c]) for c in ("why_typed", "why_placed", "why_dated")]
    assert all(popup_fields(row)[15:18])
    row["why_placed"] = "<img src=x onerror=alert(1)>"
    row["why_dated"] = pd.NA
    fields = popup_fields(row)
    assert "<img" not in fields[16] and "&lt;img" in fields[16] and fields[17] == ""
    assert fields[18] == ""  # some reasons: nothing to say
    row["why_typed"] = row["why_placed"] = pd.NA  # a workspace from before the reasons were kept
    assert popup_fields(row)[18] == "1"
    row["origin"] = "person"  # a person's own event has no machine reasons
    assert popup_fields(row)[18] == ""


def test_a_sentence_that_holds_a_quotation_is_quoted_once_in_popups_and_slides(pipeline):
    from geo.mapview import in_quotes, story_steps

    assert in_quotes("“We will rebuild,” the mayor said.") == "“‘We will rebuild,’ the mayor said.”"
    assert in_quotes('He said "no" twice.') == "“He said ‘no’ twice.”"
    assert in_quotes("<b>Bold</b> text.") == "“&lt;b&gt;Bold&lt;/b&gt; text.”"
    analysis = analyze_text(pipeline, "“It was terrible,” a witness said after troops shelled the market in Kharkiv "
                                      "on Monday.")
    assert analysis.events
    records, steps = event_records(analysis.events_gdf), story_steps(analysis.events_gdf)
    for sentence in [r["p"][12] for r in records] + [s["sentence"] for s in steps]:
        assert sentence.startswith("“‘It was terrible,’ a witness") and "““" not in sentence, sentence



def test_the_names_of_the_articles_towns_start_past_a_group_count(sample, pipeline):
    html = standalone_map(sample.places, sample.events_gdf, pipeline.gazetteer, pipeline.settings).get_root().render()
    labels = re.findall(r'"html": "\\u003cdiv class=\\"([a-z -]+)\\"\\u003e([^\\]+)\\u003c/div\\u003e",\s*'
                        r'"iconSize": \[\d+, \d+\],\s*"iconAnchor": \[(-?\d+), \d+\]', html)
    anchor = {name: (css, -int(x)) for css, name, x in labels}
    # walkthrough: the "7" of Mariupol's group (a circle 34 px across, on the town) covered the start of its name
    assert anchor["Mariupol"][0] == "sm-label sm-strong" and anchor["Mariupol"][1] > 34 / 2
    assert anchor["Pokrovsk"] == ("sm-label", 4)  # a town of the map only: its name close to its point


def test_areas_are_drawn_largest_first_so_a_smaller_one_inside_can_be_pointed_at(sample):
    import shapely

    from geo.mapview import area_shapes

    shapes = area_shapes(sample.places)
    sizes = [shapely.geometry.shape(geometry).area for _, geometry, _ in shapes]
    # walkthrough: pointing anywhere in the Donetsk region told "eastern Ukraine", drawn over it
    assert len(sizes) >= 2 and sizes == sorted(sizes, reverse=True)


def test_an_area_no_sentence_names_says_so_and_shows_no_confidence(sample):
    from geo.mapview import area_shapes

    places = sample.places[sample.places["is_area"]].copy()
    places["confidence"] = places["confidence"].astype("float64")
    places.loc[places.index[0], ["mentions", "confidence"]] = ["", float("nan")]  # (an event placed there by hand)
    tips = [tip for _, _, tip in area_shapes(places)]
    assert any("not named in the text" in t for t in tips)
    assert not any("admin1" in t for t in tips)  # (a reader's word: "region")
    # walkthrough: its box said "confidence nan"
    assert not any("nan" in t for t in tips) and sum("confidence 0." in t or "confidence 1." in t for t in tips) \
        == len(tips) - 1


def test_an_areas_coast_keeps_the_base_maps_precision_where_the_map_is_drawn_in_detail(sample, pipeline):
    import shapely

    from geo.mapview import area_shapes, clip_box, view_bounds

    detail = clip_box(view_bounds(sample.places, sample.events_gdf))
    drawn = {tip.split("</b>")[0][3:]: shapely.geometry.shape(g)
             for _, g, tip in area_shapes(sample.places, detail.buffer(10), detail)}
    ukraine = sample.places[sample.places["name"] == "Ukraine"].geometry.iloc[0]
    # walkthrough: simplified by the whole country's extent, its coast ran ~7 km out into the Sea of Azov
    assert drawn["Ukraine"].intersection(detail).hausdorff_distance(ukraine.intersection(detail)) < 0.02
    assert shapely.get_num_coordinates(drawn["Ukraine"]) < shapely.get_num_coordinates(ukraine)  # still simplified


def test_admin_lines_are_drawn_only_where_two_areas_meet(pipeline):
    import shapely

    from geo.mapview import admin_lines_geojson

    box = shapely.box(33, 45, 41, 50)  # around the Sea of Azov
    areas = {p.name: p.geometry for p in pipeline.gazetteer.admin1_areas("UA") if p.geometry is not None}
    lines = admin_lines_geojson(pipeline.gazetteer, ["UA"], box)["features"]
    assert lines
    for feature in lines:
        others = shapely.union_all([g for n, g in areas.items() if n != feature["properties"]["name"]])
        for x, y in shapely.get_coordinates(shapely.geometry.shape(feature["geometry"])):
            # (a coast, met by no other area, is the base map's to draw: the admin data's coarse one cut the sea)
            assert others.distance(shapely.Point(x, y)) < 0.05, (feature["properties"]["name"], x, y)


def test_view_zoom_is_the_largest_zoom_at_which_the_bounds_fit():
    from geo.mapview import view_zoom
    assert view_zoom((-85, -180, 85, 180), 480, 560) == 0  # the world fits only at zoom 0 in 480 px
    region = view_zoom((46.0, 36.0, 48.5, 39.0), 480, 560)  # ~3 degrees across: a region
    town = view_zoom((47.05, 37.5, 47.15, 37.65), 480, 560)  # a town
    assert 5 <= region < town <= 13
    assert view_zoom((46.0, 36.0, 48.5, 39.0), 960, 1120) == region + 1  # twice the pixels: one zoom closer
    assert view_zoom((10, 10, 10, 10)) == 18  # a point: the closest zoom
