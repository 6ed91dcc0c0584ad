"""The word lists of the rules, kept as data in ``data/lexicon/<name>.txt``: one entry per line, ``#`` comments.

Each file opens with what its words do; the rules that read them are in ``geo.recognition``, ``geo.mentions`` and
(the ``event_*`` lists, whose entries are regular-expression alternatives) ``geo.events``.
"""

from __future__ import annotations

import re
from functools import cache

from geo.settings import ROOT

LEXICON = ROOT / "data" / "lexicon"


@cache
def words(name: str) -> frozenset[str]:
    """The entries of ``data/lexicon/<name>.txt``."""
    lines = (LEXICON / f"{name}.txt").read_text(encoding="utf-8").splitlines()
    return frozenset(line.strip() for line in lines if line.strip() and not line.startswith("#"))


def alternation(name: str) -> str:
    """The entries of a list as one regular-expression alternation, longest first; a space matches any space."""
    return "|".join(re.escape(w).replace(r"\ ", r"\s+") for w in sorted(words(name), key=lambda w: (-len(w), w)))


@cache
def pattern(name: str) -> re.Pattern[str]:
    """A list whose entries are regular-expression alternatives, in the file's order, as one case-blind pattern of
    whole words."""
    lines = (LEXICON / f"{name}.txt").read_text(encoding="utf-8").splitlines()
    entries = [line.strip() for line in lines if line.strip() and not line.startswith("#")]
    return re.compile(r"\b(?:" + "|".join(entries) + r")\b", re.IGNORECASE)
