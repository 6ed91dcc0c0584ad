import json

import pytest

from geo.evaluate import read_jsonl


@pytest.mark.parametrize("separator", ["\u2028", "\u2029", "\u0085"])
def test_jsonl_records_end_at_line_feeds_only(tmp_path, separator):
    records = [{"id": "1", "text": f"Kharkiv was shelled.{separator}Residents fled to Poltava."},
               {"id": "2", "text": "Protesters rallied in Lviv."}]
    path = tmp_path / "gold.jsonl"
    path.write_text("\n".join(json.dumps(r, ensure_ascii=False) for r in records) + "\n\n", encoding="utf-8")
    assert separator in path.read_text(encoding="utf-8")
    assert read_jsonl(path) == records


def test_jsonl_with_windows_line_ends_is_read(tmp_path):
    path = tmp_path / "gold.jsonl"
    path.write_bytes(b'{"id": "1"}\r\n{"id": "2"}\r\n')
    assert read_jsonl(path) == [{"id": "1"}, {"id": "2"}]


def test_each_corpus_is_split_once_into_a_study_half_and_a_held_out_half():
    from geo.evaluate import by_split, split_of

    ids = [f"doc-{k}" for k in range(200)]
    halves = [split_of(i) for i in ids]
    assert set(halves) == {"study", "heldout"} and 70 < halves.count("study") < 130  # about half each
    assert [split_of(i) for i in ids] == halves  # fixed: the same every run
    counted = by_split([{"id": i} for i in ids], len)
    assert counted == {"study": halves.count("study"), "heldout": halves.count("heldout")}


def test_hand_written_sentences_are_scored_by_label_and_half(tmp_path):
    from geo.evaluate import run_sentences

    gold = tmp_path / "s.jsonl"
    rows = [{"text": "Artillery shelled the village of Dolna overnight, officials said.",
             "label": "Shelling/artillery/missile attack", "split": "study"},
            {"text": "The minister warned that talks could collapse next week.", "label": "Statement", "split": "study"},
            {"text": "The team won the cup final on penalties.", "label": "None", "split": "heldout"},
            {"text": "The team won the cup final on penalties.", "label": "Armed clash", "split": "heldout"}]
    gold.write_text("".join(json.dumps(r) + "\n" for r in rows))
    result = run_sentences(gold)
    assert (result["study"]["sentences"], result["study"]["type_right"], result["study"]["sub_right"]) == (2, 2, 2)
    assert (result["heldout"]["sentences"], result["heldout"]["sub_right"]) == (2, 1)  # no event: right for "None"
    assert result["heldout"]["right_by_label"]["Armed clash"] == 0


def test_an_event_counts_by_the_issues_measure_within_100_km_and_a_day(sample):
    import datetime as dt

    from geo.evaluate import event_matches

    event = next(e for e in sample.events if e.place is not None and e.date_start is not None
                 and e.event_type.value != "Statement")
    day = (event.date_end or event.date_start + dt.timedelta(days=1)).date()  # the day after the event's last
    gold = {"event_type": event.event_type.value, "evidence": ["no such sentence"], "radius_km": 5,
            "lat": event.place.lat + 0.45, "lon": event.place.lon,  # ~50 km north
            "date_start": day.isoformat(), "date_end": (day + dt.timedelta(days=1)).isoformat()}  # (end: exclusive)
    assert not event_matches(event, gold)  # strict: the evidence, the radius and the day all differ
    assert event_matches(event, gold, as_issue=True)  # the issue's measure: type, 100 km, the day after
    assert not event_matches(event, {**gold, "lat": event.place.lat + 1.4}, as_issue=True)  # ~155 km away
    later = day + dt.timedelta(days=2)
    assert not event_matches(event, {**gold, "date_start": later.isoformat(),
                                     "date_end": (later + dt.timedelta(days=1)).isoformat()}, as_issue=True)
    other = "Riots" if event.event_type.value != "Riots" else "Protests"
    assert not event_matches(event, {**gold, "event_type": other}, as_issue=True)


def test_events_far_from_every_place_their_sentence_names_are_listed(sample):
    import dataclasses

    from geo.evaluate import far_from_its_sentence

    assert far_from_its_sentence(sample) == []  # the sample: every event near a place its sentence names
    event = next(e for e in sample.events if e.place is not None and e.place.name == "Mariupol")
    moscow = next(r.place for r in sample.resolutions if r.place is not None and r.place.name == "Moscow")
    moved = dataclasses.replace(event, place=moscow)  # ~1,000 km from Mariupol
    far = far_from_its_sentence(dataclasses.replace(sample, events=(moved,)))
    assert len(far) == 1 and far[0].startswith(f"{event.event_id}: Moscow")
