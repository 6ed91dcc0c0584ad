"""Events: per sentence, what happened (trigger), where, when, who, and how many were killed.

Event types follow ACLED's taxonomy (event_type / sub_event_type), plus ``Statement`` for pledges,
claims and announcements without other action. Triggers are found outside quotations only (a
quoted "nuclear strike" is not a strike); violent triggers under a modal ("will fight", "could
withstand") are not events. Promotional and credit lines never yield events.

Place: the most specific place of the sentence (facility > landmark > town > area > country),
passing over places used as agents ("issued by Moscow", "the Kremlin gave") when the sentence also
names a place in the story's focus country; else the previous event's place in the same paragraph;
else the country of the sentence's actor. Time: the sentence's own time expression, else the
narrative's reference day (lower confidence).
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Sequence
from dataclasses import dataclass

from geo.model import (
    Article,
    Event,
    EventType,
    MentionKind,
    Place,
    Resolution,
    Sentence,
    SentenceKind,
    TimeExpression,
    TimePrecision,
)
from geo.resolve import focus_country
from geo.timex import day_interval

ACLED_SUB_EVENT_TYPES: dict[EventType, tuple[str, ...]] = {
    EventType.BATTLES: ("Armed clash", "Government regains territory", "Non-state actor overtakes territory"),
    EventType.EXPLOSIONS: ("Chemical weapon", "Air/drone strike", "Suicide bomb", "Shelling/artillery/missile attack",
                           "Remote explosive/landmine/IED", "Grenade"),
    EventType.VIOLENCE_AGAINST_CIVILIANS: ("Sexual violence", "Attack", "Abduction/forced disappearance"),
    EventType.PROTESTS: ("Peaceful protest", "Protest with intervention", "Excessive force against protesters"),
    EventType.RIOTS: ("Violent demonstration", "Mob violence"),
    EventType.STRATEGIC: ("Agreement", "Arrests", "Change to group/activity", "Disrupted weapons use",
                          "Headquarters or base established", "Looting/property destruction",
                          "Non-violent transfer of territory", "Other"),
    EventType.STATEMENT: ("Pledge", "Claim", "Announcement", "Warning", "Report"),
}


@dataclass(frozen=True)
class Trigger:
    pattern: re.Pattern[str]
    event_type: EventType
    sub_event_type: str
    rank: int  # higher wins within a sentence
    violent: bool


def _t(pattern: str, event_type: EventType, sub: str, rank: int, violent: bool = True) -> Trigger:
    return Trigger(re.compile(pattern, re.IGNORECASE), event_type, sub, rank, violent)


TRIGGERS: list[Trigger] = [
    _t(r"\bsuicide (?:bomb\w*|attack\w*)", EventType.EXPLOSIONS, "Suicide bomb", 90),
    _t(r"\bchemical (?:weapon|attack)s?\b", EventType.EXPLOSIONS, "Chemical weapon", 90),
    _t(r"\b(?:air ?strikes?|air raids?|bombard\w*|bunker-busters?|(?:dropp\w+|dropped) (?:\w+[- ])?bombs?|bombing\w*|"
       r"bombed|drone (?:strike|attack)s?|warplanes?|missile strikes?)\b", EventType.EXPLOSIONS, "Air/drone strike", 85),
    _t(r"\b(?:shell(?:ing|ed|s)?|artillery|rockets?|missiles?|mortars?|barrage)\b", EventType.EXPLOSIONS,
       "Shelling/artillery/missile attack", 80),
    _t(r"\b(?:explosions?|blasts?|landmines?|IEDs?|car bombs?|roadside bombs?|exploded)\b", EventType.EXPLOSIONS,
       "Remote explosive/landmine/IED", 75),
    _t(r"\b(?:massacre\w*|executed|execution|shot dead|killed (?:\w+ )?civilians|civilians (?:were )?killed)\b",
       EventType.VIOLENCE_AGAINST_CIVILIANS, "Attack", 82),
    _t(r"\b(?:abduct\w*|kidnapp?\w*|hostages?|forced disappearance)\b", EventType.VIOLENCE_AGAINST_CIVILIANS,
       "Abduction/forced disappearance", 78),
    _t(r"\b(?:rape[sd]?|sexual violence)\b", EventType.VIOLENCE_AGAINST_CIVILIANS, "Sexual violence", 78),
    _t(r"\b(?:recaptur\w+|retook|retak\w+|regain\w* control|liberat\w+)\b", EventType.BATTLES,
       "Government regains territory", 72),
    _t(r"\b(?:captur\w+|seiz\w+|overr[au]n|took control|take control|fell to)\b", EventType.BATTLES,
       "Non-state actor overtakes territory", 70),
    _t(r"\b(?:fighting|fought|clash\w*|battles?|battling|firefights?|gunfights?|combat|gunfire|ambush\w*|"
       r"skirmish\w*|contested)\b", EventType.BATTLES, "Armed clash", 68),
    _t(r"\b(?:riot\w*|mob|looting|looted|vandali\w+)\b", EventType.RIOTS, "Violent demonstration", 60),
    _t(r"\b(?:protest\w*|demonstrat(?:ion|ors|ed|ing)s?|rall(?:y|ies|ied)|marched|sit-ins?|strikers)\b",
       EventType.PROTESTS, "Peaceful protest", 58),
    _t(r"\b(?:arrest\w*|detain\w*|detention)\b", EventType.STRATEGIC, "Arrests", 55, violent=False),
    _t(r"\b(?:ceasefire|cease-fire|truce|peace (?:deal|agreement|talks)|agreement|signed a deal|prisoner exchange)\b",
       EventType.STRATEGIC, "Agreement", 50, violent=False),
    _t(r"\b(?:deadline|ultimatum|surrender\w*|evacuat\w+|blockade\w*|besieg\w+|siege|offensive|second phase|"
       r"mobili[sz]\w+|deploy\w*|reinforc\w+|withdr[ae]w\w*|retreat\w*|curfew|martial law)\b",
       EventType.STRATEGIC, "Change to group/activity", 45, violent=False),
    _t(r"\b(?:destroy\w*|destruction|burn(?:ed|t)|demolish\w*)\b", EventType.STRATEGIC,
       "Looting/property destruction", 40, violent=False),
    _t(r"\b(?:pledg\w+|vow\w*|promis\w+)\b", EventType.STATEMENT, "Pledge", 20, violent=False),
    _t(r"\b(?:warn\w*|threat\w*)\b", EventType.STATEMENT, "Warning", 18, violent=False),
    _t(r"\b(?:announc\w+|declar\w+)\b", EventType.STATEMENT, "Announcement", 17, violent=False),
    _t(r"\b(?:claim\w*|accus\w+|denie[sd]|insist\w*|maintain\w*)\b", EventType.STATEMENT, "Claim", 16, violent=False),
    _t(r"\b(?:said|says|told|stated|according to|reported)\b", EventType.STATEMENT, "Report", 10, violent=False),
]
MODAL = re.compile(r"\b(?:will|would|could|can|may|might|shall|threaten\w*|vow\w*|plans? to|prepar\w+|able to|"
                   r"attempts? to|wants? to|ready to|withstand)\b(?:\s+\w+){0,3}\s*$", re.IGNORECASE)
FATALITIES = re.compile(
    r"(?:(?:death|deaths|killing|lives|bodies)\s(?:of\s)?(?P<q1>more than|over|at least|nearly|almost|about|some|around)?\s?"
    r"(?P<n1>\d[\d,]*)|(?P<q2>more than|over|at least|nearly|almost|about|some|around)?\s?(?P<n2>\d[\d,]*)\s(?:\w+\s){0,3}?"
    r"(?:were|have been|had been|are|was)?\s?(?:killed|dead|died|deaths))",
    re.IGNORECASE,
)
_QUOTE_OPEN = "“\""
PLACE_RANK = {"facility": 6, "landmark": 5, "city": 4, "admin1": 3, "area": 3, "region": 2, "country": 1, "continent": 0}


def _unquoted_mask(sentence: Sentence, inside_at_start: bool) -> tuple[str, bool]:
    """The sentence with quoted stretches blanked out, and whether a quote is still open at its end."""
    chars = list(sentence.text)
    inside = inside_at_start
    for i, ch in enumerate(sentence.text):
        if ch in "“”\"":
            if ch == "“":
                inside = True
            elif ch == "”":
                inside = False
            else:
                inside = not inside
            chars[i] = " "
        elif inside:
            chars[i] = " "
    return "".join(chars), inside


def _find_trigger(text: str) -> tuple[Trigger, re.Match[str]] | None:
    best: tuple[Trigger, re.Match[str]] | None = None
    for trigger in TRIGGERS:
        for match in trigger.pattern.finditer(text):
            if trigger.violent and MODAL.search(text[: match.start()]):
                continue
            if best is None or trigger.rank > best[0].rank:
                best = (trigger, match)
            break
    return best


def _fatalities(text: str) -> tuple[int | None, str]:
    match = FATALITIES.search(text)
    if not match:
        return None, ""
    number = match.group("n1") or match.group("n2")
    qualifier = (match.group("q1") or match.group("q2") or "").lower()
    try:
        return int(number.replace(",", "")), qualifier
    except ValueError:
        return None, ""


class EventExtractor:
    """Extracts events from an article given its resolved places and time expressions."""

    def extract(self, article: Article, resolutions: Sequence[Resolution], timexes: Sequence[TimeExpression],
                entities: Sequence[tuple[str, int, int, str]] = ()) -> list[Event]:
        by_sentence: dict[int, list[Resolution]] = {}
        for r in resolutions:
            by_sentence.setdefault(r.mention.sentence, []).append(r)
        times: dict[int, list[TimeExpression]] = {}
        for t in timexes:
            times.setdefault(t.sentence, []).append(t)
        focus = focus_country(resolutions)
        dct = article.published or dt.date.today()
        events: list[Event] = []
        reference: tuple[dt.datetime, dt.datetime, TimePrecision] = (*day_interval(dct), TimePrecision.DAY)
        previous_place: tuple[int, Place, str, float] | None = None
        inside_quote = False
        last_paragraph = -1
        for sentence in article.sentences:
            if sentence.paragraph != last_paragraph:
                inside_quote = False
                last_paragraph = sentence.paragraph
            unquoted, inside_quote = _unquoted_mask(sentence, inside_quote)
            sentence_times = [t for t in times.get(sentence.index, []) if t.interval_end is not None]
            if sentence.kind is not SentenceKind.STORY:
                continue
            found = _find_trigger(unquoted)
            if found is None:
                reference = self._advance(reference, sentence_times)
                continue
            trigger, match = found
            sentence_places = by_sentence.get(sentence.index, [])
            place_choice = self._place(sentence_places, focus)
            if place_choice is None and previous_place and previous_place[0] == sentence.paragraph:
                place_choice = (previous_place[1], previous_place[2], previous_place[3] * 0.7)
            elif place_choice is not None and previous_place and _is_agentive(place_choice[0], focus):
                # "The Kremlin gave the fighters a deadline": the capital acts; the story stays where it was.
                place_choice = (previous_place[1], previous_place[2], previous_place[3] * 0.6)
            if place_choice is None:
                place_choice = self._actor_country(by_sentence.get(sentence.index, []))
            when = self._time(sentence, times.get(sentence.index, []), reference)
            reference = self._advance(reference, sentence_times)
            if place_choice is None:
                continue
            place, place_text, place_conf = place_choice
            previous_place = (sentence.paragraph, place, place_text, place_conf)
            actor1, actor2 = self._actors(sentence, match.start(), sentence_places, entities, focus)
            fatalities, qualifier = _fatalities(sentence.text)
            events.append(Event(
                event_id=f"{article.article_id}-e{sentence.index:03d}",
                article_id=article.article_id,
                event_type=trigger.event_type,
                sub_event_type=trigger.sub_event_type,
                trigger=match.group(0),
                sentence_index=sentence.index,
                sentence=sentence.text,
                start=sentence.start,
                end=sentence.end,
                place=place,
                place_text=place_text,
                date_start=when[0],
                date_end=when[1],
                time_precision=when[2],
                time_text=when[3],
                time_value=when[4],
                actor1=actor1,
                actor2=actor2,
                fatalities=fatalities,
                fatalities_qualifier=qualifier,
                place_confidence=round(place_conf, 3),
                time_confidence=when[5],
            ))
        return events

    # -- where ---------------------------------------------------------------------------------
    @staticmethod
    def _place(resolutions: Sequence[Resolution], focus: str | None) -> tuple[Place, str, float] | None:
        places = [r for r in resolutions if r.place is not None and r.mention.is_place]
        if not places:
            return None
        in_focus = [r for r in places if r.place and r.place.country == focus]
        pool = in_focus or places

        def rank(r: Resolution) -> tuple[int, float]:
            assert r.place is not None
            return PLACE_RANK.get(r.place.kind, 0), r.confidence

        best = max(pool, key=rank)
        assert best.place is not None
        return best.place, best.mention.text, best.confidence

    @staticmethod
    def _actor_country(resolutions: Sequence[Resolution]) -> tuple[Place, str, float] | None:
        for r in resolutions:
            if r.mention.kind is MentionKind.ACTOR and r.place is not None:
                return r.place, r.mention.text, 0.5
        return None

    # -- when ----------------------------------------------------------------------------------
    @staticmethod
    def _advance(reference: tuple[dt.datetime, dt.datetime, TimePrecision],
                 sentence_times: Sequence[TimeExpression]) -> tuple[dt.datetime, dt.datetime, TimePrecision]:
        for t in sentence_times:
            if t.interval_start and t.interval_end and t.precision in {TimePrecision.DAY, TimePrecision.HOUR} and not t.bound:
                day = t.interval_start.date()
                return (*day_interval(day), TimePrecision.DAY)
        return reference

    @staticmethod
    def _time(sentence: Sentence, timexes: Sequence[TimeExpression],
              reference: tuple[dt.datetime, dt.datetime, TimePrecision]
              ) -> tuple[dt.datetime | None, dt.datetime | None, TimePrecision | None, str, str, float]:
        dated = [t for t in timexes if t.interval_end is not None]
        # Prefer the finest expression: a clock time over its day, a day over a week.
        order = {TimePrecision.HOUR: 0, TimePrecision.DAY: 1, TimePrecision.WEEK: 2, TimePrecision.MONTH: 3,
                 TimePrecision.YEAR: 4}
        dated.sort(key=lambda t: (t.bound is not None, order.get(t.precision, 5) if t.precision else 5))
        if dated:
            t = dated[0]
            return t.interval_start, t.interval_end, t.precision, t.text, t.value, t.confidence
        durations = [t for t in timexes if t.type == "DURATION"]
        ref_start, ref_end, _ = reference
        if durations:
            d = durations[0]
            span = _duration_days(d.value)
            return (ref_end - dt.timedelta(days=span), ref_end, TimePrecision.MONTH if span >= 28 else TimePrecision.WEEK,
                    d.text, d.value, 0.4)
        return ref_start, ref_end, TimePrecision.DAY, "", ref_start.date().isoformat(), 0.4

    # -- who -----------------------------------------------------------------------------------
    @staticmethod
    def _actors(sentence: Sentence, trigger_at: int, resolutions: Sequence[Resolution],
                entities: Sequence[tuple[str, int, int, str]], focus: str | None) -> tuple[str, str]:
        phrases: list[tuple[int, str]] = []
        text = sentence.text
        place_spans = [(r.mention.start, r.mention.end) for r in resolutions if r.mention.is_place]
        for r in resolutions:
            if r.mention.is_place and r.place is not None and _is_agentive(r.place, focus):
                phrases.append((r.mention.start - sentence.start, r.mention.text))
            if r.mention.kind is MentionKind.ACTOR:
                rel = r.mention.start - sentence.start
                tail = re.match(r"[\s-]*(?:backed\s|led\s)?(?:[\w-]+\s)?(forces|troops|fighters|soldiers|army|military|"
                                r"president|officials|government|separatist forces|separatists)\b", text[rel + len(r.mention.text):])
                phrase = r.mention.text + (tail.group(0) if tail else "")
                phrases.append((rel, phrase.strip()))
        for text_, start, _end, label in entities:
            overlaps_place = any(start < e and s < _end for s, e in place_spans)
            if label in {"PERSON", "ORG", "NORP"} and sentence.start <= start < sentence.end and not overlaps_place:
                phrases.append((start - sentence.start, text_))
        phrases.sort()
        before = [p for pos, p in phrases if pos < trigger_at]
        after = [p for pos, p in phrases if pos > trigger_at]
        actor1 = before[-1] if before else (after.pop(0) if after else "")
        actor2 = after[0] if after else ""
        return actor1, actor2


def _is_agentive(place: Place, focus: str | None) -> bool:
    """A seat of power abroad ("Moscow", "the Kremlin") in a story focused elsewhere acts; it is not the scene."""
    return bool(focus and place.country != focus and (place.kind == "landmark" or place.capital))


def _duration_days(value: str) -> int:
    match = re.match(r"PT?(?P<n>\d+|X)(?P<u>[DWMY])", value)
    if not match:
        return 14
    n = 2 if match.group("n") == "X" else int(match.group("n"))
    return n * {"D": 1, "W": 7, "M": 30, "Y": 365}[match.group("u")]
