import datetime as dt

import pandas as pd

from geo.frames import EVENTS_SCHEMA, PLACES_SCHEMA


def test_frames_follow_their_schemas(sample):
    for frame, schema in ((sample.events_gdf, EVENTS_SCHEMA), (sample.places, PLACES_SCHEMA)):
        assert list(frame.columns) == list(schema)
        assert frame.crs.to_epsg() == 4326
        for column, (dtype, _) in schema.items():
            if column != "geometry":
                assert str(frame[column].dtype) == dtype, column


def test_areas_are_polygons_and_points_are_points(sample):
    places = sample.places.set_index("name")
    assert places.loc["Donetsk", "is_area"] and places.loc["Donetsk"].geometry.geom_type in {"Polygon", "MultiPolygon"}
    assert places.loc["Mariupol"].geometry.geom_type == "Point"
    assert places.loc["Mariupol", "mention_count"] >= 5


def test_empty_frames_keep_their_schema(pipeline):
    from tests.conftest import analyze_text

    analysis = analyze_text(pipeline, "Nothing happened anywhere today.")
    assert list(analysis.events_gdf.columns) == list(EVENTS_SCHEMA) and len(analysis.events_gdf) == 0


def test_statements_are_data_but_not_acled_events(sample):
    from geo.export import to_acled
    from geo.frames import ACLED_EVENT_TYPES, happenings

    frame = sample.events_gdf
    statements = frame[frame["event_type"] == "Statement"]
    assert len(statements) >= 1  # the sample's pledge is kept as data
    assert len(happenings(frame)) == len(frame) - len(statements)
    rows = to_acled(frame)
    assert len(rows) == len(frame) - len(statements)
    assert set(rows["event_type"]) <= ACLED_EVENT_TYPES and "Statement" not in set(rows["disorder_type"].dropna())


def _dated(*spans):
    return pd.DataFrame([{"date_start": pd.Timestamp(a) if a else pd.NaT, "date_end": pd.Timestamp(b),
                          "event_type": t, "sub_event_type": "Armed clash", "place_name": "Here"}
                         for a, b, t in spans])


def test_timeline_counts_days_and_draws_longer_events_as_spans_in_rows_that_never_overlap():
    from geo.frames import daily_counts, event_spans

    events = _dated(("2021-05-03", "2021-05-04", "Battles"), ("2021-05-03", "2021-05-04", "Battles"),
                    ("2021-05-03 14:00", "2021-05-03 15:00", "Riots"),  # an hour: that day
                    (None, "2021-05-06", "Protests"),  # on or before 5 May: the day before the end
                    ("2021-05-01", "2021-05-08", "Battles"),  # a week: a span, not a bar on each day
                    ("2021-05-02", "2021-05-05", "Riots"),  # overlaps the week: another row
                    ("2021-05-09", "2021-05-12", "Riots"))  # after the week ended: back in the first row
    counts = {(str(r.day.date()), r.type): r.events for r in daily_counts(events).itertuples()}
    assert counts == {("2021-05-03", "Battles"): 2, ("2021-05-03", "Riots"): 1, ("2021-05-05", "Protests"): 1}
    spans = event_spans(events)
    assert list(spans["row"]) == [0, 1, 0]
    assert [str(d.date()) for d in spans["last"]] == ["2021-05-07", "2021-05-04", "2021-05-11"]
    crowded = _dated(*[("2021-05-01", "2021-05-09", "Battles")] * 9)
    assert event_spans(crowded, max_rows=6)["row"].max() == 5  # the rest share the last row


def test_date_labels_say_a_day_an_hour_a_span_or_an_open_bound():
    from geo.frames import date_labels

    events = pd.DataFrame([
        {"date_start": pd.Timestamp("2021-05-03"), "date_end": pd.Timestamp("2021-05-04"), "time_precision": "day"},
        {"date_start": pd.Timestamp("2021-05-03 14:00"), "date_end": pd.Timestamp("2021-05-03 15:00"),
         "time_precision": "hour"},
        {"date_start": pd.Timestamp("2021-05-01"), "date_end": pd.Timestamp("2021-06-01"), "time_precision": "month"},
        {"date_start": pd.NaT, "date_end": pd.Timestamp("2021-05-06"), "time_precision": "day"},
        {"date_start": pd.Timestamp("2021-05-07 18:00"), "date_end": pd.Timestamp("2021-05-07 22:00"),
         "time_precision": "hour"},  # an evening: the story's own hours, not UTC
    ])
    assert list(date_labels(events)) == ["2021-05-03", "2021-05-03 14:00 UTC", "2021-05-01 – 2021-05-31",
                                         "≤ 2021-05-05", "2021-05-07 evening"]


def test_a_part_of_the_day_reads_as_one_in_the_popup():
    from geo.mapview import _fmt_interval
    from geo.timex import TimeTagger

    found = TimeTagger().tag_text("The village was shelled on Sunday night.", dt.date(2021, 5, 10))
    assert [t.text for t in found] == ["Sunday night"]
    row = pd.Series({"date_start": found[0].interval_start, "date_end": found[0].interval_end,
                     "time_precision": found[0].precision.value})
    assert _fmt_interval(row) == "2021-05-09 night (20:00–24:00 local time)"
