"""The UI helpers behind the pages (run without a browser)."""

import pytest

from geo.errors import ArticleTooLargeError
from pages.common import analyze


def test_too_large_article_can_be_mapped_in_part():
    big = "Shelling hit Kharkiv on Monday, officials said. " * 30_000  # 1.4 MB
    with pytest.raises(ArticleTooLargeError):
        analyze(big, "big.txt", None, "big")
    head = analyze(big, "big.txt", None, "big-head", max_chars=2_000)
    assert len(head.article.text) <= 2_000 and head.events
