"""Every time rule of geo/timex.py has examples (data/rules/time_examples.csv) that it must read, and texts it must
not fire on; the tagger records which rule found each expression. No spaCy needed."""

import csv
import datetime as dt

import pytest

from geo.settings import ROOT
from geo.timex import RULES, TimeTagger

EXAMPLES = ROOT / "data" / "rules" / "time_examples.csv"


def _rows() -> list[dict[str, str]]:
    lines = [line for line in EXAMPLES.read_text(encoding="utf-8").splitlines() if not line.startswith("#")]
    return list(csv.DictReader(lines))


@pytest.mark.parametrize("row", _rows(), ids=lambda r: f"{r['rule']}:{r['text'][:30]}")
def test_each_time_rule_reads_its_examples_and_leaves_its_counter_examples(row):
    found = TimeTagger().tag_text(row["text"], dt.date.fromisoformat(row["dct"]))
    by_rule = [t for t in found if t.rule == row["rule"]]
    if row["value"] == "-":
        assert not by_rule, by_rule
    else:
        assert [t.value for t in by_rule] == [row["value"]], found


def test_every_rule_has_an_example_and_can_be_switched_off():
    assert {r.name for r in RULES} <= {row["rule"] for row in _rows() if row["value"] != "-"}
    text = "The mayor spoke on Monday."
    assert [t.rule for t in TimeTagger().tag_text(text, dt.date(2022, 4, 19))] == ["weekday"]
    assert TimeTagger(disabled=frozenset({"weekday"})).tag_text(text, dt.date(2022, 4, 19)) == []


def test_every_rule_has_its_own_normaliser_and_every_normaliser_a_rule():
    from geo.timex import NORMALISERS

    assert set(NORMALISERS) == {r.name for r in RULES}
    assert all(callable(f) for f in NORMALISERS.values())
