"""Every recognition rule of geo.recognition on its own examples and counter-examples
(data/rules/recognition_examples.csv): an example is a name the rule has a say on, a counter-example a near miss on
which it keeps quiet; where the file says so, switching the rule off changes the verdict."""

from __future__ import annotations

import csv

import pytest

from geo import recognition
from geo.mentions import ToponymRecognizer
from geo.nlp import parse
from tests.conftest import ROOT

EXAMPLES = ROOT / "data" / "rules" / "recognition_examples.csv"
ROWS = list(csv.DictReader(line for line in EXAMPLES.read_text(encoding="utf-8").splitlines()
                           if not line.startswith("#")))


def test_every_row_names_a_rule_and_every_rule_has_an_example_or_is_listed_as_without():
    ids = [r.id for r in recognition.RULES]
    assert len(ids) == len(set(ids))
    assert {row["rule"] for row in ROWS} <= set(ids)
    with_examples = {row["rule"] for row in ROWS if row["kind"] == "example"}
    assert set(ids) - with_examples == set(recognition.WITHOUT_OWN_EXAMPLE)


@pytest.mark.parametrize("row", ROWS, ids=[f"{r['rule']}:{r['kind']}:{r['text'][:40]}" for r in ROWS])
def test_a_rule_on_its_example(pipeline, row):
    article = pipeline.load(row["text"], article_id="example")
    doc = parse(pipeline.nlp, article.text)
    judged = [d for d in pipeline.recognizer.decisions(article, doc) if d.text == row["name"]]
    assert judged, f"{row['name']!r} was never judged"
    decision = judged[-1]
    assert (row["rule"] in decision.rules) == (row["kind"] == "example"), decision.rules
    if row["place"] != "-":
        assert decision.place == (row["place"] == "yes"), decision.rules
    without = ToponymRecognizer(pipeline.gazetteer, pipeline.nlp, disabled=frozenset({row["rule"]}))
    off = [d for d in without.decisions(article, doc) if d.text == row["name"]]
    flipped = not off or off[-1].place != decision.place
    assert flipped == (row["flips"] == "yes"), (decision.rules, off[-1].rules if off else None)
