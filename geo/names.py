"""Place-name normalisation shared by the gazetteer build and the lookups."""

from __future__ import annotations

import re
import unicodedata

_APOSTROPHES = re.compile(r"[’'ʼ`´ʹ]")
_SEPARATORS = re.compile(r"[\s\-‐‑–—_/]+")
_DROP = re.compile(r"[^\w\s.&]")


def normalize_name(name: str) -> str:
    """Fold a place name to its lookup key: no accents, apostrophes or case; single spaces.

    "Donets'k" and "Donetsk", "Ivano-Frankivsk" and "Ivano Frankivsk" share a key.
    """
    text = unicodedata.normalize("NFKD", name)
    text = "".join(ch for ch in text if not unicodedata.combining(ch))
    text = _APOSTROPHES.sub("", text)
    text = _SEPARATORS.sub(" ", text)
    text = _DROP.sub("", text)
    text = text.replace(".", "")
    return " ".join(text.lower().split())


def is_latin_name(name: str) -> bool:
    """True for names written in Latin script and starting with a capital (GeoNames alternates
    also hold language labels such as 'hindi', codes and other scripts)."""
    if not name or not name[0].isupper():
        return False
    folded = unicodedata.normalize("NFKD", name)
    return all(ch.isascii() or unicodedata.combining(ch) for ch in folded)
