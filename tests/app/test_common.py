"""The UI helpers behind the pages (run without a browser)."""

import pytest

from geo.errors import ArticleTooLargeError
from pages.common import analyze


def test_too_large_article_can_be_mapped_in_part():
    big = "Shelling hit Kharkiv on Monday, officials said. " * 30_000  # 1.4 MB
    with pytest.raises(ArticleTooLargeError):
        analyze(big, "big.txt", None, "big")
    head = analyze(big, "big.txt", None, "big-head", max_chars=2_000)
    assert len(head.article.text) <= 2_000 and head.events


def test_a_click_on_a_group_at_one_point_selects_none_of_its_events():
    from types import SimpleNamespace

    from pages.map import clicked_event

    layers = SimpleNamespace(events=[{"id": "x-e001", "lat": 49.2, "lon": 37.3}, {"id": "x-e002", "lat": 49.2, "lon": 37.3},
                                     {"id": "x-e003", "lat": 48.6, "lon": 38.0}])
    group = {"last_object_clicked": {"lat": 49.2, "lng": 37.3}}  # the group's marker stands on their point
    assert clicked_event(group, layers) is None
    assert clicked_event({"last_object_clicked": {"lat": 48.6, "lng": 38.0}}, layers) == "x-e003"  # one alone
    assert clicked_event({"last_object_clicked_tooltip": "Battles · 1 May · X[x-e002]"}, layers) == "x-e002"


def test_counts_and_titles_read_right_in_markdown():
    from pages.common import count, markdown_text

    assert (count(1, "event"), count(0, "place"), count(1200, "sentence")) == ("1 event", "0 places", "1,200 sentences")
    cut = markdown_text("A title with *stars* and a 'quote' that runs on " + "and on " * 12)
    assert len(cut) < 100 and cut.endswith("…") and "\\*stars\\*" in cut and not cut.endswith(" …")


def test_the_timeline_ticks_whole_days_and_leaves_room_for_the_last_days_bar(sample):
    from pages.map import timeline_spec

    spec = timeline_spec(sample.events_gdf).to_dict()
    bars = spec["vconcat"][0] if "vconcat" in spec else spec
    x = bars["encoding"]["x"]
    # walkthrough: a few days' span had ticks every few hours, each labelled with its day ("13 Oct" eight times),
    # and the last day's bar sat outside the chart on a phone
    assert x["axis"]["tickCount"] == {"interval": "day", "step": 1} and x["axis"]["format"] == "%d %b"
    assert x["scale"]["padding"] > 0


def test_the_timeline_is_coloured_as_the_markers_and_carries_their_key(sample):
    from geo.mapview import EVENT_COLORS
    from geo.sides import event_sides, load_sides
    from pages.map import get_pipeline, timeline_spec

    table = load_sides(get_pipeline().settings.sides_path)
    # walkthrough: the map was coloured by side and the chart by type, and the chart had no key
    for color_by in ("side", "type"):
        spec = timeline_spec(sample.events_gdf, color_by=color_by, sides=table).to_dict()
        bars = spec["vconcat"][0] if "vconcat" in spec else spec
        color = bars["encoding"]["color"]
        assert color["legend"]["orient"] == "bottom"
        scale = dict(zip(color["scale"]["domain"], color["scale"]["range"], strict=True))
        if color_by == "side":
            sides = set(event_sides(sample.events_gdf, table))
            assert set(scale) <= sides and len(scale) >= 2
            assert all(scale[s.name] == s.color for s in table if s.name in scale)
        else:
            assert set(scale) <= set(EVENT_COLORS) and all(scale[t] == EVENT_COLORS[t] for t in scale)
