"""The table of sides (actor -> side -> colour) and the map's filters (type, side, article, checked state)."""

from __future__ import annotations

from pathlib import Path

import pandas as pd
import pytest

from geo.errors import SituationMapError
from geo.frames import filter_events
from geo.settings import Settings
from geo.sides import UNKNOWN, event_sides, load_sides, side_of

SIDES = load_sides(Settings().sides_path)


@pytest.mark.parametrize(("actor", "side"), [
    ("Military Forces of Russia (2000-)", "Russian forces"),
    ("Wagner Group", "Russian forces"),
    ("Russian-backed separatists", "Russian forces"),
    ("Military Forces of Ukraine (2019-)", "Ukrainian forces"),
    ("Ukraine's air force", "Ukrainian forces"),
    ("Civilians (Ukraine)", "Civilians"),  # a civilian actor, although Ukraine is named: narrower sides first
    ("Protesters (Russia)", "Protesters"),
    ("Police Forces of Russia (2000-)", "Russian forces"),
    ("Police Forces of France (2017-)", "Police and state forces"),
    ("Military Forces of Kenya (2022-)", "Police and state forces"),  # another country's state forces, by kind
    ("Chadian troops", "Police and state forces"),  # (walkthrough: a country's forces were "Side not stated")
    ("Rebel forces", "Armed groups"),  # forces, but no state's: armed groups come first
    ("Unidentified gunmen", "Armed groups"),
    ("the Rapid Support Forces", "Armed groups"),  # (walkthrough: the RSF and Sudan's army shared one colour)
    ("Military Forces of Sudan (2019-)", "Police and state forces"),
    ("Prussian cavalry", UNKNOWN.name),  # a word that contains "russia" is not Russia
    ("", UNKNOWN.name),
    (None, UNKNOWN.name),
])
def test_side_of(actor, side):
    assert side_of(actor, SIDES).name == side


def test_every_side_has_a_colour_and_the_table_can_be_replaced(tmp_path: Path):
    assert all(s.color.startswith("#") and len(s.color) == 7 for s in SIDES)
    assert len({s.color for s in (*SIDES, UNKNOWN)}) == len(SIDES) + 1  # colours tell the sides apart
    own = tmp_path / "sides.csv"
    own.write_text("side,color,pattern\nNorth,#112233,\\bnorth\\w*\nSouth,#445566,\\bsouth\\w*\n", encoding="utf-8")
    settings = Settings.from_env({"SITMAP_SIDES": str(own)})
    table = load_sides(settings.sides_path)
    assert [s.name for s in table] == ["North", "South"]
    assert side_of("Northern militia", table).name == "North"
    bad = tmp_path / "bad.csv"
    bad.write_text("side,color,pattern\nNorth,red,north\n", encoding="utf-8")
    with pytest.raises(SituationMapError, match="line 2"):
        load_sides(bad)
    broken = tmp_path / "broken.csv"
    broken.write_text("side,color,pattern\nNorth,#112233,(north\n", encoding="utf-8")
    with pytest.raises(SituationMapError, match="not a valid regex"):
        load_sides(broken)


def _events() -> pd.DataFrame:
    return pd.DataFrame({
        "event_id": ["a", "b", "c", "d"],
        "event_type": ["Battles", "Protests", "Battles", "Explosions/Remote violence"],
        "actor1": ["Military Forces of Russia (2000-)", "Protesters (Ukraine)", "Military Forces of Ukraine (2019-)",
                   ""],
        "article_id": ["one", "two", "one", "two"],
        "sources": ['[{"article_id": "one"}]', '[{"article_id": "two"}]',
                    '[{"article_id": "one"}, {"article_id": "two"}]', '[{"article_id": "two"}]'],
        "state": ["machine", "edited", "verified", None],
    })


def test_filters_keep_what_is_chosen_and_everything_when_nothing_is():
    events = _events()
    assert list(event_sides(events, SIDES)) == ["Russian forces", "Protesters", "Ukrainian forces", UNKNOWN.name]
    assert list(filter_events(events, SIDES)["event_id"]) == ["a", "b", "c", "d"]
    assert list(filter_events(events, SIDES, types=["Battles"])["event_id"]) == ["a", "c"]
    assert list(filter_events(events, SIDES, sides_shown=["Ukrainian forces", UNKNOWN.name])["event_id"]) == ["c", "d"]
    # an event told in two articles is in both
    assert list(filter_events(events, SIDES, articles=["two"])["event_id"]) == ["b", "c", "d"]
    assert list(filter_events(events, SIDES, states=["machine"])["event_id"]) == ["a", "d"]  # no state: machine
    assert list(filter_events(events, SIDES, types=["Battles"], states=["verified"])["event_id"]) == ["c"]
    assert filter_events(events.iloc[:0], SIDES, types=["Battles"]).empty
