import datetime as dt

from geo.model import EventType, SentenceKind
from tests.conftest import analyze_text


def _events(sample, trigger):
    return [e for e in sample.events if trigger in e.trigger.lower()]


def test_deadline_event_at_azovstal_on_tuesday(sample):
    deadline = [e for e in _events(sample, "deadline") if e.sentence_index == 0]
    assert deadline, "the deadline of sentence 1 is an event"
    e = deadline[0]
    assert e.event_type is EventType.STRATEGIC
    assert e.place.name.startswith("Azovstal") and e.date_start.date() == dt.date(2022, 4, 19)


def test_bunker_buster_bombing_on_monday(sample):
    (e,) = _events(sample, "bunker")
    assert e.event_type is EventType.EXPLOSIONS and e.sub_event_type == "Air/drone strike"
    assert e.place.name.startswith("Azovstal") and e.date_start.date() == dt.date(2022, 4, 18)
    assert e.actor1 == "Russian forces"
    assert e.geo_precision == 1 and e.time_precision.acled_code == 1


def test_second_phase_announced_on_tuesday_in_the_east(sample):
    (e,) = _events(sample, "second phase")
    assert e.event_type is EventType.STRATEGIC and e.date_start.date() == dt.date(2022, 4, 19)
    assert e.place.name == "eastern Ukraine" and e.geo_precision == 3


def test_fatalities_lower_bound(sample):
    (e,) = [e for e in sample.events if e.fatalities]
    assert e.fatalities == 20_000 and e.fatalities_qualifier == "more than" and e.place.name == "Mariupol"


def test_no_event_from_promotional_lines(sample):
    promo = {s.index for s in sample.article.sentences if s.kind is not SentenceKind.STORY}
    assert promo and not [e for e in sample.events if e.sentence_index in promo]


def test_quotes_and_modals_are_not_events(pipeline):
    analysis = analyze_text(pipeline, '"We will fight in Kharkiv," he said. The bunker could withstand "even a nuclear strike."')
    assert not [e for e in analysis.events if e.event_type in {EventType.BATTLES, EventType.EXPLOSIONS}]


def test_provenance(sample):
    for e in sample.events:
        assert sample.article.text[e.start:e.end] == e.sentence
        assert e.article_id == sample.article.article_id and 0 <= e.confidence <= 1
