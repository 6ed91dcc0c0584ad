"""Ingest: bytes or text (plain, Markdown, HTML) -> an Article with paragraph and sentence offsets.

Promotional lines ("CLICK HERE TO GET THE FOX NEWS APP") and credit lines are set apart
(``SentenceKind.PROMO`` / ``CREDIT``) so that no event is ever made from them.
"""

from __future__ import annotations

import codecs
import datetime as dt
import hashlib
import logging
import re
from dataclasses import dataclass
from html.parser import HTMLParser

from geo.errors import (
    ArticleTooLargeError,
    BinaryInputError,
    EmptyArticleError,
    InputError,
    PublicationDateError,
)
from geo.model import Article, Sentence, SentenceKind

log = logging.getLogger(__name__)

DEFAULT_MAX_CHARS = 1_000_000

_ABBREVIATIONS = {
    "mr", "mrs", "ms", "dr", "prof", "gen", "col", "lt", "sgt", "capt", "maj", "adm", "gov", "sen",
    "rep", "st", "mt", "ft", "jr", "sr", "inc", "co", "corp", "ltd", "vs", "etc", "no", "fig", "approx",
    "jan", "feb", "mar", "apr", "jun", "jul", "aug", "sep", "sept", "oct", "nov", "dec",
    "a.m", "p.m", "u.s", "u.k", "u.n", "e.u", "d.c", "u.s.a", "i.e", "e.g",
}
_SENTENCE_END = re.compile(r"[.!?]+[\"”’')\]]*(?=\s+[\"“‘(\[]?[A-Z0-9])")
_PROMO = re.compile(
    r"\b(click here|sign up|subscribe|newsletter|download|get the .* app|live updates|read more|"
    r"watch:|follow us|advertisement|share this|related:)\b",
    re.IGNORECASE,
)
_CREDIT = re.compile(r"(contributed to this report|reporting by|editing by|^by [A-Z][a-z]+ [A-Z])", re.IGNORECASE)


_WESTERN_FAMILY = {"cp1250", "cp1252", "cp1257", "latin_1", "iso8859_2", "iso8859_15", "iso8859_9", "cp1254",
                   "mac_roman", "iso8859_3", "iso8859_4", "iso8859_10", "iso8859_13", "iso8859_14", "iso8859_16"}


@dataclass(frozen=True)
class DecodedText:
    text: str
    encoding: str


_BINARY_MESSAGE = ("This looks like a binary file (PDF, image, archive or word-processor file), not text. "
                   "Save the article as .txt, .md or .html, or paste its text.")
# Byte-order marks, longest first: a UTF-32-LE mark begins with the UTF-16-LE one.
_BOMS = ((codecs.BOM_UTF32_LE, "utf-32"), (codecs.BOM_UTF32_BE, "utf-32"),
         (codecs.BOM_UTF16_LE, "utf-16"), (codecs.BOM_UTF16_BE, "utf-16"))


def _mostly_printable(text: str) -> bool:
    sample = text[:4096]
    printable = sum(1 for ch in sample if ch.isprintable() or ch in "\n\r\t")
    return printable >= 0.95 * len(sample)


def _decode_wide(raw: bytes) -> DecodedText | None:
    """UTF-16 (what Windows Notepad saves as "Unicode") or UTF-32 text: by its byte-order mark or, without
    one, by NUL bytes at one parity of positions only (the high bytes of Latin text); None when it is not."""
    for bom, encoding in _BOMS:
        if raw.startswith(bom):
            try:
                text = raw.decode(encoding)
            except UnicodeDecodeError:
                return None
            return DecodedText(text, encoding) if _mostly_printable(text) else None
    sample = raw[:4096]
    half = max(len(sample) // 2, 1)
    nul_even, nul_odd = sample[0::2].count(0) / half, sample[1::2].count(0) / half
    dominant, other = max(nul_even, nul_odd), min(nul_even, nul_odd)
    if len(raw) % 2 or dominant < 0.1 or other > dominant / 4:
        return None
    encoding = "utf-16-le" if nul_odd > nul_even else "utf-16-be"
    try:
        text = raw.decode(encoding)
    except UnicodeDecodeError:
        return None
    return DecodedText(text, encoding) if _mostly_printable(text) else None


def decode_bytes(raw: bytes) -> DecodedText:
    """Decode uploaded bytes; refuse binary files with a message that says so."""
    if not raw.strip():
        raise EmptyArticleError("The file is empty: there is no text to map.")
    wide = _decode_wide(raw)
    if wide is not None:
        return wide
    sample = raw[:4096]
    if b"\x00" in sample or sample.startswith((b"%PDF", b"PK\x03\x04", b"\x89PNG", b"\xff\xd8\xff", b"GIF8")):
        raise BinaryInputError(_BINARY_MESSAGE)
    for encoding in ("utf-8-sig",):
        try:
            return DecodedText(raw.decode(encoding), "utf-8")
        except UnicodeDecodeError:
            pass
    from charset_normalizer import from_bytes

    best = from_bytes(raw).best()
    if best is None:
        raise BinaryInputError("The file is not readable text in any known encoding. Save it as UTF-8 text.")
    encoding = best.encoding
    if encoding in _WESTERN_FAMILY:
        # Short Western-European texts are often guessed as a neighbour of cp1252; news is cp1252 far more often.
        try:
            text, encoding = raw.decode("cp1252"), "cp1252"
        except UnicodeDecodeError:
            text = str(best)
    else:
        text = str(best)
    controls = sum(1 for ch in text[:4096] if ord(ch) < 32 and ch not in "\n\r\t")
    if controls > len(text[:4096]) * 0.05:
        raise BinaryInputError("The file holds many control characters; it looks binary, not like an article.")
    return DecodedText(text, encoding)


def html_to_text(html: str) -> tuple[str, dict[str, str]]:
    """Main text and metadata (title, date) of an HTML page; scripts and markup are dropped."""
    import trafilatura

    text = trafilatura.extract(html, include_comments=False, include_tables=False, favor_recall=True) or ""
    meta: dict[str, str] = {}
    metadata = trafilatura.extract_metadata(html)
    if metadata is not None:
        if metadata.title:
            meta["title"] = metadata.title
        if metadata.date:
            meta["date"] = metadata.date
    page = _collect(html)
    if not text.strip() or (page.max_depth > _LXML_MAX_DEPTH and len(text.strip()) < 0.5 * len(page.text())):
        # Fall back to all visible text: trafilatura may find no "main" block in a short page, and lxml
        # (under trafilatura) drops whatever lies deeper than libxml2's nesting limit, about 255 elements.
        text = page.text()
    return text, meta


_LXML_MAX_DEPTH = 200
_VOID = frozenset({"area", "base", "br", "col", "embed", "hr", "img", "input", "link", "meta", "param", "source",
                   "track", "wbr"})


class _VisibleText(HTMLParser):
    """Collects the text a browser would show, without building a tree, so that no depth of nesting
    loses it; the contents of scripts, styles, <noscript> and <template> are never collected."""

    HIDDEN = frozenset({"script", "style", "noscript", "template"})
    BLOCKS = frozenset({"address", "article", "aside", "blockquote", "br", "dd", "div", "dl", "dt", "figcaption",
                        "footer", "h1", "h2", "h3", "h4", "h5", "h6", "header", "hr", "li", "main", "nav", "ol",
                        "p", "pre", "section", "table", "td", "th", "title", "tr", "ul"})

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.parts: list[str] = []
        self.hidden = 0
        self.depth = self.max_depth = 0

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag not in _VOID:
            self.depth += 1
            self.max_depth = max(self.max_depth, self.depth)
        if tag in self.HIDDEN:
            self.hidden += 1
        elif tag in self.BLOCKS:
            self.parts.append("\n")

    def handle_startendtag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag in self.BLOCKS:
            self.parts.append("\n")

    def handle_endtag(self, tag: str) -> None:
        if tag not in _VOID:
            self.depth = max(self.depth - 1, 0)
        if tag in self.HIDDEN:
            self.hidden = max(self.hidden - 1, 0)
        elif tag in self.BLOCKS:
            self.parts.append("\n")

    def handle_data(self, data: str) -> None:
        if not self.hidden:
            self.parts.append(data)

    def text(self) -> str:
        lines = "".join(self.parts).splitlines()
        return "\n".join(" ".join(line.split()) for line in lines if line.strip())


def _collect(html: str) -> _VisibleText:
    collector = _VisibleText()
    collector.feed(html)
    collector.close()
    return collector


def visible_text(html: str) -> str:
    """All visible text of an HTML page, one line per block, scripts and styles dropped."""
    return _collect(html).text()


_MD_LINK = re.compile(r"!?\[([^\]]*)\]\([^)]*\)")
_MD_MARK = re.compile(r"(^#{1,6}\s+|^>\s?|^\s*[-*+]\s+|\*\*|__|(?<!\w)[*_](?=\w)|(?<=\w)[*_](?!\w)|`)", re.MULTILINE)


def markdown_to_text(md: str) -> str:
    return _MD_MARK.sub("", _MD_LINK.sub(r"\1", md))


def _read_as_html(text: str, filename: str) -> bool:
    """An .html file, or markup in a file not named as text or Markdown."""
    name = filename.lower()
    return name.endswith((".html", ".htm")) or (not name.endswith((".txt", ".md")) and looks_like_html(text))


def looks_like_html(text: str) -> bool:
    head = text[:2000].lower()
    return "<html" in head or "<body" in head or "<!doctype html" in head or (
        head.count("<p") + head.count("<div") >= 2
    )


_TAG = re.compile(r"</?(?:a|abbr|article|aside|b|blockquote|body|br|caption|code|dd|div|dl|dt|em|figcaption|figure|"
                  r"footer|h[1-6]|head|header|hr|html|i|iframe|img|li|link|main|meta|nav|noscript|ol|p|pre|q|s|"
                  r"script|section|small|span|strong|style|sub|sup|table|tbody|td|th|thead|time|title|tr|u|ul)"
                  r"(?:\s[^<>]*)?/?>", re.IGNORECASE)


def has_markup(text: str) -> bool:
    """Whether pasted text holds HTML tags (a fragment copied from a page's source, not only a whole page): then
    it is read as HTML, its tags dropped, rather than shown as text."""
    return looks_like_html(text) or _TAG.search(text) is not None


def classify_line(line: str) -> SentenceKind:
    letters = [ch for ch in line if ch.isalpha()]
    words = line.split()
    upper_share = sum(ch.isupper() for ch in letters) / len(letters) if letters else 0.0
    if len(words) >= 3 and upper_share > 0.85:
        return SentenceKind.PROMO
    if len(words) <= 16 and _PROMO.search(line):
        return SentenceKind.PROMO
    if len(words) <= 16 and _CREDIT.search(line):
        return SentenceKind.CREDIT
    return SentenceKind.STORY


def split_sentences(text: str) -> list[Sentence]:
    """Paragraphs are lines; sentences split at ., ! or ? before a capital, skipping abbreviations."""
    sentences: list[Sentence] = []
    offset = 0
    paragraph = 0
    for line in text.split("\n"):
        line_start = offset
        offset += len(line) + 1
        if not line.strip():
            continue
        kind = classify_line(line)
        pieces: list[tuple[int, int]] = []
        start = 0
        for match in _SENTENCE_END.finditer(line):
            before = line[start : match.start()].split()
            last = before[-1].lower().rstrip(".") if before else ""
            if last in _ABBREVIATIONS or (len(last) == 1 and last.isalpha()):
                continue
            pieces.append((start, match.end()))
            start = match.end()
        pieces.append((start, len(line)))
        for a, b in pieces:
            chunk = line[a:b]
            lead = len(chunk) - len(chunk.lstrip())
            chunk = chunk.strip()
            if not chunk:
                continue
            s = line_start + a + lead
            sentences.append(Sentence(len(sentences), s, s + len(chunk), chunk, paragraph, kind))
        paragraph += 1
    return sentences


_CONTROL = {i: " " for i in range(32) if chr(i) not in "\n\t"} | {0x7F: " ", 0xA0: " ", 0x2028: "\n", 0x2029: "\n"}


def _clean(text: str) -> str:
    """Normalise whitespace and drop control characters, one character for one, so that offsets into
    the cleaned text are offsets into what the user gave ("\r\n" becomes " \n")."""
    return text.translate(_CONTROL)


_TERMINAL = tuple(".!?:;\"”’)]")


def unwrap_lines(text: str) -> str:
    """Join hard-wrapped lines ("...has killed 13 soldiers, officials\\n    say."), one character for one (the
    line break becomes a space), so offsets still index what the user gave. A line break is a soft wrap when
    the next line starts in lower case, or when the text is hard-wrapped (most lines without end punctuation
    fill at least three quarters of the longest line) and this line fills the width and stops mid-sentence.
    Headlines and promotional lines (capitals) are never joined."""
    lines = text.split("\n")
    stripped = [ln.rstrip() for ln in lines]
    open_ended = [ln for ln in stripped if ln.strip() and not ln.endswith(_TERMINAL)]
    width = max((len(ln) for ln in stripped), default=0)
    wrapped = len(open_ended) >= 3 and sum(len(ln) >= 0.75 * width for ln in open_ended) >= 0.6 * len(open_ended)
    out = list(text)
    pos = 0
    for i, line in enumerate(lines[:-1]):
        pos += len(line)
        here, after = stripped[i], lines[i + 1].strip()
        if here.strip() and after and not here.endswith(_TERMINAL) and classify_line(here) is SentenceKind.STORY:
            if after[0].islower() or (wrapped and len(here) >= 0.85 * width and (here[-1].isalnum() or here[-1] == ",")):
                out[pos] = " "
        pos += 1
    return "".join(out)


def _title_from(text: str, sentences: list[Sentence]) -> str:
    """A short first line is the headline; else the first sentence, cut at a word."""
    first_line = text.strip().split("\n", 1)[0].strip()
    if 0 < len(first_line) <= 120 and not first_line.endswith("."):
        return first_line
    first = sentences[0].text
    return first if len(first) <= 90 else first[:90].rsplit(" ", 1)[0] + "…"


# Publication dates are accepted from 1800 to 2200. Event times become pandas Timestamps, which cover only
# 1677-09-21 .. 2262-04-11, and are read relative to the publication date: "last century" or "three decades
# ago" reach back up to about a century, "next year" or "in 30 years" forward by decades. The range leaves a
# century of room before and 60 years after it; no news article is published outside it.
EARLIEST_PUBLISHED_YEAR = 1800
LATEST_PUBLISHED_YEAR = 2200


def check_published(published: dt.date) -> dt.date:
    """The publication date, if the app can place events relative to it; else PublicationDateError."""
    if not EARLIEST_PUBLISHED_YEAR <= published.year <= LATEST_PUBLISHED_YEAR:
        raise PublicationDateError(
            f"The publication date {published.isoformat()} is out of range: give the date the article was "
            f"published, from {EARLIEST_PUBLISHED_YEAR}-01-01 to {LATEST_PUBLISHED_YEAR}-12-31."
        )
    return published


def article_id_for(text: str) -> str:
    return "a-" + hashlib.sha1(text.encode("utf-8")).hexdigest()[:10]


def load_article(
    content: str | bytes,
    *,
    published: dt.date | None = None,
    article_id: str | None = None,
    title: str = "",
    source: str = "",
    filename: str = "",
    max_chars: int = DEFAULT_MAX_CHARS,
) -> Article:
    """Turn raw content into an Article. Raises an InputError subclass with a user-facing message."""
    if published is not None:
        check_published(published)
    notes: list[str] = []
    if isinstance(content, bytes):
        decoded = decode_bytes(content)
        if decoded.encoding not in {"utf-8", "ascii"}:
            notes.append(f"The file was not UTF-8; it was read as {decoded.encoding}.")
        content = decoded.text
    if not content.strip():
        raise EmptyArticleError("The article is empty: paste or upload some text to map.")
    meta: dict[str, str] = {}
    if _read_as_html(content, filename):
        content, meta = html_to_text(content)
        notes.append("Read as HTML: markup, scripts and page furniture were removed.")
    elif filename.lower().endswith((".md", ".markdown")):
        content = markdown_to_text(content)
    text = unwrap_lines(_clean(content))
    if not text.strip():
        raise EmptyArticleError("The article holds no readable text once markup is removed.")
    if len(text) > max_chars:
        raise ArticleTooLargeError(len(text), max_chars)
    published_source = "user"
    if published is None and meta.get("date"):
        try:
            published = check_published(dt.date.fromisoformat(meta["date"][:10]))
            published_source = "html-metadata"
            notes.append(f"Publication date {published.isoformat()} taken from the page's metadata.")
        except (ValueError, PublicationDateError):
            published = None
            log.info("unusable HTML date %r", meta.get("date"))
    if published is None:
        published_source = "default"
    sentences = split_sentences(text)
    if not sentences:
        raise InputError("No sentences were found in the article.")
    return Article(
        article_id=article_id or article_id_for(text),
        text=text,
        published=published,
        title=title or meta.get("title", "") or _title_from(text, sentences),
        source=source,
        sentences=tuple(sentences),
        published_source=published_source,
        notes=tuple(notes),
    )


def propose_publication_date(text: str, today: dt.date | None = None) -> dt.date | None:
    """The latest full date (day, month and year) the text names, not after today; None if it names none."""
    from geo.timex import TimeTagger

    today = today or dt.date.today()
    found = []
    for timex in TimeTagger().tag_text(text[:200_000], today):
        if timex.type == "DATE" and len(timex.value) == 10 and timex.interval_start and re.search(r"\d{4}", timex.text):
            day = timex.interval_start.date()
            if day <= today:
                found.append(day)
    return max(found) if found else None


# A byline or dateline line at the head of an article: "Published 3 March 2022", "Updated: Mar 3, 2022 10:15 GMT".
_BYLINE_WORD = re.compile(r"^\W*(?:first\s+)?(?:published|posted|updated|last\s+updated|date|dated|filed|issued)\b"
                          r"|\b(?:published|posted)\s+(?:on\s+)?", re.IGNORECASE)
_CLOCK_WORDS = {"at", "on", "am", "pm", "gmt", "utc", "bst", "cet", "cest", "eet", "eest", "msk", "est", "edt", "pst",
                "pdt", "ist", "monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday", "mon",
                "tue", "wed", "thu", "fri", "sat", "sun"}
BYLINE_HEAD_LINES = 8  # the lines of the head searched for a byline date (title, standfirst, byline, dateline)
BYLINE_LINE_CHARS = 160  # longer lines are the story's body, whose dates are the events'


def stated_publication_date(content: str | bytes, filename: str = "",
                            today: dt.date | None = None) -> tuple[dt.date, str] | None:
    """The publication date the article states of itself, and where it was read: a web page's metadata, else a
    byline line at its head (a short line that is a full date, or says "Published"/"Updated" before one; of
    several, the earliest: the date of first publication). None when it states none (the body's dates are not
    its own)."""
    from geo.timex import TimeTagger

    today = today or dt.date.today()
    text = decode_bytes(content).text if isinstance(content, bytes) else content
    if _read_as_html(text, filename):
        text, meta = html_to_text(text[:2_000_000])
        try:
            day = dt.date.fromisoformat(meta.get("date", "")[:10])
            if dt.date(1900, 1, 1) <= day <= today:
                return day, "the page's metadata"
        except ValueError:
            pass
    lines = [line.strip() for line in _clean(text[:20_000]).splitlines() if line.strip()][:BYLINE_HEAD_LINES]
    found = []
    tagger = TimeTagger()
    for line in lines:
        if len(line) > BYLINE_LINE_CHARS:
            continue
        for timex in tagger.tag_text(line, today):
            if timex.type != "DATE" or len(timex.value) != 10 or not re.search(r"\d{4}", timex.text):
                continue
            rest = [w for w in re.findall(r"[^\W\d_]{2,}", line[:timex.start] + " " + line[timex.end:])
                    if w.lower() not in _CLOCK_WORDS]
            if _BYLINE_WORD.search(line) or not rest or line.startswith("By "):  # a byline, or only the date
                day = dt.date.fromisoformat(timex.value)
                if dt.date(1900, 1, 1) <= day <= today:
                    found.append(day)
    return (min(found), "the byline") if found else None
