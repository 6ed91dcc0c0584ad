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
