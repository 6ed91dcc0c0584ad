"""Exceptions raised by the library; each message says what happened and what the user can do."""

from __future__ import annotations


class SituationMapError(Exception):
    """Base class of every error the library raises on purpose."""


class InputError(SituationMapError):
    """The article cannot be read as text."""


class EmptyArticleError(InputError):
    pass


class BinaryInputError(InputError):
    pass


class ArticleTooLargeError(InputError):
    def __init__(self, size: int, limit: int) -> None:
        super().__init__(
            f"The article has {size:,} characters; the limit is {limit:,} (about {limit // 6:,} words). "
            "Split it into several articles, map only the first part, or raise SITMAP_MAX_ARTICLE_CHARS."
        )
        self.size = size
        self.limit = limit


class DataNotBuiltError(SituationMapError):
    """Derived data (gazetteer, vendored map assets) is missing: run `make data`."""


class ModelNotFoundError(SituationMapError):
    """No spaCy pipeline of the configured names is installed."""


class PublicationDateError(InputError):
    """The publication date is outside the range of dates the app can place events in."""


class OutputPathError(SituationMapError):
    """An output file cannot be written where the user asked."""


class FetchError(SituationMapError):
    """A web page could not be fetched from the link the user gave; the message says why and what to do."""


class FetchRefusedError(FetchError):
    """The link was refused before or while fetching: scheme, credentials, private address, type, size, redirects."""


class FetchFailedError(FetchError):
    """The page could not be fetched: unreachable, too slow, or the web site answered with an error status."""
