"""Which side an event's acting force is on, to colour the map by side (and filter by it): a small table (``data/sides.csv``;
``SITMAP_SIDES`` names another) of sides, each with its colour and a pattern matched against the actor's name.

The first side whose pattern matches wins, so narrower sides come first ("Civilians (Ukraine)" is a civilian
actor, not Ukraine's forces). An actor no pattern matches is "not stated"; the table is meant to be edited for
the conflict at hand (rows are data, not code).
"""

from __future__ import annotations

import csv
import re
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

import pandas as pd

from geo.errors import SituationMapError


@dataclass(frozen=True)
class Side:
    name: str
    color: str
    pattern: re.Pattern[str] | None = None


UNKNOWN = Side("Side not stated", "#6b6b6b")
_COLOR = re.compile(r"#[0-9a-fA-F]{6}")


@lru_cache(maxsize=4)
def load_sides(path: Path) -> tuple[Side, ...]:
    """The sides of the table at ``path``, in order."""
    try:
        with open(path, newline="", encoding="utf-8") as f:
            rows = list(csv.DictReader(f))
    except OSError as err:
        raise SituationMapError(f"The table of sides {path} cannot be read ({err.strerror}).") from err
    sides = []
    for n, row in enumerate(rows, start=2):
        name, color, pattern = (row.get(k, "").strip() for k in ("side", "color", "pattern"))
        if not name or not _COLOR.fullmatch(color):
            raise SituationMapError(f"{path}, line {n}: a side needs a name and a colour like #1f5fa8.")
        try:
            sides.append(Side(name, color, re.compile(pattern, re.IGNORECASE) if pattern else None))
        except re.error as err:
            raise SituationMapError(f"{path}, line {n}: the pattern of {name!r} is not a valid regex ({err}).") \
                from err
    return tuple(sides)


def side_of(actor: object, sides: tuple[Side, ...]) -> Side:
    """The side of ``actor`` (a name as the event carries it), or ``UNKNOWN``."""
    if not isinstance(actor, str) or not actor.strip():
        return UNKNOWN
    return next((s for s in sides if s.pattern is not None and s.pattern.search(actor)), UNKNOWN)


def event_sides(events: pd.DataFrame, sides: tuple[Side, ...]) -> pd.Series:
    """The side of each event's acting force (``actor1``), by name."""
    names = {a: side_of(a, sides).name for a in set(events["actor1"].fillna(""))} if len(events) else {}
    return events["actor1"].fillna("").map(names).astype("string") if len(events) else \
        pd.Series([], dtype="string", index=events.index)

