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
