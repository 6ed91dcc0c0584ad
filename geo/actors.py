"""Actors named as ACLED names them: "Military Forces of Russia (2000-)", "Police Forces of Egypt",
"Civilians (Ukraine)", "Protesters (Chile)".

Two small tables, data not code: ``data/actors.csv`` (a kind, a pattern matched against the words that name a group,
and the ACLED name with ``{country}`` and ``{years}`` to fill) and ``data/acled_regimes.csv`` (the years ACLED puts
after a country's state forces, for the countries it is known for; other countries get none). A group named with
its nationality ("Russian troops", "Egyptian police") takes that country; a bare group ("police", "civilians",
"protesters") takes the country of the event's place.
"""

from __future__ import annotations

import csv
import re
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

from geo.errors import SituationMapError

DATA = Path(__file__).resolve().parent.parent / "data"


@dataclass(frozen=True)
class ActorRule:
    kind: str
    pattern: re.Pattern[str]
    name: str  # with {country} and {years}


@lru_cache(maxsize=4)
def load_actor_rules(path: Path = DATA / "actors.csv") -> tuple[ActorRule, ...]:
    try:
        with open(path, newline="", encoding="utf-8") as f:
            rows = list(csv.DictReader(f))
    except OSError as err:
        raise SituationMapError(f"The table of actors {path} cannot be read ({err.strerror}).") from err
    return tuple(ActorRule(r["kind"], re.compile(r["pattern"], re.IGNORECASE), r["name"]) for r in rows)


@lru_cache(maxsize=4)
def load_regimes(path: Path = DATA / "acled_regimes.csv") -> dict[str, str]:
    with open(path, newline="", encoding="utf-8") as f:
        return {r["country"]: r["years"] for r in csv.DictReader(f)}


def acled_name(kind: str, country: str, code: str = "") -> str:
    """The ACLED name of a group of ``kind`` ("force", "police", "civilians"...) of ``country`` (its name; ``code``
    its ISO code, for the regime's years); "" for a kind the table does not have."""
    rule = next((r for r in load_actor_rules() if r.kind == kind), None)
    if rule is None or not country:
        return ""
    years = load_regimes().get(code, "")
    return rule.name.format(country=country, years=f" {years}" if years else "")


def group_kind(words: str) -> str | None:
    """The kind of group ``words`` name ("troops" -> "force", "riot police" -> "police"), by the table's order."""
    return next((r.kind for r in load_actor_rules() if r.pattern.search(words)), None)


def groups_in(text: str) -> list[tuple[int, int, str]]:
    """(start, end, kind) of each bare group named in ``text`` ("police", "civilians", "protesters")."""
    found = []
    for rule in load_actor_rules():
        if rule.kind in {"force", "government"}:
            continue  # a bare "troops" or "the government" says nothing of whose
        found.extend((m.start(), m.end(), rule.kind) for m in rule.pattern.finditer(text))
    return sorted(found)
