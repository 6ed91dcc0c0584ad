import codecs
import datetime as dt
import random
import time

import pytest

from geo.errors import (
    ArticleTooLargeError,
    BinaryInputError,
    EmptyArticleError,
    PublicationDateError,
    SituationMapError,
)
from geo.ingest import (
    classify_line,
    decode_bytes,
    has_markup,
    load_article,
    propose_publication_date,
    split_sentences,
    stated_publication_date,
)
from geo.model import SentenceKind
from tests.conftest import SAMPLE


def test_promotional_lines_are_set_apart():
    assert classify_line("CLICK HERE TO GET THE FOX NEWS APP") is SentenceKind.PROMO
    assert classify_line("RUSSIA INVADES UKRAINE: LIVE UPDATES") is SentenceKind.PROMO
    assert classify_line("The Associated Press contributed to this report.") is SentenceKind.CREDIT
    assert classify_line("Russia announced Tuesday that its second phase had begun.") is SentenceKind.STORY


def test_sample_sentences_and_promos():
    article = load_article(SAMPLE.read_text(), published=dt.date(2022, 4, 19))
    promos = [s.text for s in article.sentences if s.kind is SentenceKind.PROMO]
    assert "CLICK HERE TO GET THE FOX NEWS APP" in promos
    assert any(s.text.startswith("MARIUPOL WARNS") for s in article.sentences if s.kind is SentenceKind.PROMO)
    for s in article.sentences:
        assert article.text[s.start:s.end] == s.text


def test_sentence_split_keeps_abbreviations():
    sentences = split_sentences("It ended at 5 a.m. EDT on Monday. U.S. officials said so. Dr. Smith agreed.")
    assert [s.text for s in sentences] == ["It ended at 5 a.m. EDT on Monday.", "U.S. officials said so.", "Dr. Smith agreed."]


@pytest.mark.parametrize("raw", [b"", b"   \n\t "])
def test_empty_input_is_refused_with_a_message(raw):
    with pytest.raises(EmptyArticleError, match="empty"):
        load_article(raw)


def test_whitespace_text_is_refused():
    with pytest.raises(EmptyArticleError):
        load_article("  \n  ")


@pytest.mark.parametrize("raw", [
    b"%PDF-1.7\x00\x01\x02 binary", b"\x89PNG\r\n\x1a\n\x00\x00", bytes(range(256)) * 20,
    b"PK\x03\x04\x14\x00\x00\x00\x08\x00" + bytes(100), random.Random(7).randbytes(4096),
    b"\x01\x00" * 2000,  # NULs at odd positions, like UTF-16, but control characters once decoded
    b"\xff\xfe" + b"\x03\x00" * 500,  # a UTF-16 byte-order mark before control characters
])
def test_binary_input_is_refused(raw):
    with pytest.raises(BinaryInputError, match="binary|readable"):
        decode_bytes(raw)


def test_non_utf8_text_is_read_and_noted():
    raw = "Les forces sont entrées à Kharkiv, a déclaré le ministère. Café crème à Genève.".encode("cp1252")
    article = load_article(raw, published=dt.date(2022, 4, 19))
    assert "Genève" in article.text
    assert any("not UTF-8" in n for n in article.notes)


def test_too_large_article_raises_with_limit():
    with pytest.raises(ArticleTooLargeError) as info:
        load_article("Word " * 300_000, max_chars=1_000_000)
    assert info.value.limit == 1_000_000 and "limit" in str(info.value)


def test_html_scripts_and_markup_are_removed():
    html = ("<html><head><title>Shelling in Kharkiv</title><script>alert(1)</script></head><body>"
            "<article><p>Russian forces shelled Kharkiv on Monday, officials said.</p>"
            "<p><img src=x onerror=alert(2)>Residents fled to Poltava.</p></article></body></html>")
    article = load_article(html, filename="a.html", published=dt.date(2022, 4, 19))
    assert "alert" not in article.text and "<" not in article.text
    assert "Kharkiv" in article.text and "Poltava" in article.text


def test_markdown_is_flattened():
    article = load_article("# Heading\n\nTroops moved to **Kharkiv** ([map](http://x)).", filename="a.md")
    assert "**" not in article.text and "Kharkiv" in article.text and "http" not in article.text


def test_publication_date_is_proposed_from_text():
    text = "On March 3, 2022 the talks began. By April 18, 2022 they had failed. In 2031 we will see."
    assert propose_publication_date(text, today=dt.date(2026, 1, 1)) == dt.date(2022, 4, 18)
    assert propose_publication_date("No dates here at all.") is None


def test_hard_wrapped_lines_are_joined_one_character_for_one():
    from geo.ingest import unwrap_lines

    wrapped = ("A landslide in northern Italy has buried six houses in a mountain village, rescuers\n"
               "    said. The mayor said the slope above Bormio, a ski resort in the Upper\n"
               "    Valtellina, gave way after three days of heavy rain and cut the road to the\n"
               "    pass, so supplies were flown in by helicopter on Sunday morning.\n"
               "Two hikers are still missing\n"
               "Photos from the valley showed the mud.")
    out = unwrap_lines(wrapped)
    assert len(out) == len(wrapped)
    assert "rescuers     said." in out and "Upper     Valtellina" in out and "the     pass" in out
    assert "missing\nPhotos" in out  # a short line before a capital is a line of its own
    sample = SAMPLE.read_text()
    assert unwrap_lines(sample) == sample  # one paragraph per line: nothing to join
    assert unwrap_lines("HEADLINE IN CAPITALS\nthe story starts here.") == "HEADLINE IN CAPITALS\nthe story starts here."


UTF16_TEXT = "Les forces sont entrées à Kharkiv lundi, a déclaré le ministère à Genève.\r\nSecond paragraph.\r\n"


@pytest.mark.parametrize("bom, encoding", [
    (codecs.BOM_UTF16_LE, "utf-16-le"), (codecs.BOM_UTF16_BE, "utf-16-be"), (b"", "utf-16-le"), (b"", "utf-16-be"),
])
def test_utf16_text_is_read_with_or_without_byte_order_mark(bom, encoding):
    article = load_article(bom + UTF16_TEXT.encode(encoding), published=dt.date(2022, 4, 19), filename="a.txt")
    assert "entrées à Kharkiv" in article.text and "Genève" in article.text and "\x00" not in article.text
    assert [s.paragraph for s in article.sentences] == [0, 1]
    assert any("utf-16" in n for n in article.notes)


def test_utf16_html_is_read():
    html = "<html><body><p>Russian forces shelled Kharkiv on Monday, officials said.</p></body></html>"
    article = load_article(codecs.BOM_UTF16_LE + html.encode("utf-16-le"), filename="a.html")
    assert "Kharkiv" in article.text and "<p>" not in article.text


@pytest.mark.parametrize("depth", [10_000, 100_000])
def test_deeply_nested_html_keeps_its_text_and_drops_scripts(depth):
    html = ("<html><head><script>alert(1)</script></head><body>" + "<div>" * depth
            + "<p>Russian forces shelled Kharkiv on Monday, officials said.</p><script>alert(2)</script>"
            + "<style>p { color: red }</style>" + "</div>" * depth + "</body></html>")
    started = time.perf_counter()
    article = load_article(html, filename="deep.html", published=dt.date(2022, 4, 19))
    assert time.perf_counter() - started < 10
    assert article.text == "Russian forces shelled Kharkiv on Monday, officials said."


def test_hostile_html_never_yields_script_text():
    from geo.ingest import visible_text

    html = ("<p>Hello</p><script>document.write('</div><p>alert(1)</p>')</script><SCRIPT type=x>alert(2)</SCRIPT >"
            "<noscript><p>alert(3)</p></noscript><template><p>alert(4)</p></template><p>x &amp; y</p><script>alert(5)")
    assert visible_text(html) == "Hello\nx & y"


@pytest.mark.parametrize("published", [dt.date(1, 1, 1), dt.date(1799, 12, 31), dt.date(2201, 1, 1),
                                       dt.date(3000, 1, 1), dt.date(9999, 12, 31), dt.datetime(3000, 1, 1, 12)])
def test_out_of_range_publication_date_is_refused(published):
    with pytest.raises(PublicationDateError, match="out of range.*1800-01-01 to 2200-12-31"):
        load_article("Russian forces shelled Kharkiv on Monday.", published=published)


@pytest.mark.parametrize("published", [dt.date(1800, 1, 1), dt.date(2200, 12, 31)])
def test_publication_dates_at_the_bounds_are_accepted(published):
    assert load_article("Russian forces shelled Kharkiv on Monday.", published=published).published == published


def test_pipeline_load_refuses_an_out_of_range_date_with_a_message(pipeline):
    with pytest.raises(SituationMapError, match="out of range"):
        pipeline.load("Russian forces shelled Kharkiv on Monday.", published=dt.date(3000, 1, 1))


@pytest.mark.parametrize(("head", "expected"), [
    ("Storm floods the harbour\nPublished 3 March 2022\nBy Ann Lee\n\nWater rose on Monday.", dt.date(2022, 3, 3)),
    ("Storm floods the harbour\nThursday, March 3, 2022 10:15 GMT\nWater rose on Monday.", dt.date(2022, 3, 3)),
    ("Storm floods the harbour\nUpdated: 5 Mar 2022 · Published: 3 Mar 2022\nWater rose.", dt.date(2022, 3, 3)),
    ("Storm floods the harbour\nBy Ann Lee, 2022-03-03\nWater rose.", dt.date(2022, 3, 3)),
    # the body's dates are the events', not the article's
    ("Storm floods the harbour\nOn 24 February 2022 the river burst its banks.\nWater rose.", None),
    ("Storm floods the harbour\nWater rose on 3 March 2022, officials said, the worst flood in years.", None),
    ("Storm floods the harbour\nPublished 3 March 2031\nWater rose.", None),  # not after today
])
def test_the_date_an_article_states_of_itself(head, expected):
    stated = stated_publication_date(head, "pasted.txt", today=dt.date(2026, 1, 1))
    assert (stated[0] if stated else None) == expected


def test_a_pages_metadata_date_is_its_stated_date():
    page = ("<html><head><meta property='article:published_time' content='2021-05-02T10:00:00Z'>"
            "<title>Flood</title></head><body><p>Water rose on Monday.</p></body></html>")
    assert stated_publication_date(page, "page.html", today=dt.date(2026, 1, 1)) == (dt.date(2021, 5, 2),
                                                                                     "the page's metadata")


@pytest.mark.parametrize("text, markup", [
    ("Flooding closed two roads near Tarn on <b>Tuesday</b>, the council said.", True),
    ("A first line.\n<p>A ferry stopped at Brindisi.</p>", True),
    ('Rain fell.<br/>Then <a href="https://example.org/x">more</a> rain.', True),
    ("<SPAN class='x'>Hail</SPAN> fell on Cork.", True),
    ("Turnout was <50% in the north and >70% in the south.", False),
    ("The score was 3<4 after the break; a <vote> on the motion followed.", False),
    ("Email <ann@example.org> for the report.", False),
])
def test_pasted_text_with_tags_is_read_as_html(text, markup):
    assert has_markup(text) is markup
    if markup:
        read = load_article(text, filename="pasted.html", published=dt.date(2024, 5, 7)).text
        assert "<" not in read and ">" not in read and ("Tarn" in read or "Brindisi" in read or "rain" in read
                                                        or "Cork" in read)
