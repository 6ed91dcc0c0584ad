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
