import contextlib
import http.server
import threading
import time

import pytest
import shapely

from geo.resolve import BY_CONTEXT, GeocoderChain, Resolver, core, directional_part, recording_failures
from geo.settings import Settings
from tests.conftest import analyze_text, km


def _place(analysis, text):
    found = [r for r in analysis.resolutions if r.mention.text == text and r.place is not None]
    assert found, f"{text!r} was not resolved"
    return found[0].place


def test_sample_places_are_right(sample):
    mariupol = _place(sample, "Mariupol")
    assert km(mariupol.lat, mariupol.lon, 47.095, 37.541) < 5
    azovstal = _place(sample, "Azovstal Iron and Steel Works")
    assert km(azovstal.lat, azovstal.lon, 47.10, 37.60) < 3
    assert km(azovstal.lat, azovstal.lon, mariupol.lat, mariupol.lon) > 3  # not the city centre
    oblast = _place(sample, "Donetsk region")
    assert (oblast.kind, oblast.country, oblast.is_area) == ("admin1", "UA", True)
    moscow = _place(sample, "Moscow")
    assert moscow.country == "RU" and km(moscow.lat, moscow.lon, 55.752, 37.618) < 10
    for name, code in (("Russia", "RU"), ("Ukraine", "UA"), ("U.S.", "US")):
        place = _place(sample, name)
        assert place.kind == "country" and place.country == code and place.is_area
    assert _place(sample, "Europe").kind == "continent"


def test_context_picks_donetsk_in_ukraine(pipeline):
    analysis = analyze_text(pipeline, "Shelling hit Kramatorsk and Sloviansk. Later, explosions shook Donetsk.")
    donetsk = _place(analysis, "Donetsk")
    assert donetsk.country == "UA" and km(donetsk.lat, donetsk.lon, 48.023, 37.802) < 10


def test_qualifier_picks_paris_texas(pipeline):
    analysis = analyze_text(pipeline, "A tornado struck Paris, Texas on Monday, officials said.")
    paris = _place(analysis, "Paris")
    assert paris.country == "US" and paris.admin1 == "TX"


def test_unknown_name_is_kept_and_flagged(pipeline):
    analysis = analyze_text(pipeline, "Fighting continued in the Qwerbinsk region and in Kharkiv on Monday.")
    assert _place(analysis, "Kharkiv").country == "UA"  # one unknown name never drops the others
    unknown = [r for r in analysis.resolutions if "Qwerbinsk" in r.mention.text]
    # kept, placed only near the town its sentence names (placed-by-context), and still flagged as a place to add
    assert unknown and unknown[0].place.source == BY_CONTEXT and "placed near Kharkiv" in unknown[0].reason
    assert unknown[0] in analysis.unresolved and any("Qwerbinsk" in w for w in analysis.warnings)


def test_directional_part_is_inside_and_east():
    square = shapely.box(0, 0, 10, 10)
    east = directional_part(square, "east")
    assert square.contains(east) and east.bounds[0] == pytest.approx(6.0)


@contextlib.contextmanager
def local_server(handler: type[http.server.BaseHTTPRequestHandler]):
    """A local HTTP server standing in for an online geocoder (tests never use the network)."""
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    try:
        yield server
    finally:
        server.shutdown()


def _online_settings(server, **extra) -> Settings:
    return Settings(online_geocoder="nominatim", nominatim_domain=f"127.0.0.1:{server.server_port}",
                    nominatim_scheme="http", online_min_delay=0.0, **extra)


class _SlowHandler(http.server.BaseHTTPRequestHandler):
    def do_GET(self):  # noqa: N802
        time.sleep(2)
        self.send_response(200)
        self.end_headers()
        self.wfile.write(b"[]")

    def log_message(self, *args):
        pass


def test_timed_out_online_geocoder_does_not_lose_the_others(tmp_path):
    from geo.gazetteer import OfflineGazetteer
    from geo.resolve import PersistentGeocodeCache, online_members

    with local_server(_SlowHandler) as server:
        settings = _online_settings(server, online_timeout=0.3)
        gaz = OfflineGazetteer(settings)
        (name, member), = online_members(settings)
        member = PersistentGeocodeCache(member.geocode_func, tmp_path / "cache.sqlite", "nominatim")
        chain = GeocoderChain([("offline gazetteer", gaz.geocode), (name, member)])
        with recording_failures() as failures:
            assert chain.geocode("Qwerbinsk") is None
        assert failures and "timed out" in failures[0].error
        assert chain.geocode("Mariupol") is not None  # the offline answer still comes first


class _NominatimHandler(http.server.BaseHTTPRequestHandler):
    def do_GET(self):  # noqa: N802
        body = b'[{"place_id": 1, "osm_type": "node", "osm_id": 42, "lat": "47.5", "lon": "35.1", "display_name": "Qwerbinsk, Ukraine", "type": "village"}]'
        self.send_response(200)
        self.send_header("Content-Type", "application/json")
        self.end_headers()
        self.wfile.write(body)

    def log_message(self, *args):
        pass


def test_online_provider_fills_gaps_and_is_cached(tmp_path):
    from geo.gazetteer import OfflineGazetteer
    from geo.ingest import load_article
    from geo.mentions import ToponymRecognizer
    from geo.nlp import load_pipeline
    from geo.resolve import PersistentGeocodeCache, online_members

    with local_server(_NominatimHandler) as server:
        settings = _online_settings(server)
        gaz = OfflineGazetteer(settings)
        (name, member), = online_members(settings)
        member = PersistentGeocodeCache(member.geocode_func, tmp_path / "cache.sqlite", "nominatim")
        chain = GeocoderChain([("offline gazetteer", gaz.geocode), (name, member)])
        article = load_article("Fighting continued in the Qwerbinsk region on Monday.")
        mentions = ToponymRecognizer(gaz, load_pipeline(settings.spacy_model)).recognize(article)
        resolutions = Resolver(gaz, chain).resolve(article, mentions)
        placed = [r for r in resolutions if r.place is not None]
        assert placed and placed[0].place.source == "online geocoder"
        assert km(placed[0].place.lat, placed[0].place.lon, 47.5, 35.1) < 1
    # The answer is cached on disk: with the server gone it still comes back.
    assert member("Qwerbinsk") is not None


def test_shared_demonym_goes_to_the_most_populous_country(pipeline):
    a = analyze_text(pipeline, "American officials met their Central American counterparts.")
    assert _place(a, "American").country == "US"
    assert _place(a, "Central American").name == "Central America"


def test_region_named_like_small_towns_elsewhere_is_the_region_but_a_namesake_capital_is_the_town(pipeline):
    a = analyze_text(pipeline, "Wildfires spread across California. In Donetsk, shelling went on.")
    assert _place(a, "California").kind == "admin1"
    assert _place(a, "Donetsk").kind == "city"  # Donetsk Oblast is named after it
    b = analyze_text(pipeline, "Officials in Washington said the talks would go on.")
    washington = _place(b, "Washington")
    assert washington.kind == "city" and km(washington.lat, washington.lon, 38.895, -77.036) < 20


def test_english_county_is_the_county_not_a_town_abroad_bearing_its_name_as_an_alternate(pipeline):
    # Natural Earth's English counties are GeoNames' admin-2 level: their towns carry no code of theirs, so the
    # county had no population and lost to a small American town holding the county's name as an alternate one.
    a = analyze_text(pipeline, "Heavy snow closed schools across Cumbria on Tuesday, the council said.")
    cumbria = _place(a, "Cumbria")
    assert cumbria.country == "GB" and cumbria.kind in {"admin1", "admin2"}


def test_world_regions_sit_on_geonames_points_inside_their_outline(pipeline):
    # GeoNames' point for the Middle East (the convention of gazetteers and gold corpora), not an arbitrary point of
    # the union of its countries; a GeoNames point outside the outline drawn is not used.
    a = analyze_text(pipeline, "Oil prices rose as tensions grew across the Middle East. Drought spread across the "
                               "Horn of Africa.")
    middle_east, horn = _place(a, "Middle East"), _place(a, "Horn of Africa")
    assert km(middle_east.lat, middle_east.lon, 33.14, 35.86) < 5 and km(horn.lat, horn.lon, 9.0, 48.0) < 5
    assert middle_east.is_area


def test_a_direction_of_an_area_is_taken_of_its_body_not_of_its_overseas_parts(pipeline):
    import shapely

    body, island = shapely.box(0, 0, 10, 10), shapely.box(40, -30, 41, -29)  # an island far to the south-east
    near = shapely.box(10.5, 2, 12, 4)  # an island just off the coast belongs to the body
    area = shapely.GeometryCollection([shapely.MultiPolygon([body, island]), near])
    assert core(area).equals(shapely.union_all([body, near]))
    south = directional_part(area, "south")
    assert south.bounds[1] >= 0 and south.bounds[3] <= 4.0 + 1e-9  # the body's south, not the island
    a = analyze_text(pipeline, "Storms lashed southern France in July. Blizzards swept the northern United States.")
    france, states = _place(a, "southern France"), _place(a, "northern United States")
    assert 42 < france.lat < 46 and -2 < france.lon < 8  # (France's outline holds Réunion and French Guiana)
    assert 40 < states.lat < 50 and states.lon > -125  # not Alaska


def test_style_book_state_abbreviation_qualifies_the_town(pipeline):
    a = analyze_text(pipeline, "LONDON, Ky. (AP) - Police arrested two people. Traffic stopped in Louisville, Ky.")
    assert _place(a, "Ky.").name == "Kentucky"
    london = _place(a, "LONDON")
    assert london.country == "US" and london.admin1 == "KY"
    c = analyze_text(pipeline, "Mass protests filled the square, and Miss Ohio spoke.")
    assert not [r for r in c.resolutions if r.place and r.place.name in {"Massachusetts", "Mississippi"}]


def test_anchor_systems_known_failures_are_not_repeated(pipeline):
    # CLIFF put "Africa" on a town in Tunisia; Mordecai put "USA" on a community centre and "China" on a university.
    a = analyze_text(pipeline, "Aid to Africa grew, the USA community centre said, and China University of "
                               "Geosciences opened a campus in Tunisia.")
    africa, usa = _place(a, "Africa"), _place(a, "USA")
    assert (africa.kind, usa.kind) == ("continent", "country")
    assert africa.is_area and usa.is_area  # drawn as areas, not points
    assert all(r.place.kind == "country" for r in a.resolutions if r.place and "China" in r.mention.text)
    # Mordecai 3 returned nothing when one name ("Soviet Union") had no entry: here a name without one is kept,
    # flagged, and the others are still placed; the Soviet Union itself is a historical region, drawn as an area.
    b = analyze_text(pipeline, "The Soviet Union collapsed; Moscow and Kyiv went their own ways, and the "
                               "Republic of Zubrowka in Ruritania followed.")
    assert _place(b, "Moscow").country == "RU" and _place(b, "Kyiv").country == "UA"
    assert _place(b, "Soviet Union").kind == "region" and _place(b, "Soviet Union").is_area
    unknown = [r for r in b.resolutions if "Ruritania" in r.mention.text]
    assert unknown and all((r.place is None or r.place.source == BY_CONTEXT) and r.reason for r in unknown)
    assert all(r in b.unresolved for r in unknown)


def test_a_county_is_an_admin2_area_chosen_by_the_other_places_of_the_story(pipeline):
    a = analyze_text(pipeline, "Of the $10 million, Daviess County schools in Kentucky get $8,900 and Pike County "
                               "schools get $129,800.")
    pike = next(r for r in a.resolutions if r.mention.text == "Pike County")
    assert pike.place.kind == "admin2" and (pike.place.country, pike.place.admin1) == ("US", "KY")
    # Its point is the middle of its towns: Pikeville, the county seat, is within the county's reach.
    assert km(pike.place.lat, pike.place.lon, 37.479, -82.519) < 40
    a = analyze_text(pipeline, "Wildfires burned in Orange County on Monday, and Los Angeles and Anaheim sent crews.")
    county = next(r for r in a.resolutions if r.mention.text == "Orange County")
    assert county.place.kind == "admin2" and (county.place.country, county.place.admin1) == ("US", "CA")


def test_a_county_the_gazetteer_lacks_is_placed_near_its_namesake_town_and_says_so(pipeline):
    a = analyze_text(pipeline, "Snow closed the roads of Alpine County, California, on Monday.")
    county = next(r for r in a.resolutions if r.mention.text == "Alpine County")
    assert county.place is not None and county.place.country == "US" and county.place.admin1 == "CA"
    assert county.confidence <= 0.5 and "named after" in county.reason and county.place.uncertainty_km >= 40


def test_a_name_made_of_a_known_place_is_placed_there_and_says_so(pipeline):
    a = analyze_text(pipeline, "Fans of Manchester City celebrated, and Oaxaca State officials met.")
    city = next(r for r in a.resolutions if r.mention.text == "Manchester City")
    assert city.place.country == "GB" and "named after" in city.reason


def test_a_list_of_countries_is_not_a_town_qualified_by_a_country(pipeline):
    a = analyze_text(pipeline, "Talks between Russia, U.S. and China resumed.")
    assert _place(a, "Russia").kind == "country"


def test_a_list_of_towns_is_not_a_town_qualified_by_a_state_but_in_area_is_a_qualifier(pipeline):
    a = analyze_text(pipeline, "The band played Washington, New York and Philadelphia before heading home. "
                               "Volunteers cleaned a creek in Marion County in northeast Missouri. Rome, Georgia, "
                               "and Dublin, Ohio, both hold spring fairs.")
    assert (_place(a, "Washington").admin1, _place(a, "Marion County").admin1) == ("DC", "MO")
    assert (_place(a, "Rome").admin1, _place(a, "Dublin").admin1) == ("GA", "OH")


def test_the_next_town_of_a_list_does_not_qualify_the_dateline_either(pipeline):
    a = analyze_text(pipeline, "WASHINGTON (AP) - A senator spoke in Washington. After rallies in Washington, "
                               "New York and Denver, she rested.")
    assert {r.place.admin1 for r in a.resolutions if r.mention.text.lower() == "washington"} == {"DC"}


def test_airports_are_facilities_by_full_short_and_bare_names_but_not_by_common_surnames(pipeline):
    a = analyze_text(pipeline, "Flights at Heathrow were cancelled, and more than 75,000 flights arrived at Schiphol. "
                               "O'Hare International Airport is 17 miles away.")
    for name, lat, lon in [("Heathrow", 51.47, -0.46), ("Schiphol", 52.31, 4.76),
                           ("O'Hare International Airport", 41.98, -87.90)]:
        place = _place(a, name)
        assert place.kind == "facility" and place.source == "OurAirports", name
        assert km(place.lat, place.lon, lat, lon) < 5, name
    # Flights name the airport even in a story whose other places are American (Heathrow is also a Florida town).
    c = analyze_text(pipeline, "Flights at Heathrow were cancelled. Flooding closed roads in Collier County, "
                               "Florida, and in Orlando, Tampa and Miami.")
    assert _place(c, "Heathrow").kind == "facility"
    b = analyze_text(pipeline, "Kennedy and Logan met in Dallas.")
    assert not [r for r in b.resolutions if r.place and r.place.kind == "facility"]


def test_a_list_is_of_like_things_and_a_town_named_like_a_country_needs_a_qualifier(pipeline):
    a = analyze_text(pipeline, "Wildfires hit western states such as Oregon or Washington. Indiana mines less "
                               "copper than Peru or Chile. She worked in Iraq, then all over the Middle East. "
                               "The tornado in Moore, Oklahoma stunned neighbours.")
    assert (_place(a, "Washington").kind, _place(a, "Washington").admin1) == ("admin1", "WA")
    assert _place(a, "Peru").kind == "country" and _place(a, "Middle East").kind == "region"
    assert _place(a, "Oklahoma").kind == "admin1" and _place(a, "Moore").admin1 == "OK"
    b = analyze_text(pipeline, "The firm was hit by the Cambridge Analytica scandal, a Cambridge professor said.")
    assert _place(b, "Cambridge").kind == "city"  # not the Town of Cambridge, a county-level area near Perth


def test_an_english_county_qualifies_the_town_before_it(pipeline):
    a = analyze_text(pipeline, "The race moves to Richmond, North Yorkshire, on Sunday.")
    richmond = _place(a, "Richmond")  # not Richmond, Virginia, nor the one in London
    assert (richmond.country, richmond.admin1) == ("GB", "ENG") and km(richmond.lat, richmond.lon, 54.40, -1.74) < 30


def test_a_river_or_lake_the_gazetteer_lacks_is_placed_by_the_town_it_is_named_after_and_says_so(pipeline):
    a = analyze_text(pipeline, "Dredging on the Culiacan River in Sinaloa starts soon. Lake Lynchburg "
                               "is a 90-acre reservoir near Lynchburg, Virginia.")
    river, lake = _place(a, "Culiacan River"), _place(a, "Lake Lynchburg")
    assert (river.country, lake.admin1) == ("MX", "VA") and river.kind == lake.kind == "area"
    reasons = {r.mention.text: r.reason for r in a.resolutions}
    assert "named after" in reasons["Culiacan River"] and "named after" in reasons["Lake Lynchburg"]


def test_a_facility_named_after_a_town_is_placed_at_the_town_never_at_a_region_named_alike(pipeline):
    a = analyze_text(pipeline, "Shelling near the Zaporizhzhia nuclear power plant cut its last power line. Engineers "
                               "said the Kakhovka dam had been breached. Drones hit the Kharkiv airport, and trains "
                               "from Dzhankoi railway station were halted.")
    plant = _place(a, "Zaporizhzhia nuclear power plant")
    assert plant.kind == "facility" and plant.country == "UA" and plant.geo_precision == 2
    assert km(plant.lat, plant.lon, 47.84, 35.14) < 15  # the town's point, not the middle of its oblast
    dam = next(r for r in a.resolutions if r.mention.text == "Kakhovka dam")
    assert dam.place.kind == "facility" and "named after" in dam.reason and dam.place.uncertainty_km >= 10
    airport = _place(a, "Kharkiv airport")  # the gazetteer has this one: the airport itself, exact
    assert airport.source == "OurAirports" and airport.geo_precision == 1
    assert _place(a, "Dzhankoi railway station").kind == "facility"


def test_a_province_or_borough_named_after_its_main_town_is_the_town_when_named_bare(pipeline):
    # my own sentences. Natural Earth's Spanish and Italian provinces and English boroughs carry codes their towns
    # do not, so since their population became the sum of their towns' they won over the town itself
    a = analyze_text(pipeline, "He moved from Rome to Barcelona, then played for Liverpool and lived in Manchester.")
    for name, country in (("Rome", "IT"), ("Barcelona", "ES"), ("Liverpool", "GB"), ("Manchester", "GB")):
        place = _place(a, name)
        assert (place.kind, place.country) == ("city", country), (name, place)
    assert "main town of" in next(r.reason for r in a.resolutions if r.mention.text == "Barcelona")
    # the text naming the area keeps it; a state with a small namesake town inside keeps its name
    b = analyze_text(pipeline, "Floods hit the province of Barcelona. Ranchers moved to Montana and Wyoming.")
    assert _place(b, "the province of Barcelona").kind == "admin1"
    assert _place(b, "Wyoming").kind == "admin1"


def test_names_listed_before_one_plural_kind_word_are_each_of_that_kind(pipeline):
    # my own sentence: "the Kharkiv, Sumy and Chernihiv regions" are three regions, not their towns
    a = analyze_text(pipeline, "Troops left the Kharkiv, Sumy and Chernihiv regions in April.")
    for name in ("Kharkiv", "Sumy", "Chernihiv"):
        assert _place(a, name).kind == "admin1", name
    b = analyze_text(pipeline, "Troops left Kharkiv, Sumy and Chernihiv in April.")
    assert {_place(b, n).kind for n in ("Kharkiv", "Sumy", "Chernihiv")} == {"city"}
