"""Ranking gazetteer candidates: the features, the fitted weights and the rules beside them."""

import json

import pytest

from geo import ranker
from geo.ranker import FEATURES, HAND, Example, Ranker, fit, load_ranker, top1
from geo.resolve import BY_CONTEXT, Resolver
from tests.conftest import analyze_text


def _example(doc: str, right_big: bool) -> Example:
    """A name with a big town and a small namesake; the big one is right when ``right_big``."""
    big = {"population": 0.8, "country_share": 0.2}
    small = {"population": 0.4, "country_share": 0.6}
    return Example(doc, "Springfield", (big, small), (right_big, not right_big))


def test_fitting_learns_what_decides_from_the_examples_and_nothing_else():
    # Big towns are right three times in four, and the big town is the one the story's country does not support:
    # population must come out positive and the country share negative (the data say so, not a hand).
    examples = [_example(f"d{i}", i % 4 != 0) for i in range(40)]
    fitted = fit(examples, c=10.0)
    assert fitted.weights["population"] > 0 and fitted.weights["country_share"] < 0
    assert top1(fitted, examples) == pytest.approx(0.75)
    # Features no example tells apart keep the hand-set weight, scaled like the fitted ones, and are listed.
    assert "capital" in fitted.unfitted and fitted.weights["capital"] > 0
    flipped = fit([_example(f"d{i}", i % 4 == 0) for i in range(40)], c=10.0)
    assert flipped.weights["population"] < 0


def test_the_committed_weights_cover_every_feature_and_say_how_they_were_fitted():
    data = json.loads(ranker.WEIGHTS_PATH.read_text())
    assert set(data["weights"]) == set(FEATURES) == set(ranker.HAND_WEIGHTS) == set(ranker.FEATURE_WORDS)
    assert data["examples"] > 500 and 0.9 < data["out_of_fold_top1"] <= 1.0
    loaded = load_ranker()
    assert loaded.source == "fitted" and loaded.weights == data["weights"]


def test_a_weight_file_with_an_unknown_feature_is_refused_and_hand_weights_can_be_asked_for(tmp_path, monkeypatch):
    bad = tmp_path / "ranker.json"
    bad.write_text(json.dumps({"weights": {"no such feature": 1.0}}))
    with pytest.raises(ValueError, match="unknown features"):
        load_ranker(bad)
    monkeypatch.setenv("SITMAP_RANKER", "hand")
    assert load_ranker() is HAND


def test_margin_gives_the_confidence_and_why_names_the_deciding_features():
    r = Ranker({"population": 2.0, "country_share": 4.0})
    best, second = {"population": 0.5, "country_share": 1.0}, {"population": 0.9, "country_share": 0.0}
    assert r.score(best) - r.score(second) == pytest.approx(3.2)
    assert r.confidence(3.2) == pytest.approx(0.961, abs=1e-3)
    assert r.why(best, second) == [("country_share", 4.0)]


def test_the_reason_of_a_place_says_what_put_it_ahead_of_its_namesake(pipeline):
    a = analyze_text(pipeline, "Storms closed schools across Ohio. In Columbus, the mayor asked people to stay home.")
    columbus = next(r for r in a.resolutions if r.mention.text == "Columbus")
    assert columbus.place.admin1 == "OH"
    assert "ahead of Columbus" in columbus.reason and "the story's other places in its" in columbus.reason


def _with_rule_off(pipeline, rule: str, text: str):  # type: ignore[no-untyped-def]
    """The analysis of ``text`` with one resolver rule switched off."""
    resolver = pipeline.resolver
    try:
        pipeline.resolver = Resolver(pipeline.gazetteer, pipeline.chain, disabled=frozenset({rule}))
        return analyze_text(pipeline, text)
    finally:
        pipeline.resolver = resolver


def test_rules_beside_the_ranker_can_be_switched_off_one_by_one(pipeline):
    text = ("Flights at Heathrow were cancelled. Flooding closed roads in Collier County, Florida, and in Orlando, "
            "Tampa and Miami.")
    with_rule = analyze_text(pipeline, text)
    assert next(r for r in with_rule.resolutions if r.mention.text == "Heathrow").place.kind == "facility"
    without = _with_rule_off(pipeline, "named-kind", text)
    # Without the rule the ranker alone decides, and the story's Florida makes Heathrow the Florida town.
    assert next(r for r in without.resolutions if r.mention.text == "Heathrow").place.admin1 == "FL"
    assert set(Resolver.RULES) == {"named-kind", "named-after", "area-own-town", "placed-by-context"}
    town = analyze_text(pipeline, "He moved to Barcelona last year.")
    province = _with_rule_off(pipeline, "area-own-town", "He moved to Barcelona last year.")
    assert (town.resolutions[0].place.kind, province.resolutions[0].place.kind) == ("city", "admin1")


def test_a_name_nothing_places_is_put_near_its_context_and_still_listed_to_add(pipeline):
    text = ("Hikers were rescued from Mount Zarvanek near Kasserine on Monday. The governor of Kasserine thanked them. "
            "Each spring thousands of walkers climb Mount Zarvanek.")
    a = analyze_text(pipeline, text)
    kasserine = next(r.place for r in a.resolutions if r.mention.text == "Kasserine")
    near_sentence, near_story = [r for r in a.resolutions if r.mention.text == "Mount Zarvanek"]
    for r, km in ((near_sentence, 50), (near_story, 100)):  # its sentence's town, else the story's
        assert r.place.source == BY_CONTEXT and r.place.kind == "area" and r.place.uncertainty_km == km
        assert (r.place.lat, r.place.lon) == (kasserine.lat, kasserine.lon)
        assert "placed near Kasserine" in r.reason and r.confidence <= 0.2
    assert {r.mention.text for r in a.unresolved} == {"Mount Zarvanek"}  # still a place to add
    assert any("Placed only near" in w for w in a.warnings)
    off = _with_rule_off(pipeline, "placed-by-context", text)
    assert all(r.place is None for r in off.resolutions if r.mention.text == "Mount Zarvanek")
