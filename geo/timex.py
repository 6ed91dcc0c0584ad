"""Time expressions -> TIMEX3-style values and intervals, anchored on the publication date.

A rule-based tagger written for news (dateparser alone reads a bare "Tuesday" as the week before,
"the 36th" as 1936 and "we" as a date). Conventions:

* a bare weekday is the most recent such day, the publication day included ("Tuesday" in an article
  of Tuesday 2022-04-19 is that day); with a future cue ("will") it is the coming one, the publication day
  included ("resume by Saturday evening" in a Saturday story is that evening); "next Saturday" on a Saturday is
  a week on;
* "last week" is a week interval (value ``2022-W15``), "last month" a month, "last year" a year;
* "more than 50 days ago" is an open bound: on or before that day (``bound="before"``);
* clock times take their zone ("5 a.m. EDT"; "local time" is the article's zone) and are stored
  as UTC intervals; a time with no day in its sentence takes the last day named before it;
* durations ("weeks of shelling", "for three days") are DURATION values (``PXW``, ``P3D``), never dates;
* no dates from ordinals ("the 36th"), bare numbers, unit names or pronouns.

Intervals are naive datetimes, half-open ``[start, end)``.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from zoneinfo import ZoneInfo

from geo.model import Article, TimeExpression, TimePrecision
from geo.settings import disabled_rules

MONTHS = {m: i for i, m in enumerate(
    ["january", "february", "march", "april", "may", "june", "july", "august", "september", "october",
     "november", "december"], start=1)}
MONTH_ABBR = {"jan": 1, "feb": 2, "mar": 3, "apr": 4, "jun": 6, "jul": 7, "aug": 8, "sep": 9, "sept": 9,
              "oct": 10, "nov": 11, "dec": 12}
WEEKDAYS = {d: i for i, d in enumerate(["monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday"])}
NUMBER_WORDS = {"a": 1, "an": 1, "one": 1, "two": 2, "three": 3, "four": 4, "five": 5, "six": 6, "seven": 7,
                "eight": 8, "nine": 9, "ten": 10, "eleven": 11, "twelve": 12, "fifteen": 15, "twenty": 20,
                "thirty": 30, "forty": 40, "fifty": 50, "sixty": 60, "hundred": 100, "several": None,
                "a few": None, "few": None, "many": None, "couple of": 2, "a couple of": 2}
UNIT = {"second": "S", "minute": "MIN", "hour": "H", "day": "D", "week": "W", "fortnight": "W", "month": "M",
        "year": "Y", "decade": "DE", "century": "CE"}
ZONES = {"utc": 0, "gmt": 0, "z": 0, "edt": -4, "est": -5, "cdt": -5, "cst": -6, "mdt": -6, "mst": -7,
         "pdt": -7, "pst": -8, "bst": 1, "cet": 1, "cest": 2, "eet": 2, "eest": 3, "msk": 3, "ist": 5.5,
         "jst": 9, "aest": 10}
PARTS_OF_DAY = {"morning": (6, 12), "afternoon": (12, 18), "evening": (18, 22), "night": (20, 24),
                "overnight": (0, 6), "midday": (12, 13), "noon": (12, 13), "midnight": (0, 1)}

_MONTH_ALT = "|".join(sorted(list(MONTHS) + [m + r"\.?" for m in MONTH_ABBR], key=len, reverse=True))
_WEEKDAY_ALT = "|".join(WEEKDAYS) + r"|(?:mon|tue|tues|wed|thu|thur|thurs|fri|sat|sun)\.(?=\s)"  # "Sun." not "Sun Valley"
_NUM = r"(?:\d+|a|an|one|two|three|four|five|six|seven|eight|nine|ten|eleven|twelve|fifteen|twenty|thirty|forty|fifty|sixty|several|a few|few|many|a couple of|couple of)"
_UNIT = r"(?:second|minute|hour|day|week|fortnight|month|year|decade|centur(?:y|ie))s?"
_ZONE = r"(?:\s?(?P<zone>UTC|GMT|EDT|EST|CDT|CST|MDT|MST|PDT|PST|BST|CET|CEST|EET|EEST|MSK|IST|JST|AEST|local time|ET|PT))?"
_CLOCK = r"(?P<clock>(?P<hh>\d{1,2})(?::(?P<mm>\d{2}))?\s?(?P<ampm>a\.m\.|p\.m\.|am|pm)|noon|midnight)"


@dataclass(frozen=True)
class _Rule:
    name: str
    pattern: re.Pattern[str]
    #: Words the rule cannot match without any of (lower case): the rule is skipped on text lacking them (speed).
    needs: tuple[str, ...] = ()


SEASONS = {"spring": "SP", "summer": "SU", "autumn": "FA", "fall": "FA", "winter": "WI"}  # TIMEX3 season codes
SEASON_FIRST_MONTH = {"SP": 3, "SU": 6, "FA": 9, "WI": 12}
_MONTH_STEMS = ("jan", "feb", "mar", "apr", "may", "jun", "jul", "aug", "sep", "oct", "nov", "dec")
_DAY_STEMS = ("mon", "tue", "wed", "thu", "fri", "sat", "sun")
_NEEDS = {
    "mdy_range": _MONTH_STEMS, "mdy": _MONTH_STEMS, "dmy": _MONTH_STEMS, "month_year": _MONTH_STEMS,
    "month": _MONTH_STEMS, "bare_month": _MONTH_STEMS, "ago": ("ago",), "weekday": _DAY_STEMS,
    "rel_day": ("today", "yesterday", "tomorrow", "tonight"), "this_part": ("morning", "afternoon", "evening", "night"),
    "rel_unit": ("week", "month", "year", "spring", "summer", "autumn", "fall", "winter"),
    "quarter": ("quarter",), "fiscal_year": ("fiscal",), "century": ("century",), "decade": ("0s",),
    "weekend": ("weekend",), "this_year": ("year",), "spelled_year": ("nineteen", "twenty", "thousand"),
    "year_earlier": ("earlier", "ago", "before"), "vague_duration": ("hours", "days", "weeks", "months", "years", "decades"),
    "season": ("spring", "summer", "autumn", "fall", "winter"),
    "duration": ("second", "minute", "hour", "day", "week", "fortnight", "month", "year", "decade", "centur"),
}


def _r(name: str, pattern: str) -> _Rule:
    return _Rule(name, re.compile(pattern, re.IGNORECASE), _NEEDS.get(name, ()))


RULES: list[_Rule] = [
    _r("iso", r"\b(?P<y>(?:19|20)\d{2})-(?P<m>\d{2})-(?P<d>\d{2})\b"),
    _r("mdy_range", rf"\b(?:from\s)?(?P<mon>{_MONTH_ALT})\s(?P<d1>\d{{1,2}})(?:st|nd|rd|th)?\s?(?:-|–|to|through|until)\s?(?P<d2>\d{{1,2}})(?:st|nd|rd|th)?(?:,?\s(?P<y>(?:19|20)\d{{2}}))?\b"),
    _r("mdy", rf"\b(?:(?P<wd>{_WEEKDAY_ALT}),?\s)?(?P<mon>{_MONTH_ALT})\s(?P<d>\d{{1,2}})(?:st|nd|rd|th)?(?:,?\s(?P<y>(?:19|20)\d{{2}}))?\b(?!\s?(?:%|percent|million|billion|people|km|miles))"),
    _r("dmy", rf"\b(?:(?P<wd>{_WEEKDAY_ALT}),?\s)?(?P<d>\d{{1,2}})(?:st|nd|rd|th)?\s(?:of\s)?(?P<mon>{_MONTH_ALT})(?:,?\s(?P<y>(?:19|20)\d{{2}}))?\b"),
    _r("numeric", r"\b(?P<m>\d{1,2})/(?P<d>\d{1,2})/(?P<y>(?:19|20)?\d{2})\b"),
    _r("month_year", rf"\b(?:(?:early|mid|late|the end of|the beginning of|the start of)[\s-])?(?P<mon>{_MONTH_ALT})(?:\s(?:of\s)?|,\s)(?P<y>(?:19|20)\d{{2}})\b"),
    _r("ago", rf"\b(?P<q>(?:more|less|fewer) than|over|nearly|almost|about|around|some|just|only)?\s?(?P<n>{_NUM})\s(?P<unit>{_UNIT})\sago\b"),
    _r("rel_unit", r"\b(?P<earlier>earlier|later)?\s?(?P<mod>last|this|next|past|previous|coming|current)\s(?P<unit>week(?:end)?|month|year|spring|summer|autumn|fall|winter)\b"),
    _r("rel_day", r"\b(?P<word>today|yesterday|tomorrow|tonight|the day before yesterday|the day after tomorrow)(?:\s(?P<part>morning|afternoon|evening|night))?\b"),
    # Days counted from the day the story is at (the last day named before, or in, the sentence), not from the
    # publication: "the day before", "the following morning", "two days later". "Before"/"after" followed by what
    # they are counted from ("two days before the vote") are not these.
    _r("rel_anchor", r"\b(?:the\s(?P<part>day|night|morning|evening)\s(?P<before>before)(?=\s*(?:[,.;:)]|$))|"
                     r"the\s(?P<order>previous|preceding|following|next)\s(?P<part2>day|night|morning|evening)|"
                     rf"(?P<n>{_NUM}|\d+)\s(?P<unit>days?|weeks?)\s(?P<dir>earlier|later|(?:before|after)(?=\s*(?:[,.;:)]|$))))"),
    _r("this_part", r"\b(?P<mod>this|last)\s(?P<part>morning|afternoon|evening|night)\b"),
    _r("weekday", rf"\b(?:(?P<mod>last|next|this|coming|previous)\s)?(?P<wd>{_WEEKDAY_ALT})(?![a-z])(?:\s(?P<part>morning|afternoon|evening|night|overnight))?\b"),
    _r("clock", rf"\b{_CLOCK}{_ZONE}"),
    _r("month", r"(?=january|february|march|april|june|july|august|september|october|november|december|may)"
                r"(?:(?<=\bin )|(?<=\bsince )|(?<=\bby )|(?<=\buntil )|(?<=\bduring )|(?<=\bof )|(?<=\bearly )|"
                r"(?<=\bmid-)|(?<=\blate )|(?<=\blast )|(?<=\bnext )|(?<=\bthis ))(?-i:(?![a-z]))(?P<mon>january|february|march|april|june|july|"
                r"august|september|october|november|december|may)\b(?!\s\d)"),
    _r("year", r"(?=(?:19|20)\d\d)(?:(?<=\bin )|(?<=\bsince )|(?<=\bby )|(?<=\buntil )|(?<=\bduring )|(?<=\bof )|(?<=\bfrom )|(?<=\bearly )|"
               r"(?<=\bmid-)|(?<=\blate )|(?<=\bend of )|(?<=\bbefore )|(?<=\bafter )|(?<=\byear )|(?<=\bsummer )|"
               r"(?<=\bwinter )|(?<=\bspring )|(?<=\bautumn ))(?P<y>(?:19|20)\d{2})(?!\s?(?:-|–)?\s?(?:\d|percent|%|people|troops|km))\b"),
    _r("quarter", r"\b(?:the\s)?(?:(?P<yr>(?:19|20)\d{2})(?:'s)?\s)?(?:fiscal\s)?(?P<q>first|second|third|fourth|1st|2nd|3rd|4th)[\s-]quarter(?:\s(?:of\s)?(?:fiscal\s)?(?P<y>(?:19|20)\d{2}))?\b"),
    _r("rel_quarter", r"\b(?:the|this|last|that|its)\s(?P<mod>latest|current|recent|past|previous|last|same|year-ago|year-earlier|comparable|prior-year|fiscal)?\s?(?:quarter\b(?!ly)|(?<=latest\s)period\b)"),
    _r("fiscal_year", r"\bfiscal\s(?:year\s)?(?P<y>(?:19|20)\d{2})\b"),
    _r("year_earlier", r"\b(?:a|one)\s(?:year|month|week)\s(?:earlier|before|ago)\b|\b(?:year|month)[- ](?:earlier|ago)\b"),
    _r("century", r"\b(?:the\s)?(?P<n>\d{1,2})(?:st|nd|rd|th)\scentury\b"),
    _r("spelled_year", r"\b(?:nineteen|twenty)\s(?:hundred\s)?(?:ten|eleven|twelve|thirteen|fourteen|fifteen|sixteen|seventeen|eighteen|nineteen|(?:twenty|thirty|forty|fifty|sixty|seventy|eighty|ninety)(?:-(?:one|two|three|four|five|six|seven|eight|nine))?)\b|\bthe\syear\stwo\sthousand(?:\sand\s\w+)?\b"),
    # A month's name is capitalised: "on a march", "the march on the capital" are walks, not March.
    _r("bare_month", r"\b(?-i:(?![a-z]))(?P<mon>January|February|March|April|June|July|August|September|October|November|"
                     r"December)\b(?!\s\d)"),
    _r("bare_year", r"(?<![\d,.$#-])(?P<y>(?:19[0-9]|20[0-4])\d)(?![\d,%-]|\s?(?:percent|people|troops|km|miles|tons|barrels|shares|units|votes|cases|acres|feet|pounds|dollars))"),
    _r("decade", r"\b(?:the\s)?(?:early\s|mid-?|late\s)?(?P<dec>(?:19|20)\d0)s\b"),
    _r("duration", rf"\b(?:for\s|(?P<q>more than|over|nearly|almost|about|some|the past|the last|the next|in)\s)?(?P<n>{_NUM}|\d+)[\s-](?P<unit>{_UNIT})(?:\s(?:long|old))?\b"),
    _r("vague_duration", r"\b(?P<unit>hours|days|weeks|months|years|decades)(?=\s(?:of|on end|later|earlier)\b)"),
    _r("present", r"\b(?P<word>now|currently|current|recent|at present|at the moment|nowadays|these days|recently|lately|"
                  r"in recent (?:days|weeks|months|years)|(?:in )?the (?:last|past) few (?:days|weeks|months|years)|"
                  r"past years|the past|in the past|soon|(?:in|into|for) the (?:near |distant )?future|"
                  r"(?:in )?(?:the )?coming (?:days|weeks|months|quarters|years)|future quarters|the (?:near|short) term)\b"),
    _r("weekend", r"\b(?:(?P<ahead>ahead of|before|until|this coming)\s)?the weekend\b"),
    _r("season", r"\b(?:the|this|over the|in the|during the)\s(?:early\s|late\s)?(?P<season>spring|summer|autumn|fall|winter)\b"
                 r"(?!\sof\s(?!(?:19|20)\d\d))(?:\sof\s(?P<y>(?:19|20)\d{2}))?"),
    _r("this_year", r"\b(?:for\s)?the\s(?:full\s|fiscal\s|current\s|current\sfiscal\s)?year\b"
                    r"(?!\s(?:ago|earlier|before|later|after|of|in|when|that|to|which|\d))(?!-)|"
                    r"\b(?:(?:by|at|around|until|before)\s)(?:the\s)?(?:year[- ]end|year's end|end of the year)\b"),
    _r("set", rf"\b(?P<word>every\s(?:{_WEEKDAY_ALT}|day|week|month|year|morning|night)|daily|weekly|monthly|annually|each (?:day|week|month|year))\b"),
]
# "A year earlier" in a results story means the same quarter a year before (TimeML anchoring granularity).
YEAR_SHIFT = re.compile(r"^(?:a |one )?year[- ](?:earlier|ago|before)$|^the (?:year-ago|year-earlier|corresponding|"
                        r"comparable|same) (?:period|quarter)(?: last year)?$|^year-(?:earlier|ago)$", re.I)
# For a month, a day or a weekday named without its year: the tense cue nearest the expression decides
# whether it is the coming or the last occurrence ("will meet the mayor on Thursday", "stepped down in March").
_FUTURE_WORDS = (r"(?:will|would|shall|'ll|to) (?:be|have) [a-z]+|will|'ll|shall|would|scheduled|expects?|expected|plans? to|planned|is to|are to|going to|next|upcoming|"
                 r"due|payable|effective|set to|slated|coming|ahead of|tomorrow|later this|intends?|hopes? to|aims? to|"
                 # a possibility ahead: "talks may resume over the weekend" (lower case: "May" is the month)
                 r"(?-i:may|might)(?! have\b)")
_PAST_WORDS = (r"had (?:been )?(?:due|scheduled|set|expected|planned|slated)|previously planned|was|were|had|did|ago|last|earlier|said|says|told|took|made|bought|sold|brought|met|began|came|went|gave|"
               r"got|held|left|paid|won|lost|saw|became|fell|rose|thought|knew|found|led|ran|spent|struck|sought|"
               r"(?![a-z]*eed\b)(?!(?:expect|schedul|plann|propos|slat|intend|hundr|"
               r"unit|limit|bas|relat|concern|interest|detail|advanc)ed\b)[a-z]{2,}ed")
DATE_CUES = re.compile(rf"\b(?:(?P<future>{_FUTURE_WORDS})|(?P<past>{_PAST_WORDS}))\b", re.I)


def _weekday(name: str) -> int:
    return next(i for k, i in WEEKDAYS.items() if k.startswith(name.lower()[:3]))


def tense_direction(text: str, start: int, end: int, *, deadline: bool = True) -> int:
    """+1 if the tense cue nearest to ``text[start:end]`` points ahead, -1 if it points back, 0 if there is none.
    The verb governing a time adverbial mostly comes before it, so a cue after the expression counts at twice
    its distance. With ``deadline``, "by" or "until" right before the expression is a deadline, so ahead."""
    if deadline and re.search(r"\b(?:by|until|till)\s+(?:the\s+)?$", text[:start], re.I):
        return 1
    best: tuple[int, int] | None = None
    for cue in DATE_CUES.finditer(text):
        if start <= cue.start() < end:
            continue
        distance = start - cue.end() if cue.end() <= start else 2 * (cue.start() - end)
        if best is None or distance < best[0]:
            best = (distance, 1 if cue.group("future") else -1)
    return best[1] if best else 0


_UNITS_WORDS = {"one": 1, "two": 2, "three": 3, "four": 4, "five": 5, "six": 6, "seven": 7, "eight": 8, "nine": 9}
_TEENS = {"ten": 10, "eleven": 11, "twelve": 12, "thirteen": 13, "fourteen": 14, "fifteen": 15, "sixteen": 16,
          "seventeen": 17, "eighteen": 18, "nineteen": 19}
_TENS = {"twenty": 20, "thirty": 30, "forty": 40, "fifty": 50, "sixty": 60, "seventy": 70, "eighty": 80, "ninety": 90}


def _spelled_year(text: str) -> int | None:
    """"nineteen ninety-six" -> 1996; "the year two thousand" -> 2000."""
    words = text.lower().replace("-", " ").split()
    if "thousand" in words:
        rest = words[words.index("thousand") + 1:]
        rest = [w for w in rest if w != "and"]
        return 2000 + sum(_UNITS_WORDS.get(w, 0) + _TEENS.get(w, 0) + _TENS.get(w, 0) for w in rest)
    words = [w for w in words if w != "hundred"]
    if len(words) < 2 or words[0] not in {"nineteen", "twenty"}:
        return None
    century = 1900 if words[0] == "nineteen" else 2000
    tail = sum(_UNITS_WORDS.get(w, 0) + _TEENS.get(w, 0) + _TENS.get(w, 0) for w in words[1:])
    return century + tail if 0 < tail < 100 else None


def _num(text: str) -> int | None:
    text = text.lower().strip()
    if text.isdigit():
        return int(text)
    return NUMBER_WORDS.get(text)


def _month(text: str) -> int:
    key = text.lower().rstrip(".")
    return MONTHS.get(key) or MONTH_ABBR[key[:4] if key.startswith("sept") else key[:3]]


def day_interval(d: dt.date) -> tuple[dt.datetime, dt.datetime]:
    """The day as a half-open interval [00:00, next 00:00)."""
    start = dt.datetime(d.year, d.month, d.day)
    return start, start + dt.timedelta(days=1)


def _week(d: dt.date) -> tuple[dt.datetime, dt.datetime, str]:
    monday = d - dt.timedelta(days=d.weekday())
    start = dt.datetime(monday.year, monday.month, monday.day)
    iso = monday.isocalendar()
    return start, start + dt.timedelta(days=7), f"{iso[0]}-W{iso[1]:02d}"


def _month_interval(year: int, month: int) -> tuple[dt.datetime, dt.datetime]:
    start = dt.datetime(year, month, 1)
    end = dt.datetime(year + (month == 12), month % 12 + 1, 1)
    return start, end


#: The span of times an event can carry (pandas Timestamps, with a margin): expressions outside it are not dated.
TIMELINE_FIRST = dt.datetime(1678, 1, 1)
TIMELINE_END = dt.datetime(2262, 1, 1)


#: What a normaliser gives: (type, interval start, interval end, TIMEX3 value, precision, bound).
_Norm = tuple[str, dt.datetime | None, dt.datetime | None, str, TimePrecision | None, str | None]
Match = re.Match[str]
Groups = dict[str, str | None]  # a match's named groups
DAY = TimePrecision.DAY


class TimeTagger:
    """Finds and normalises the time expressions of an article."""

    def __init__(self, timezone: str | None = None, disabled: frozenset[str] | None = None) -> None:
        self.timezone = timezone
        off = disabled if disabled is not None else disabled_rules()  # SITMAP_DISABLE_RULES=weekday,...
        self.rules = [r for r in RULES if r.name not in off]

    def tag(self, article: Article) -> list[TimeExpression]:
        dct = article.published or dt.date.today()
        out: list[TimeExpression] = []
        for sentence in article.sentences:
            found = self.tag_text(sentence.text, dct, sentence_index=sentence.index, offset=sentence.start,
                                  reference=self._reference(out, dct))
            out.extend(self._anchor_granularity(t, out) for t in found)
        return out

    @staticmethod
    def _anchor_granularity(timex: TimeExpression, previous: Sequence[TimeExpression]) -> TimeExpression:
        """"A year earlier" after "the third quarter" is that quarter a year before."""
        if not YEAR_SHIFT.match(timex.text):
            return timex
        quarter = next((t for t in reversed(previous)
                        if re.fullmatch(r"\d{4}-Q[1-4]", t.value) and not YEAR_SHIFT.match(t.text)), None)
        if quarter is None:
            return timex
        year, q = int(quarter.value[:4]) - 1, int(quarter.value[-1])
        if "year" not in timex.text.lower() and not timex.text.lower().startswith("the "):
            return timex
        _, start, end, value, precision, _ = TimeTagger._quarter(year, q)
        from dataclasses import replace

        return replace(timex, value=value, interval_start=start, interval_end=end, precision=precision)

    @staticmethod
    def _reference(previous: Sequence[TimeExpression], dct: dt.date) -> dt.date:
        for timex in reversed(previous):
            if timex.precision in {TimePrecision.DAY, TimePrecision.HOUR} and timex.interval_start and not timex.bound:
                return timex.interval_start.date()
        return dct

    def tag_text(self, text: str, dct: dt.date, *, sentence_index: int = 0, offset: int = 0,
                 reference: dt.date | None = None) -> list[TimeExpression]:
        """Tag one piece of text (a sentence); offsets are shifted by ``offset``."""
        spans: list[tuple[int, int, _Rule, re.Match[str]]] = []
        lower = text.lower()
        for rule in self.rules:
            if rule.needs and not any(word in lower for word in rule.needs):
                continue
            for match in rule.pattern.finditer(text):
                if match.group(0).strip():
                    spans.append((match.start(), match.end(), rule, match))
        spans.sort(key=lambda s: (-(s[1] - s[0]), s[0]))  # longest first: "April 18, 2022" over "April"
        chosen: list[tuple[int, int, _Rule, re.Match[str]]] = []
        for span in spans:
            if any(span[0] < e and s < span[1] for s, e, _, _ in chosen):
                continue
            chosen.append(span)
        day_in_sentence = next((self._normalise_in_range(r, m, text, dct, dct) for _, _, r, m in chosen
                                if r.name in {"weekday", "mdy", "dmy", "iso", "rel_day", "numeric"}), None)
        anchor = (day_in_sentence[1].date() if day_in_sentence and day_in_sentence[1] else reference or dct)
        result = []
        for start, _end, rule, match in sorted(chosen, key=lambda s: s[0]):
            norm = self._normalise_in_range(rule, match, text, dct, anchor)
            if norm is None:
                continue
            typ, istart, iend, value, precision, bound = norm
            lead = len(match.group(0)) - len(match.group(0).lstrip())
            tail = len(match.group(0).rstrip())
            result.append(TimeExpression(
                text=match.group(0).strip(), start=offset + start + lead, end=offset + start + tail,
                sentence=sentence_index, type=typ, value=value, interval_start=istart, interval_end=iend,
                precision=precision, bound=bound, confidence=0.9 if precision else 0.7, rule=rule.name,
            ))
        return result

    # -- normalisation per rule ----------------------------------------------------------------
    def _normalise_in_range(self, rule: _Rule, m: re.Match[str], text: str, dct: dt.date, anchor: dt.date
                            ) -> tuple[str, dt.datetime | None, dt.datetime | None, str, TimePrecision | None,
                                       str | None] | None:
        """``_normalise``, or None for a time the timeline cannot hold ("2000 years ago", "in the year 3000"):
        event times are pandas Timestamps, which span 1677-09-21 to 2262-04-11."""
        try:
            norm = self._normalise(rule, m, text, dct, anchor)
        except (ValueError, OverflowError):
            return None  # the date itself cannot exist (year 0 or below, past 9999)
        if norm is not None and any(t is not None and not TIMELINE_FIRST <= t < TIMELINE_END for t in norm[1:3]):
            return None
        return norm

    def _normalise(self, rule: _Rule, m: re.Match[str], text: str, dct: dt.date, anchor: dt.date) -> _Norm | None:
        """The rule's normaliser (``NORMALISERS``: one per rule id) on its match: (type, interval start, interval end,
        TIMEX3 value, precision, bound); ``dct`` the publication day, ``anchor`` the day the story is at."""
        return NORMALISERS[rule.name](self, m, m.groupdict(), text, dct, anchor)

    def _read_iso(self, m: Match, g: Groups, text: str, dct: dt.date, anchor: dt.date) -> _Norm | None:
        d = dt.date(int(g["y"]), int(g["m"]), int(g["d"]))
        return ("DATE", *day_interval(d), d.isoformat(), DAY, None)

    def _read_mdy(self, m: Match, g: Groups, text: str, dct: dt.date, anchor: dt.date) -> _Norm | None:
        month, dnum = _month(g["mon"]), int(g["d"])
        if not 1 <= dnum <= 31:
            return None
        weekday = _weekday(g["wd"]) if g.get("wd") else None
        year = int(g["y"]) if g.get("y") else self._infer_year(
            month, dnum, dct, tense_direction(text, m.start(), m.end()), weekday)
        try:
            d = dt.date(year, month, dnum)
        except ValueError:
            return None
        return ("DATE", *day_interval(d), d.isoformat(), DAY, None)

    def _read_mdy_range(self, m: Match, g: Groups, text: str, dct: dt.date, anchor: dt.date) -> _Norm | None:
        month = _month(g["mon"])
        year = int(g["y"]) if g.get("y") else self._infer_year(
            month, int(g["d1"]), dct, tense_direction(text, m.start(), m.end()))
        try:
            d1, d2 = dt.date(year, month, int(g["d1"])), dt.date(year, month, int(g["d2"]))
        except ValueError:
            return None
        return ("DATE", day_interval(d1)[0], day_interval(d2)[1], f"{d1.isoformat()}/{d2.isoformat()}", DAY, None)

    def _read_numeric(self, m: Match, g: Groups, text: str, dct: dt.date, anchor: dt.date) -> _Norm | None:
        y = int(g["y"]) + (2000 if len(g["y"]) == 2 else 0)
        try:
            d = dt.date(y, int(g["m"]), int(g["d"]))
        except ValueError:
            return None
        return ("DATE", *day_interval(d), d.isoformat(), DAY, None)

    def _read_month_year(self, m: Match, g: Groups, text: str, dct: dt.date, anchor: dt.date) -> _Norm | None:
        month, year = _month(g["mon"]), int(g["y"])
        return ("DATE", *_month_interval(year, month), f"{year}-{month:02d}", TimePrecision.MONTH, None)

    def _read_month(self, m: Match, g: Groups, text: str, dct: dt.date, anchor: dt.date) -> _Norm | None:
        month = _month(g["mon"])
        lead = (text[: m.start()].split() or [""])[-1].lower()
        if lead == "last":
            year = dct.year - (month >= dct.month)
        elif lead == "next":
            year = dct.year + (month <= dct.month)
        elif lead == "this":
            year = dct.year
        else:
            year = self._infer_year(month, 15 if month != dct.month else dct.day, dct,
                                    tense_direction(text, m.start(), m.end()))
        return ("DATE", *_month_interval(year, month), f"{year}-{month:02d}", TimePrecision.MONTH, None)

    def _read_quarter(self, m: Match, g: Groups, text: str, dct: dt.date, anchor: dt.date) -> _Norm | None:
        q = {"first": 1, "1st": 1, "second": 2, "2nd": 2, "third": 3, "3rd": 3, "fourth": 4, "4th": 4}[g["q"].lower()]
        year_text = g.get("yr") or g.get("y")
        current_q = (dct.month - 1) // 3 + 1
        year = int(year_text) if year_text else (
            dct.year if q <= current_q or tense_direction(text, m.start(), m.end()) > 0 else dct.year - 1)
        return self._quarter(year, q)

    def _read_rel_quarter(self, m: Match, g: Groups, text: str, dct: dt.date, anchor: dt.date) -> _Norm | None:
        mod = (g.get("mod") or "").lower()
        current_q = (dct.month - 1) // 3 + 1
        year, q = dct.year, current_q
        if mod != "current":  # "the quarter" in a results story is the one just reported
            year, q = (year, q - 1) if q > 1 else (year - 1, 4)
        if mod in {"year-ago", "year-earlier", "prior-year", "comparable", "same"}:
            year -= 1
        return self._quarter(year, q)

    def _read_fiscal_year(self, m: Match, g: Groups, text: str, dct: dt.date, anchor: dt.date) -> _Norm | None:
        year = int(g["y"])
        return ("DATE", dt.datetime(year, 1, 1), dt.datetime(year + 1, 1, 1), str(year), TimePrecision.YEAR, None)

    def _read_year_earlier(self, m: Match, g: Groups, text: str, dct: dt.date, anchor: dt.date) -> _Norm | None:
        unit = "year" if "year" in m.group(0).lower() else ("month" if "month" in m.group(0).lower() else "week")
        target = self._shift(anchor, unit, -1)
        precision = {"year": TimePrecision.YEAR, "month": TimePrecision.MONTH, "week": TimePrecision.WEEK}[unit]
        return ("DATE", *self._interval_for(target, precision), self._value_for(target, precision), precision, None)

    def _read_century(self, m: Match, g: Groups, text: str, dct: dt.date, anchor: dt.date) -> _Norm | None:
        n = int(g["n"])
        if not 1 <= n <= 21:
            return None
        start_year = (n - 1) * 100
        return ("DATE", None, None, f"{n - 1:02d}", TimePrecision.YEAR, None) if start_year < 1 else (
            "DATE", dt.datetime(start_year, 1, 1), dt.datetime(start_year + 100, 1, 1), f"{n - 1:02d}",
            TimePrecision.YEAR, None)

    def _read_spelled_year(self, m: Match, g: Groups, text: str, dct: dt.date, anchor: dt.date) -> _Norm | None:
        year = _spelled_year(m.group(0))
        if year is None:
            return None
        return ("DATE", dt.datetime(year, 1, 1), dt.datetime(year + 1, 1, 1), str(year), TimePrecision.YEAR, None)

    def _read_bare_year(self, m: Match, g: Groups, text: str, dct: dt.date, anchor: dt.date) -> _Norm | None:
        year = int(g["y"])
        return ("DATE", dt.datetime(year, 1, 1), dt.datetime(year + 1, 1, 1), str(year), TimePrecision.YEAR, None)

    def _read_year(self, m: Match, g: Groups, text: str, dct: dt.date, anchor: dt.date) -> _Norm | None:
        year = int(g["y"])
        return ("DATE", dt.datetime(year, 1, 1), dt.datetime(year + 1, 1, 1), str(year), TimePrecision.YEAR, None)

    def _read_decade(self, m: Match, g: Groups, text: str, dct: dt.date, anchor: dt.date) -> _Norm | None:
        dec = int(g["dec"])
        return ("DATE", dt.datetime(dec, 1, 1), dt.datetime(dec + 10, 1, 1), str(dec)[:3], TimePrecision.YEAR, None)

    def _read_ago(self, m: Match, g: Groups, text: str, dct: dt.date, anchor: dt.date) -> _Norm | None:
        n = _num(g["n"])
        unit = g["unit"].lower().rstrip("s")
        if unit.startswith("centur"):
            unit = "century"
        q = (g.get("q") or "").lower()
        if n is None:
            return ("DATE", None, None, "PAST_REF", None, None)
        target = self._shift(dct, unit, -n)
        bound = "before" if q in {"more than", "over"} else ("after" if q in {"less than", "fewer than"} else None)
        precision = {"D": DAY, "W": TimePrecision.WEEK, "M": TimePrecision.MONTH}.get(UNIT.get(unit, "Y"), TimePrecision.YEAR)
        if unit in {"hour", "minute", "second"}:
            precision = DAY
        value = self._value_for(target, precision)
        start, end = self._interval_for(target, precision)
        if bound == "before":
            start = None  # open towards the past
        elif bound == "after":
            end = day_interval(dct)[1]
        return ("DATE", start, end, value, precision, bound)

    def _read_rel_unit(self, m: Match, g: Groups, text: str, dct: dt.date, anchor: dt.date) -> _Norm | None:
        unit = g["unit"].lower()
        mod = g["mod"].lower()
        step = {"last": -1, "past": -1, "previous": -1, "next": 1, "coming": 1}.get(mod, 0)
        if unit in {"week", "weekend"}:
            s, e, value = _week(dct + dt.timedelta(weeks=step))
            if unit == "weekend":
                s = s + dt.timedelta(days=5)
                e = s + dt.timedelta(days=2)
                value += "-WE"
            return ("DATE", s, e, value, TimePrecision.WEEK, None)
        if unit == "month":
            y, mo = dct.year, dct.month + step
            y, mo = (y - 1, 12) if mo == 0 else ((y + 1, 1) if mo == 13 else (y, mo))
            return ("DATE", *_month_interval(y, mo), f"{y}-{mo:02d}", TimePrecision.MONTH, None)
        if unit == "year":
            y = dct.year + step
            return ("DATE", dt.datetime(y, 1, 1), dt.datetime(y + 1, 1, 1), str(y), TimePrecision.YEAR, None)
        season = SEASONS[unit]
        first_month = SEASON_FIRST_MONTH[season]
        y = dct.year
        if mod == "last":  # "last spring" is last year's; "this past spring" the one just gone
            y -= 1
        elif step < 0 and first_month + 3 > dct.month:
            y -= 1
        elif step > 0 and first_month <= dct.month:
            y += 1
        return ("DATE", None, None, f"{y}-{season}", TimePrecision.MONTH, None)

    def _read_rel_day(self, m: Match, g: Groups, text: str, dct: dt.date, anchor: dt.date) -> _Norm | None:
        word = g["word"].lower()
        delta = {"today": 0, "tonight": 0, "yesterday": -1, "tomorrow": 1, "the day before yesterday": -2,
                 "the day after tomorrow": 2}[word]
        d = dct + dt.timedelta(days=delta)
        part = (g.get("part") or ("night" if word == "tonight" else "")).lower()
        return self._day_part(d, part)

    def _read_rel_anchor(self, m: Match, g: Groups, text: str, dct: dt.date, anchor: dt.date) -> _Norm | None:
        if g.get("n"):
            n = _num(g["n"])
            if n is None:
                return None  # "several days later": no day to name
            n *= 7 if g["unit"].lower().startswith("week") else 1
            back = g["dir"].lower() in {"earlier", "before"}
            return self._day_part(anchor + dt.timedelta(days=-n if back else n), "")
        back = bool(g.get("before")) or (g.get("order") or "").lower() in {"previous", "preceding"}
        part = (g.get("part") or g.get("part2") or "").lower()
        return self._day_part(anchor + dt.timedelta(days=-1 if back else 1), "" if part == "day" else part)

    def _read_this_part(self, m: Match, g: Groups, text: str, dct: dt.date, anchor: dt.date) -> _Norm | None:
        part = g["part"].lower()
        d = dct - dt.timedelta(days=1) if g["mod"].lower() == "last" and part == "night" else dct
        return self._day_part(d, part)

    def _read_weekday(self, m: Match, g: Groups, text: str, dct: dt.date, anchor: dt.date) -> _Norm | None:
        wd_text = g["wd"].lower()
        wd = _weekday(wd_text)
        mod = (g.get("mod") or "").lower()
        if len(wd_text) <= 4 and not m.group(0)[:1].isupper():
            return None  # "sat", "wed" in lower case are words, not days
        forward = mod in {"next", "coming"} or (mod not in {"last", "previous"}
                                                  and tense_direction(text, m.start(), m.end(), deadline=False) > 0)
        if forward:
            # A weekday in a future clause is the next such day, the publication day included ("services
            # resume by Saturday evening" in a Saturday story is that evening); "next Saturday" is a week on.
            delta = (wd - dct.weekday()) % 7
            if delta == 0 and mod in {"next", "coming"}:
                delta = 7
            d = dct + dt.timedelta(days=delta)
        else:
            delta = (dct.weekday() - wd) % 7
            if mod in {"last", "previous"} and delta == 0:
                delta = 7
            d = dct - dt.timedelta(days=delta)
        return self._day_part(d, (g.get("part") or "").lower())

    def _read_clock(self, m: Match, g: Groups, text: str, dct: dt.date, anchor: dt.date) -> _Norm | None:
        return self._clock(m, anchor)

    def _read_duration(self, m: Match, g: Groups, text: str, dct: dt.date, anchor: dt.date) -> _Norm | None:
        unit = g["unit"].lower().rstrip("s")
        if unit.startswith("centur"):
            unit = "century"
        code = UNIT.get(unit, "Y")
        n = _num(g["n"]) if g.get("n") else None
        q = (g.get("q") or "").lower() if "q" in g else ""
        if q in {"the past", "the last"} and n is not None:
            start = self._shift(dct, unit, -n)
            return ("DURATION", dt.datetime.combine(start, dt.time()), day_interval(dct)[1],
                    self._duration_value(n, code), None, None)
        return ("DURATION", None, None, self._duration_value(n, code), None, None)

    def _read_present(self, m: Match, g: Groups, text: str, dct: dt.date, anchor: dt.date) -> _Norm | None:
        word = g["word"].lower()
        if word == "soon" or any(k in word for k in ("future", "coming", "term")):
            return ("DATE", None, None, "FUTURE_REF", None, None)
        if word in {"recently", "recent", "lately"} or "past" in word or "last" in word or word.startswith("in recent"):
            return ("DATE", None, None, "PAST_REF", None, None)
        return ("DATE", *day_interval(dct), "PRESENT_REF", None, None)

    def _read_weekend(self, m: Match, g: Groups, text: str, dct: dt.date, anchor: dt.date) -> _Norm | None:
        # the last weekend, or the coming one when the text looks ahead
        ahead = bool(g.get("ahead")) or tense_direction(text, m.start(), m.end(), deadline=False) > 0
        saturday = dct + dt.timedelta(days=(5 - dct.weekday()) % 7 if ahead else -((dct.weekday() - 5) % 7 or 7))
        if not ahead and dct.weekday() == 6:
            saturday = dct - dt.timedelta(days=1)
        _, _, week = _week(saturday)
        return ("DATE", dt.datetime.combine(saturday, dt.time()), dt.datetime.combine(saturday, dt.time())
                + dt.timedelta(days=2), f"{week}-WE", TimePrecision.WEEK, None)

    def _read_season(self, m: Match, g: Groups, text: str, dct: dt.date, anchor: dt.date) -> _Norm | None:
        code = SEASONS[g["season"].lower()]
        if g.get("y"):
            return ("DATE", None, None, f"{g['y']}-{code}", TimePrecision.MONTH, None)
        first_month = SEASON_FIRST_MONTH[code]
        ahead = tense_direction(text, m.start(), m.end(), deadline=False) > 0
        y = dct.year + (1 if ahead and first_month < dct.month else 0) - (0 if ahead or first_month <= dct.month else 1)
        return ("DATE", None, None, f"{y}-{code}", TimePrecision.MONTH, None)

    def _read_this_year(self, m: Match, g: Groups, text: str, dct: dt.date, anchor: dt.date) -> _Norm | None:
        return ("DATE", dt.datetime(dct.year, 1, 1), dt.datetime(dct.year + 1, 1, 1), str(dct.year),
                TimePrecision.YEAR, None)

    def _read_set(self, m: Match, g: Groups, text: str, dct: dt.date, anchor: dt.date) -> _Norm | None:
        return ("SET", None, None, self._set_value(g["word"].lower()), None, None)

    def _day_part(self, d: dt.date, part: str
                  ) -> tuple[str, dt.datetime, dt.datetime, str, TimePrecision, str | None]:
        if part in PARTS_OF_DAY:
            h0, h1 = PARTS_OF_DAY[part]
            start = dt.datetime(d.year, d.month, d.day, h0)
            end = dt.datetime(d.year, d.month, d.day) + dt.timedelta(hours=h1)
            code = {"morning": "MO", "afternoon": "AF", "evening": "EV", "night": "NI", "overnight": "NI"}.get(part, "")
            return ("TIME", start, end, f"{d.isoformat()}T{code}", TimePrecision.HOUR, None)
        return ("DATE", *day_interval(d), d.isoformat(), TimePrecision.DAY, None)

    def _clock(self, m: re.Match[str], anchor: dt.date
               ) -> tuple[str, dt.datetime, dt.datetime, str, TimePrecision, str | None] | None:
        g = m.groupdict()
        clock = g["clock"].lower()
        if clock == "noon":
            hour, minute = 12, 0
        elif clock == "midnight":
            hour, minute = 0, 0
        else:
            hour, minute = int(g["hh"]), int(g["mm"] or 0)
            if hour > 12 or minute > 59:
                return None
            ampm = (g["ampm"] or "").replace(".", "")
            if ampm == "pm" and hour != 12:
                hour += 12
            if ampm == "am" and hour == 12:
                hour = 0
        local = dt.datetime(anchor.year, anchor.month, anchor.day, hour, minute)
        zone = (g.get("zone") or "").lower()
        value = local.strftime("%Y-%m-%dT%H:%M")
        if zone == "local time" or not zone:
            utc = self._to_utc(local)
        else:
            offset = ZONES.get(zone, {"et": -4, "pt": -7}.get(zone, 0))
            utc = local - dt.timedelta(hours=offset)
        return ("TIME", utc, utc + dt.timedelta(hours=1), value, TimePrecision.HOUR, None)

    def _to_utc(self, local: dt.datetime) -> dt.datetime:
        if not self.timezone:
            return local
        aware = local.replace(tzinfo=ZoneInfo(self.timezone))
        return aware.astimezone(dt.UTC).replace(tzinfo=None)

    @staticmethod
    def _infer_year(month: int, day: int, dct: dt.date, direction: int, weekday: int | None = None) -> int:
        """The year of a day or month named without one: the one whose weekday matches if a weekday is named
        ("Tuesday, May 12"); else the coming occurrence when the nearest tense cue points ahead ("will"), the
        last one when it points back ("stepped down in March"), and with no cue the last one unless it is
        within a month ahead."""

        def day_in(year: int) -> dt.date | None:
            try:
                return dt.date(year, month, day)
            except ValueError:
                return None

        years = [y for y in (dct.year - 1, dct.year, dct.year + 1) if day_in(y)]
        if not years:
            return dct.year
        if weekday is not None:
            matching = [y for y in years if day_in(y).weekday() == weekday]  # type: ignore[union-attr]
            if matching:
                return min(matching, key=lambda y: abs((day_in(y) - dct).days))  # type: ignore[operator]
        this_year = day_in(dct.year)
        if this_year and abs((this_year - dct).days) <= 45:  # close to the publication day: this year's
            return dct.year
        if direction > 0:
            ahead = [y for y in years if day_in(y) >= dct]  # type: ignore[operator]
            return min(ahead) if ahead else dct.year
        horizon = dct if direction < 0 else dct + dt.timedelta(days=31)
        behind = [y for y in years if day_in(y) <= horizon]  # type: ignore[operator]
        return max(behind) if behind else dct.year

    @staticmethod
    def _quarter(year: int, q: int) -> tuple[str, dt.datetime, dt.datetime, str, TimePrecision, str | None]:
        start = dt.datetime(year, 3 * q - 2, 1)
        end = dt.datetime(year + (q == 4), (3 * q) % 12 + 1, 1)
        return ("DATE", start, end, f"{year}-Q{q}", TimePrecision.MONTH, None)

    @staticmethod
    def _shift(d: dt.date, unit: str, n: int) -> dt.date:
        if unit in {"second", "minute", "hour"}:
            return d
        if unit == "day":
            return d + dt.timedelta(days=n)
        if unit in {"week", "fortnight"}:
            return d + dt.timedelta(weeks=n * (2 if unit == "fortnight" else 1))
        if unit == "month":
            months = d.year * 12 + d.month - 1 + n
            return dt.date(months // 12, months % 12 + 1, min(d.day, 28))
        years = {"year": 1, "decade": 10, "century": 100}.get(unit, 1) * n
        try:
            return d.replace(year=d.year + years)
        except ValueError:
            return d.replace(year=d.year + years, day=28)

    @staticmethod
    def _value_for(d: dt.date, precision: TimePrecision) -> str:
        if precision is TimePrecision.WEEK:
            iso = d.isocalendar()
            return f"{iso[0]}-W{iso[1]:02d}"
        if precision is TimePrecision.MONTH:
            return f"{d.year}-{d.month:02d}"
        if precision is TimePrecision.YEAR:
            return str(d.year)
        return d.isoformat()

    @staticmethod
    def _interval_for(d: dt.date, precision: TimePrecision) -> tuple[dt.datetime, dt.datetime]:
        if precision is TimePrecision.WEEK:
            s, e, _ = _week(d)
            return s, e
        if precision is TimePrecision.MONTH:
            return _month_interval(d.year, d.month)
        if precision is TimePrecision.YEAR:
            return dt.datetime(d.year, 1, 1), dt.datetime(d.year + 1, 1, 1)
        return day_interval(d)

    @staticmethod
    def _duration_value(n: int | None, code: str) -> str:
        amount = "X" if n is None else str(n)
        if code in {"H", "MIN", "S"}:
            return f"PT{amount}{code[0]}"
        if code == "DE":
            return f"P{'X' if n is None else n * 10}Y"
        if code == "CE":
            return f"P{'X' if n is None else n * 100}Y"
        return f"P{amount}{code}"

    @staticmethod
    def _set_value(word: str) -> str:
        if word.startswith("every ") or word.startswith("each "):
            what = word.split(" ", 1)[1]
            if what[:3] in {k[:3] for k in WEEKDAYS}:
                return f"XXXX-WXX-{[k[:3] for k in WEEKDAYS].index(what[:3]) + 1}"
            return {"day": "P1D", "week": "P1W", "month": "P1M", "year": "P1Y", "morning": "TMO", "night": "TNI"}.get(what, "P1D")
        return {"daily": "P1D", "weekly": "P1W", "monthly": "P1M", "annually": "P1Y"}.get(word, "P1D")


_UNIT_WORDS = {"S": "second", "MIN": "minute", "H": "hour", "D": "day", "W": "week", "M": "month", "Y": "year"}
_PARTS = {"MO": "morning", "AF": "afternoon", "EV": "evening", "NI": "night", "DT": "daytime"}
_SEASONS = {"SP": "spring", "SU": "summer", "FA": "autumn", "WI": "winter"}
_REFS = {"PRESENT_REF": "now", "PAST_REF": "some time before", "FUTURE_REF": "some time after"}


_ORDINALS = ["first", "second", "third", "fourth"]
#: TIMEX3 date values other than days, in words (a formatter returning None leaves the value as it is).
_VALUE_WORDS: list[tuple[str, Callable[[re.Match[str]], str | None]]] = [
    (r"(\d{4})-(\d{2})", lambda m: f"{dt.date(int(m[1]), int(m[2]), 1):%B %Y}" if 1 <= int(m[2]) <= 12 else None),
    (r"(\d{4})-W(\d{2})", lambda m: f"week {int(m[2])} of {m[1]}"),
    (r"(\d{4})-Q([1-4])", lambda m: f"{_ORDINALS[int(m[2]) - 1]} quarter of {m[1]}"),
    (r"(\d{4})-H([12])", lambda m: f"{_ORDINALS[int(m[2]) - 1]} half of {m[1]}"),
    (r"(\d{4})-(SP|SU|FA|WI)", lambda m: f"{_SEASONS[m[2]]} {m[1]}"),
    (r"\d{4}", lambda m: m[0]),
    (r"\d{3}", lambda m: f"the {m[0]}0s"),
    (r"\d{2}", lambda m: f"the {m[0]}00s"),
]


def _amount(n: str, unit: str) -> str:
    word = _UNIT_WORDS.get(unit, unit)
    if n in {"X", ""}:
        return f"some {word}s"
    number = float(n)
    shown = f"{number:g}"
    return f"{shown} {word}" + ("" if number == 1 else "s")


def describe_duration(value: str) -> str | None:
    """A TIMEX3 duration in words ("P3D" -> "3 days", "PT5H" -> "5 hours", "PXW" -> "some weeks")."""
    m = re.fullmatch(r"P(?:(?P<n>[\dX.]*)(?P<u>[YMWD]))?(?:T(?P<tn>[\dX.]*)(?P<tu>[HMS]))?", value)
    if not m or not (m["u"] or m["tu"]):
        return None
    parts = []
    if m["u"]:
        parts.append(_amount(m["n"], m["u"]))
    if m["tu"]:
        parts.append(_amount(m["tn"], {"M": "MIN"}.get(m["tu"], m["tu"])))
    return " ".join(parts)


def describe_value(value: str | None, kind: str = "DATE") -> str:
    """A TIMEX3 value in plain words for people reading the table ("2022-03-14" -> "14 Mar 2022", "2022-W11" ->
    "week 11 of 2022", "P3D" -> "3 days", "XXXX-WXX-1" -> "every Monday"); a value it cannot read is returned as
    it is."""
    if not value:
        return ""
    if value in _REFS:
        return _REFS[value]
    if kind == "SET":
        m = re.fullmatch(r"XXXX-WXX-([1-7])", value)
        if m:
            return "every " + list(WEEKDAYS)[int(m[1]) - 1].capitalize()
        if value.startswith("T") and value[1:] in _PARTS:
            return "every " + _PARTS[value[1:]]
        words = describe_duration(value)
        if words:
            return "every " + words.removeprefix("1 ")
        return value
    if value.startswith("P"):
        return describe_duration(value) or value
    m = re.fullmatch(r"(\d{4})-(\d{2})-(\d{2})(?:T(\d{2}):(\d{2})|T(MO|AF|EV|NI|DT))?", value)
    if m:
        try:
            day = dt.date(int(m[1]), int(m[2]), int(m[3]))
        except ValueError:
            return value
        said = f"{day.day} {day:%b %Y}"
        if m[4]:
            return f"{said}, {m[4]}:{m[5]}"
        return f"{said}, {_PARTS[m[6]]}" if m[6] else said
    for pattern, say in _VALUE_WORDS:
        m = re.fullmatch(pattern, value)
        if m and (words := say(m)):
            return words
    return value


#: Each time rule's normaliser, by rule id: the rule's match (and its named groups), the sentence, the publication day
#: and the day the story is at, to the expression's type, interval, TIMEX3 value, precision and bound.
NORMALISERS: dict[str, Callable[..., _Norm | None]] = {
    "iso": TimeTagger._read_iso,
    "mdy": TimeTagger._read_mdy,
    "dmy": TimeTagger._read_mdy,
    "mdy_range": TimeTagger._read_mdy_range,
    "numeric": TimeTagger._read_numeric,
    "month_year": TimeTagger._read_month_year,
    "month": TimeTagger._read_month,
    "bare_month": TimeTagger._read_month,
    "quarter": TimeTagger._read_quarter,
    "rel_quarter": TimeTagger._read_rel_quarter,
    "fiscal_year": TimeTagger._read_fiscal_year,
    "year_earlier": TimeTagger._read_year_earlier,
    "century": TimeTagger._read_century,
    "spelled_year": TimeTagger._read_spelled_year,
    "bare_year": TimeTagger._read_bare_year,
    "year": TimeTagger._read_year,
    "decade": TimeTagger._read_decade,
    "ago": TimeTagger._read_ago,
    "rel_unit": TimeTagger._read_rel_unit,
    "rel_day": TimeTagger._read_rel_day,
    "rel_anchor": TimeTagger._read_rel_anchor,
    "this_part": TimeTagger._read_this_part,
    "weekday": TimeTagger._read_weekday,
    "clock": TimeTagger._read_clock,
    "duration": TimeTagger._read_duration,
    "vague_duration": TimeTagger._read_duration,
    "present": TimeTagger._read_present,
    "weekend": TimeTagger._read_weekend,
    "season": TimeTagger._read_season,
    "this_year": TimeTagger._read_this_year,
    "set": TimeTagger._read_set,
}
