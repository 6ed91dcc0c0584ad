"""The article as HTML with places and time expressions highlighted (colour = kind).

All article text is escaped: nothing of the article can become markup or script.
"""

from __future__ import annotations

import html
from dataclasses import dataclass

from geo.model import MentionKind, SentenceKind
from geo.pipeline import Analysis

HIGHLIGHT_COLORS: dict[str, tuple[str, str]] = {
    "facility": ("#fde0c5", "facility / landmark"),
    "city": ("#c6e2ff", "town or city"),
    "area": ("#e1d5f5", "region, country or area"),
    "actor": ("#eeeeee", "people named by nationality (not a place)"),
    "unresolved": ("#ffd6d6", "place not found in the gazetteer"),
    "time": ("#d4f5d0", "time expression"),
}


@dataclass(frozen=True)
class _Span:
    start: int
    end: int
    css: str
    title: str


def _place_css(kind: str | None) -> str:
    if kind in {"facility", "landmark"}:
        return "facility"
    if kind == "city":
        return "city"
    return "area"


def article_html(analysis: Analysis, selected_sentences: int | set[int] | None = None,
                 event_sentences: set[int] | None = None) -> str:
    """HTML of the article: sentences as spans (the selected ones marked: every telling of the selected
    event), mentions and times highlighted."""
    selected = {selected_sentences} if isinstance(selected_sentences, int) else set(selected_sentences or ())
    spans: list[_Span] = []
    for r in analysis.resolutions:
        m = r.mention
        if m.kind is MentionKind.ACTOR:
            css, title = "actor", f"{m.text}: people of {r.place.name if r.place else '?'} (actor, not a place)"
        elif r.place is None:
            css, title = "unresolved", f"{m.text}: not found ({r.reason})"
        else:
            css = _place_css(r.place.kind)
            title = f"{r.place.name} ({r.place.kind}, {r.place.country or '—'}), confidence {r.confidence:.2f}"
        spans.append(_Span(m.start, m.end, css, title))
    for t in analysis.timexes:
        extra = f", {t.bound} that" if t.bound else ""
        spans.append(_Span(t.start, t.end, "time", f"{t.type} {t.value}{extra}"))
    spans.sort(key=lambda s: (s.start, -(s.end - s.start)))
    kept: list[_Span] = []
    for s in spans:
        if kept and s.start < kept[-1].end:
            continue
        kept.append(s)
    text = analysis.article.text
    event_sentences = event_sentences or set()
    parts: list[str] = ['<div class="sm-article">']
    paragraph = -1
    for sentence in analysis.article.sentences:
        if sentence.paragraph != paragraph:
            if paragraph >= 0:
                parts.append("</p>")
            parts.append("<p>")
            paragraph = sentence.paragraph
        classes = ["sm-s"]
        if sentence.kind is not SentenceKind.STORY:
            classes.append("sm-promo")
        if sentence.index in event_sentences:
            classes.append("sm-has-event")
        if sentence.index in selected:
            classes.append("sm-selected")
        title = {SentenceKind.PROMO: ' title="set apart: promotional line, never an event"',
                 SentenceKind.CREDIT: ' title="set apart: credit line"'}.get(sentence.kind, "")
        if sentence.index in event_sentences and not title:
            title = ' title="Click: show its event on the map"'

        parts.append(f'<span class="{" ".join(classes)}" id="s{sentence.index}"{title}>')
        pos = sentence.start
        for s in kept:
            if s.start < sentence.start or s.end > sentence.end:
                continue
            parts.append(html.escape(text[pos:s.start]))
            parts.append(f'<mark class="sm-{s.css}" title="{html.escape(s.title, quote=True)}">'
                         f"{html.escape(text[s.start:s.end])}</mark>")
            pos = s.end
        parts.append(html.escape(text[pos:sentence.end]))
        parts.append("</span> ")
    parts.append("</p></div>")
    return "".join(parts)


def article_css() -> str:
    rules = [f".sm-article mark.sm-{k} {{ background: {c}; border-radius: 3px; padding: 0 2px; }}"
             for k, (c, _) in HIGHLIGHT_COLORS.items()]
    rules += [
        ".sm-article { font: 16px/1.6 Georgia, serif; max-height: 640px; overflow-y: auto; padding-right: 8px; }",
        # On a phone the text follows the map at full length: no scroll box inside the page's scroll.
        "@media (max-width: 700px) { .sm-article { max-height: none; overflow: visible; } }",
        ".sm-article .sm-promo { color: #8a8a8a; font: italic 12px/1.4 system-ui, sans-serif; }",
        ".sm-article .sm-promo::before { content: 'set apart (not the story): '; font-style: normal; color: #aaa; }",
        ".sm-article .sm-has-event { border-bottom: 2px dotted #bbb; cursor: pointer; }",
        ".sm-article .sm-has-event:hover { background: #fff6d5; }",
        ".sm-article .sm-selected { background: #fff3a8; outline: 2px solid #f0c800; border-radius: 3px; }",
        ".sm-key mark { border-radius: 3px; padding: 0 4px; margin-right: 6px; font-size: 12px; }",
    ]
    return "<style>" + "\n".join(rules) + "</style>"


def legend_html() -> str:
    items = "".join(f'<mark style="background:{c}">{html.escape(label)}</mark>'
                    for c, label in HIGHLIGHT_COLORS.values())
    return f'<div class="sm-key">{items}</div>'
