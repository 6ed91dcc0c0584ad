from geopy.location import Location

from geo.gazetteer import OfflineGazetteer
from tests.conftest import km


def test_geocode_follows_geopy_contract(pipeline):
    gaz: OfflineGazetteer = pipeline.gazetteer
    loc = gaz.geocode("Mariupol")
    assert isinstance(loc, Location)
    assert km(loc.latitude, loc.longitude, 47.095, 37.541) < 5
    many = gaz.geocode("Moscow", exactly_one=False)
    assert isinstance(many, list) and len(many) > 3
    assert many[0].raw["place"].country == "RU"  # the capital ranks first without context
    assert gaz.geocode("Moscow", country_codes="US").raw["place"].country == "US"
    assert gaz.geocode("Qwxzyville") is None


def test_alternate_names_and_transliterations(pipeline):
    gaz = pipeline.gazetteer
    for name in ("Kiev", "Kyiv", "Kharkov", "Kharkiv"):
        countries = {p.country for p in gaz.candidates(name) if p.kind == "city" and p.population > 1_000_000}
        assert countries == {"UA"}, name


def test_admin1_and_areas_have_polygons(pipeline):
    oblast = [p for p in pipeline.gazetteer.candidates("Donetsk", feature_hint="admin1")]
    assert oblast and oblast[0].kind == "admin1" and oblast[0].country == "UA"
    assert oblast[0].geometry is not None and oblast[0].geometry.contains(
        __import__("shapely").Point(37.541, 47.095))  # Mariupol lies in Donetsk Oblast
    ukraine = pipeline.gazetteer.country("UA")
    assert ukraine is not None and ukraine.is_area


def test_short_upper_case_names_need_exact_case(pipeline):
    gaz = pipeline.gazetteer
    assert [p.country for p in gaz.candidates("U.S.")] == ["US"]
    assert all(p.country != "FR" for p in gaz.candidates("US"))  # not the village of Us, France


def test_user_places_file_adds_azovstal(pipeline):
    places = pipeline.gazetteer.candidates("Azovstal")
    assert places and places[0].kind == "facility"
    assert km(places[0].lat, places[0].lon, 47.10, 37.60) < 3


def test_demonyms(pipeline):
    gaz = pipeline.gazetteer
    assert gaz.place(gaz.demonym_place("Ukrainian")).country == "UA"
    assert gaz.place(gaz.demonym_place("Syrian")).country == "SY"
    assert gaz.place(gaz.demonym_place("European")).kind == "continent"
    assert gaz.place(gaz.demonym_place("Kurdish")).kind == "region"
    assert gaz.demonym_place("ukrainian") is None  # lower case is not a name


def test_uk_nations_are_areas_at_geonames_admin1_level():
    from geo.gazetteer import OfflineGazetteer

    gaz = OfflineGazetteer()
    for name, code in (("Wales", "WLS"), ("Scotland", "SCT"), ("England", "ENG"), ("Northern Ireland", "NIR")):
        best = next(p for p in gaz.candidates(name) if p.kind == "admin1")
        assert (best.country, best.admin1, best.is_area) == ("GB", code, True)
    # on GeoNames' own point, as every admin-1 area (data/geonames_points.csv), not the centre of the outline
    wales = next(p for p in gaz.candidates("Wales") if p.kind == "admin1")
    assert (wales.lat, wales.lon) == (52.5, -3.5)


def test_airport_names_never_shadow_a_town_or_stand_for_every_airport(pipeline):
    gaz = pipeline.gazetteer
    assert not gaz.candidates("International Airport")
    assert {p.kind for p in gaz.candidates("Chongqing")} <= {"city", "admin1"}  # not Wushan Chongqing Airport
    assert "facility" in {p.kind for p in gaz.candidates("Schiphol")}
