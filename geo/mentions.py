"""Toponym recognition that does not trust one model.

Candidates come from several recognisers over one spaCy ``Doc``:

* ``ner``: spaCy entities GPE / LOC / FAC (and ORG / NORP spans that the gazetteer knows);
* ``gazetteer``: capitalised n-grams that name a gazetteer or user place;
* ``rule``: "X region / oblast / province" (an admin-1 area), direction phrases
  ("eastern Ukraine", "the easternmost regions"), facility anaphors ("the plant"),
  city anaphors ("the port city");
* demonyms: "Syrian border" names Syria (ADJECTIVAL); "Ukrainian fighters" names people (ACTOR).

Overlaps are settled by a fixed priority, then by length.
"""

from __future__ import annotations

import bisect
import logging
import re
from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass
from typing import NamedTuple

from spacy.attrs import IDX, LENGTH

from geo import recognition
from geo.gazetteer import OfflineGazetteer
from geo.lexicon import LEXICON, alternation, words
from geo.model import Article, Mention, MentionKind, SentenceIndex, SentenceKind
from geo.nlp import parse
from geo.recognition import (
    ABBREVIATION,
    ACRONYM,
    GENERIC_WORDS,
    NOT_PLACES,
    PLACE_PARTICIPLES,
)
from geo.settings import disabled_rules

log = logging.getLogger(__name__)

PEOPLE_NOUNS = words("people_nouns")
#: A plural noun after a demonym names people ("British tourists", "Polish nuns") unless it is one of places or
#: things ("Syrian towns", "Russian positions", "Ukrainian waters"), which stay the country's.
_PLURAL_NOUN = re.compile(r"[a-z]{3,}(?<!ss)(?<!us)(?<!is)s")
PLACE_PLURALS = frozenset({"cities", "towns", "villages", "regions", "provinces", "districts", "areas", "territories",
                           "ports", "airports", "airfields", "bases", "positions", "lines", "borders", "waters",
                           "skies", "islands", "coasts", "shores", "streets", "roads", "highways", "railways",
                           "settlements", "suburbs", "farms", "fields", "forests", "mountains", "hills", "rivers",
                           "lands", "soils", "targets", "sites", "facilities", "plants", "refineries", "mines",
                           "oilfields", "gasfields", "ships", "vessels", "tankers", "planes", "jets", "aircraft",
                           "drones", "missiles", "tanks", "warships", "trains", "trucks", "schools", "hospitals",
                           "embassies", "consulates", "prisons", "camps", "markets", "stations", "bridges", "dams",
                           "news", "media", "elections", "talks", "troops", "forces"})
ORG_HEADS = words("org_heads")
_PLACE_PREFIXED = re.compile(rf"^([A-Z][\w.]*)-(?:{'|'.join(sorted(PLACE_PARTICIPLES))})$")
NAME_OPENERS = words("name_openers")
# One sense per discourse (``_named_again``): which recognisers' places count, which model labels of a longer
# entity around a name say it is no place there, and the words right around it that make it part of a longer name.
_PLACE_SOURCES = {"ner", "gazetteer", "gazetteer-multi", "dateline", "user-places"}
_NOT_PLACE_LABELS = {"PERSON", "ORG", "WORK_OF_ART", "EVENT", "PRODUCT", "LAW", "FAC", "NORP"}
_WORD_BEFORE = re.compile(r"([\w.'’-]+)[ \t]+$")
_NAME_AFTER = re.compile(r"[ \t]+[A-Z][a-z]")
#: What a person or a company does right after its name (a place, in news, seldom): speaks, has done, acted.
_ACTS = rf"{alternation('reporting_verbs')}|has|had|have|installed|launched|struck|signed|hired|sued|denied|agreed"
_SPEAKER_AFTER = re.compile(rf"[ \t]+(?:{alternation('reporting_verbs')})\b")
CONNECTORS = words("connectors")
REGION_WORDS = "region|oblast|province|district|governorate|prefecture|county|state|territory|raion|krai"
DIRECTIONS = {
    "north": "north", "northern": "north", "northernmost": "north", "south": "south", "southern": "south",
    "southernmost": "south", "east": "east", "eastern": "east", "easternmost": "east", "west": "west",
    "western": "west", "westernmost": "west", "northeast": "north-east", "northeastern": "north-east",
    "northwest": "north-west", "northwestern": "north-west", "southeast": "south-east",
    "southeastern": "south-east", "southwest": "south-west", "southwestern": "south-west",
    "central": "centre",
}
_DIR_ALT = "|".join(sorted(DIRECTIONS, key=len, reverse=True))
_REGION_RULE = re.compile(
    rf"\b(?P<name>[A-Z][\w’'\-]+(?:\s[A-Z][\w’'\-]+){{0,2}})\s(?P<word>{REGION_WORDS})\b(?!\s+of\b)",
)
#: Names listed before one plural word of their kind: "the Donetsk and Luhansk regions", "Kent, Essex and Surrey
#: counties": the word is each name's.
_NAME = r"[A-Z][\w’'\-]+(?:\s[A-Z][\w’'\-]+)?"
_REGIONS_LIST_RULE = re.compile(
    rf"\b(?P<names>{_NAME}(?:,\s{_NAME})*,?\s(?:and|or)\s{_NAME})\s"
    rf"(?P<word>regions|oblasts|provinces|districts|governorates|prefectures|counties|states|territories|raions)\b"
    r"(?!\s+of\b)")
#: A word of letters, with an apostrophe or a hyphen inside ("Rus'ka", of a Ukrainian village's name).
_WORD = re.compile(r"[^\W\d_]+(?:['’-][^\W\d_]+)*")
_LIST_SPLIT = re.compile(r",?\s(?:and|or)\s|,\s")
_REGION_OF_RULE = re.compile(rf"\bthe\s(?P<word>{REGION_WORDS})\sof\s(?P<name>[A-Z][\w’'\-]+(?:\s[A-Z][\w’'\-]+){{0,2}})")
_DIRECTION_AREA = re.compile(
    rf"\b(?:(?i:the)\s)?(?P<dir>(?i:{_DIR_ALT}))\s(?i:(?:regions?|parts?|areas?|provinces|territories|front|flank))"
    rf"(?:\sof\s(?P<of>[A-Z][\w’'\-]+(?:\s[A-Z][\w’'\-]+)?))?",
)
# Only the direction word is case-blind: the name's words are capitalised ("western Ukraine and", not "Ukraine and").
_DIRECTION_NAME = re.compile(rf"\b(?P<dir>(?i:{_DIR_ALT}))\s(?P<name>[A-Z][\w’'\-]+(?:\s[A-Z][\w’'\-]+)?)")
_CITY_ANAPHOR = re.compile(
    r"\b(?:[Tt]he|[Tt]his)\s(?:(?:besieged|southeastern|southern|northern|eastern|western|northeastern|northwestern|"
    r"southwestern|strategic|strategically important|embattled|coastal|ruined|port|capital|occupied|contested|"
    r"devastated|key|[a-z]+ern)\s){0,3}(?:port\s)?(?:city|town)\b(?!['’]s\s+(?:mayor|council))(?!\s+of\s+[A-Z])"
)
# Priorities when two candidate spans overlap (higher wins).
PRIORITY = {"org-name": 1, "one-sense": 1, "facility-rule": 3, "dateline": 5, "user-places": 6, "region-rule": 5, "direction": 4, "gazetteer-multi": 3, "ner": 2,
            "gazetteer": 1, "demonym": 1, "anaphor": 0}


class Decision(NamedTuple):
    """A gazetteer match judged by the recognition rules: its text and offset, the verdict, and the rules that had a
    say (those that overruled the model's label, then the one that decided)."""

    text: str
    start: int
    place: bool
    rules: tuple[str, ...]


@dataclass
class _Candidate:
    mention: Mention
    priority: int


class ToponymRecognizer:
    """Finds place mentions in an article; see the module docstring for the recognisers.

    One recogniser is shared by every user of a server (the app caches one ``Pipeline``): it holds only
    read-only resources. Everything about one document lives in a ``_DocumentScan`` made per call, so
    concurrent calls from several threads cannot see each other's state."""

    #: Recognition rules that ``SITMAP_DISABLE_RULES`` can switch off (to measure each one's gain).
    RULES = {"one-sense": "a name the story uses as a place is the place wherever it names it again",
             "named-facility": "a place name before a facility's noun names the facility (\"the Kakhovka dam\")",
             "unknown-speaker": "a name only the model calls a place, unknown to the gazetteer, that speaks or acts "
                                "somewhere in the story (\"Brightwave said\") is no place anywhere",
             **{r.id: r.says for r in recognition.RULES}}

    def __init__(self, gazetteer: OfflineGazetteer, nlp: object, disabled: frozenset[str] | None = None) -> None:
        self.gazetteer = gazetteer
        self.nlp = nlp
        self.disabled = disabled if disabled is not None else disabled_rules()
        names = sorted({n for up in gazetteer.user_places for n in up.names}, key=len, reverse=True)
        self.user_pattern = re.compile(r"\b(?:" + "|".join(re.escape(n) for n in names) + r")\b",
                                       re.IGNORECASE) if names else None

    def recognize(self, article: Article, doc: object | None = None) -> list[Mention]:
        doc = doc if doc is not None else parse(self.nlp, article.text)
        return _DocumentScan(self, article).run(doc)

    def decisions(self, article: Article, doc: object | None = None) -> list[Decision]:
        """How each name the gazetteer matched was judged (place or not, and by which rule of
        ``geo.recognition``), names turned down included."""
        doc = doc if doc is not None else parse(self.nlp, article.text)
        scan = _DocumentScan(self, article)
        scan.run(doc)
        return scan.decisions


class _DocumentScan:
    """One document's recognition: the shared recogniser's resources plus this document's own state
    (its sentence starts, the words of the people it names, the places found so far)."""

    def __init__(self, recognizer: ToponymRecognizer, article: Article) -> None:
        from wordfreq import zipf_frequency

        self.gazetteer = recognizer.gazetteer
        self.disabled = recognizer.disabled
        self._zipf = zipf_frequency
        self._user_pattern = recognizer.user_pattern
        self.article = article
        self._sentence_starts = {s.start for s in article.sentences}
        self._person_words: set[str] = set()
        self._person_names: dict[str, set[str]] = {}
        self._place_ends: set[int] = set()  # token indices that end a place found so far
        self._place_countries: dict[int, set[str]] = {}  # ... and the countries of its gazetteer rows
        self.decisions: list[Decision] = []  # every gazetteer match judged, in text order

    def run(self, doc: object) -> list[Mention]:
        article = self.article
        sentence_of = SentenceIndex(article)
        skip = {s.index for s in article.sentences if s.kind is not SentenceKind.STORY}
        candidates: list[_Candidate] = []
        ents = list(doc.ents)  # type: ignore[attr-defined]
        # Words of the people the article names in full ("Maria Fontaine"): alone later, they are still people.
        people = [ent.text for ent in ents if ent.label_ == "PERSON" and len(ent) > 1  # type: ignore[attr-defined]
                  and not self._team_name(ent)]
        # (each word's full names: a name read as a person's only where the whole of it is a known town, "in Wad
        # Madani", is no other person's word)
        self._person_names: dict[str, set[str]] = {}
        for name in people:
            for w in name.split():
                self._person_names.setdefault(w, set()).add(name)
        self._person_words = set(self._person_names)
        candidates += self._from_user_places(article, sentence_of)
        candidates += self._from_region_rules(article, sentence_of)
        candidates += self._from_datelines(article, sentence_of)
        candidates += self._from_ner(ents, sentence_of)
        candidates += self._from_gazetteer(doc, ents, sentence_of, article.text)
        candidates += self._from_directions(article, sentence_of)
        chosen = [m for m in _settle_overlaps(candidates) if m.source != "blocked"]
        if "unknown-speaker" not in self.disabled:
            chosen = self._without_unknown_speakers(article.text, chosen)
        if "one-sense" not in self.disabled:
            chosen += self._named_again(article, chosen, ents, sentence_of)
        if "named-facility" not in self.disabled:
            chosen = [_as_facility(m, article.text) for m in chosen]
        chosen += self._anaphors(article, chosen, sentence_of)
        chosen = _settle_overlaps([_Candidate(m, PRIORITY.get(m.source, 0)) for m in chosen])
        return sorted((m for m in chosen if m.sentence not in skip), key=lambda m: m.start)

    def _without_unknown_speakers(self, text: str, chosen: list[Mention]) -> list[Mention]:
        """A name only the model calls a place, that the gazetteer does not hold, and that somewhere in the story
        speaks or has done something ("Tarvik said", "Brightwave has informed", "Brightwave installed") is a
        person or a company, at every mention."""
        unknown = {m.text for m in chosen if m.source == "ner" and m.kind is MentionKind.TOPONYM
                   and not self.gazetteer.lookup_rows(m.text)}
        if not unknown:
            return chosen
        acting = {n for n in unknown if re.search(rf"(?<![\w-]){re.escape(n)}(?:[ \t]+(?:{_ACTS})\b)", text)}
        return [m for m in chosen if not (m.source == "ner" and m.text in acting)]

    # -- recognisers ------------------------------------------------------------------------
    def _named_again(self, article: Article, chosen: list[Mention], ents: list[object], sentence_of: SentenceIndex
                     ) -> list[Mention]:
        """One sense per discourse: a name the story uses as a place (found by the model or accepted from the
        gazetteer) is the place wherever the story names it again, whatever the model reads there ("Retaking
        Izium", a sentence opening on a village's name), unless the words there say otherwise: the name inside
        a longer name (a capitalised word right before, not opening the sentence, or right after: "Izium Regional
        Council"), inside a longer entity the model read as a person, organisation or work, or a word of a
        person the story names in full. Each is recorded with source "one-sense"."""
        names = {m.text for m in chosen if m.kind is MentionKind.TOPONYM and m.text == m.query and len(m.text) > 3
                 and m.text[:1].isupper() and m.source in _PLACE_SOURCES and m.text not in GENERIC_WORDS
                 and self._zipf(m.text.lower(), "en") < 4.0 and self.gazetteer.lookup_rows(m.text)}
        names -= self._person_words
        # Where the model reads the name itself as a person or an organisation, it is still the place only when the
        # model reads it as a place more often ("Sumner said" in a story that names Sumner once as a town: a person)...
        read_as: dict[str, list[int]] = {}
        for e in ents:
            label, text = e.label_, e.text  # type: ignore[attr-defined]
            if text in names:
                counts = read_as.setdefault(text, [0, 0])
                counts[0 if label in {"GPE", "LOC"} else 1] += 1
        # ... unless the story is about the town's country: then the town is meant, whatever the model reads.
        doubtful = {n for n, (place, other) in read_as.items() if other >= place and other}
        if doubtful:  # (the story's country is looked up only when some name is in doubt)
            story = Counter(c for m in chosen if m.kind is MentionKind.TOPONYM
                            for c in {r["country"] for r in self.gazetteer.lookup_rows(m.query)} if c)
            home = story.most_common(1)[0][0] if story else None
            names -= {n for n in doubtful if not any(r["kind"] == "city" and r["country"] == home
                                                     for r in self.gazetteer.lookup_rows(n))}
        if not names:
            return []
        taken = sorted((m.start, m.end) for m in chosen)
        starts = [a for a, _ in taken]
        longer_ents = sorted((e.start_char, e.end_char) for e in ents  # type: ignore[attr-defined]
                             if e.label_ in _NOT_PLACE_LABELS)  # type: ignore[attr-defined]
        ent_starts = [a for a, _ in longer_ents]  # (the model's entities do not overlap: one can hold a match)
        text = article.text
        pattern = re.compile(r"(?<![\w-])(?:" + "|".join(re.escape(n) for n in sorted(names, key=len, reverse=True))
                             + r")(?![\w-])")
        out = []
        for match in pattern.finditer(text):
            start, end = match.span()
            k = bisect.bisect_right(starts, start)
            if any(a < end and start < b for a, b in taken[max(0, k - 2): k + 1]):
                continue  # already a mention
            j = bisect.bisect_right(ent_starts, start) - 1
            if j >= 0 and (longer_ents[j][1] >= end and longer_ents[j] != (start, end)
                           and not self._opening_word(text, longer_ents[j][0], start, end, longer_ents[j][1])):
                continue  # "the Izium Brigade" read as an organisation
            before = _WORD_BEFORE.search(text[max(0, start - 40):start])
            if _SPEAKER_AFTER.match(text, end) or before and before.group(1).lower() in {"said", "says", "told"}:
                continue  # "Sumner said", "said Sumner": a speaker there, not a place
            if _NAME_AFTER.match(text, end) or before and before.group(1)[:1].isupper() \
                    and start not in self._sentence_starts \
                    and max(0, start - 40) + before.start(1) not in self._sentence_starts \
                    and before.group(1) not in NAME_OPENERS:
                continue  # inside a longer name
            out.append(Mention(match.group(0), start, end, sentence_of(start), MentionKind.TOPONYM, match.group(0),
                               source="one-sense"))
        return out

    def _opening_word(self, text: str, a: int, start: int, end: int, b: int) -> bool:
        """Whether an entity ``text[a:b]`` is the name ``text[start:end]`` with only a common word that opens the
        sentence before it ("Retaking Izium" read as one name): the name alone, then."""
        word = text[a:start].strip()
        return b == end and a in self._sentence_starts and " " not in word and (
            word.endswith(("ing", "ed")) or self._zipf(word.lower(), "en") >= 3.0)  # "Retaking", "Besieged", "After"

    def _from_user_places(self, article: Article, sentence_of: SentenceIndex) -> list[_Candidate]:
        out: list[_Candidate] = []
        if self._user_pattern is None:
            return out
        for match in self._user_pattern.finditer(article.text):
            text = match.group(0)
            if not any(ch.isupper() for ch in text):
                continue
            ups = self.gazetteer.user_matches(text)
            if not ups:
                continue
            kind = MentionKind.FACILITY if ups[0].place.kind in {"facility", "landmark"} else MentionKind.TOPONYM
            start = match.start()
            if text[:4].lower() == "the ":  # "the White House": the name is "White House"
                text, start = text[4:], start + 4
            mention = Mention(text, start, match.end(), sentence_of(start), kind, text,
                              feature_hint=ups[0].place.kind, source="user-places")
            out.append(_Candidate(mention, PRIORITY["user-places"]))
        return out

    def _from_datelines(self, article: Article, sentence_of: SentenceIndex) -> list[_Candidate]:
        """A news dateline: the town in capitals opening a sentence, then a news agency or a dash ("LONDON, Ky. (AP) -",
        "KYIV, Ukraine —", "DAYTON (AP) The mayor", "FRESNO, Calif.--(BUSINESS WIRE)--")."""
        out = []
        for start in (s.start for s in article.sentences):
            match = _DATELINE.match(article.text, start)
            if not match:
                continue
            name = match.group("town")
            query = name.title()
            if not self.gazetteer.candidates(query):
                continue
            a, b = match.span("town")
            out.append(_Candidate(Mention(name, a, b, sentence_of(a), MentionKind.TOPONYM, query, source="dateline"),
                                  PRIORITY["dateline"]))
            state = match.group("state")
            if state and any(r["kind"] in {"admin1", "country"} for r in self.gazetteer.lookup_rows(state)):
                a, b = match.span("state")  # "DAYTON, OH--", "KYIV, Ukraine —": the state or country too
                out.append(_Candidate(Mention(state, a, b, sentence_of(a), MentionKind.TOPONYM, state,
                                              source="dateline"), PRIORITY["dateline"]))
        return out

    def _from_region_rules(self, article: Article, sentence_of: SentenceIndex) -> list[_Candidate]:
        out = []
        for rule in (_REGION_RULE, _REGION_OF_RULE):
            for match in rule.finditer(article.text):
                name = match.group("name")
                if not self.gazetteer.candidates(name):
                    continue
                hint = "admin1" if match.group("word").lower() not in {"county", "district", "raion"} else None
                start, end = match.span()
                mention = Mention(article.text[start:end], start, end, sentence_of(start), MentionKind.TOPONYM,
                                  name, feature_hint=hint, source="region-rule")
                out.append(_Candidate(mention, PRIORITY["region-rule"]))
        for match in _REGIONS_LIST_RULE.finditer(article.text):
            hint = "admin1" if match.group("word").lower() not in {"counties", "districts", "raions"} else None
            at = match.start("names")
            for name in _LIST_SPLIT.split(match.group("names")):
                start = article.text.index(name, at)
                at = start + len(name)
                if self.gazetteer.candidates(name):
                    mention = Mention(name, start, at, sentence_of(start), MentionKind.TOPONYM, name,
                                      feature_hint=hint, source="region-rule")
                    out.append(_Candidate(mention, PRIORITY["region-rule"]))
        return out

    def _from_directions(self, article: Article, sentence_of: SentenceIndex) -> list[_Candidate]:
        out = []
        for match in _DIRECTION_NAME.finditer(article.text):
            name = match.group("name")
            places = self.gazetteer.candidates(name)
            if not any(p.kind in {"country", "admin1", "region", "continent"} for p in places):
                continue
            start, end = match.span()
            first = match.group("dir") + " " + name.split()[0]
            before = article.text[max(0, start - 30):start].split()
            if any(self.gazetteer.lookup_rows(n) for n in {first, article.text[start:end]}) or before and \
                    before[-1][:1].isupper() and self.gazetteer.lookup_rows(f"{before[-1]} {first}"):
                continue  # "South Africa", "West Virginia", "New South Wales": a name of its own, not a part of another
            out.append(_Candidate(Mention(article.text[start:end], start, end, sentence_of(start),
                                          MentionKind.AREA_PHRASE, name, feature_hint=None, source="direction",
                                          direction=DIRECTIONS[match.group("dir").lower()]), PRIORITY["direction"]))
        for match in _DIRECTION_AREA.finditer(article.text):
            start, end = match.span()
            out.append(_Candidate(Mention(article.text[start:end], start, end, sentence_of(start),
                                          MentionKind.AREA_PHRASE, match.group("of") or "", source="direction",
                                          direction=DIRECTIONS[match.group("dir").lower()]), PRIORITY["direction"]))
        return out

    def _from_ner(self, ents: Iterable[object], sentence_of: SentenceIndex) -> list[_Candidate]:
        out = []
        for ent in ents:
            label = ent.label_  # type: ignore[attr-defined]
            text = _strip_article(ent.text)  # type: ignore[attr-defined]
            start = ent.end_char - len(text)  # type: ignore[attr-defined]
            text = _strip_possessive(text)
            end = start + len(text)
            if label in {"GPE", "LOC", "FAC"} and text not in NOT_PLACES:
                demonym = self.gazetteer.demonym_place(text)
                if demonym and not self.gazetteer.lookup_rows(text):
                    continue  # handled by the demonym rule, which tells people from places
                if ACRONYM.match(text) and not self.gazetteer.candidates(text):
                    continue  # "NATO", "TASS": an unknown acronym is an organisation, not a place
                if text in self._person_words and not any(
                        p.kind in {"country", "continent", "admin1", "region"} for p in self.gazetteer.candidates(text)):
                    continue  # "Fontaine" after "Maria Fontaine" is the man, whatever the model says
                kind = MentionKind.FACILITY if label == "FAC" else MentionKind.TOPONYM
                parts = self._compound_parts(text)
                if parts:  # "Asia-Pacific", "the Amsterdam-London leg": two places, each its own mention
                    for offset, part in parts:
                        out.append(_Candidate(Mention(part, start + offset, start + offset + len(part),
                                                      sentence_of(start), MentionKind.TOPONYM, part, source="ner"),
                                              PRIORITY["ner"]))
                    continue
                head = self._place_heading(text)
                if head:  # "Tulsa Police", "Pike County Sheriff": the place, inside an organisation's name
                    out.append(_Candidate(Mention(head, start, start + len(head), sentence_of(start),
                                                  MentionKind.TOPONYM, head, source="org-name"), PRIORITY["ner"]))
                    # The rest of the name ("Police", "Star-Advertiser") is no place of its own.
                    out.append(_Candidate(Mention(text[len(head):], start + len(head), end, sentence_of(start),
                                                  MentionKind.TOPONYM, "", source="blocked"), PRIORITY["ner"]))
                    continue
                out.append(_Candidate(Mention(text, start, end, sentence_of(start), kind, text, source="ner"),
                                      PRIORITY["ner"]))
        return out

    def _compound_parts(self, text: str) -> list[tuple[int, str]]:
        """The places of a hyphenated compound the gazetteer does not know whole ("Asia-Pacific")."""
        if "-" not in text or " " in text or self.gazetteer.lookup_rows(text):
            return []
        out, offset = [], 0
        for part in text.split("-"):
            rows = self.gazetteer.lookup_rows(part) if part[:1].isupper() else ()
            if not any(r["kind"] in {"country", "admin1", "region", "continent", "sea"}
                       or int(r["population"] or 0) >= 100_000 for r in rows):
                return []  # "Miami-Dade" is no Chinese town called Dade
            out.append((offset, part))
            offset += len(part) + 1
        return out

    def _place_heading(self, text: str) -> str | None:
        """The known place opening an unknown name that ends like an organisation's ("Tulsa Police") or a big
        town's team ("the Omaha Owls")."""
        words = text.split()
        if len(words) < 2 or self.gazetteer.lookup_rows(text):
            return None
        if words[-1].lower().rstrip(".") not in ORG_HEADS:
            return self._team_town(text, 100_000)  # "the Omaha Owls": a team of a town of 100,000 or more
        for k in range(len(words) - 1, 0, -1):
            head = " ".join(words[:k])
            if words[k - 1] not in GENERIC_WORDS and self.gazetteer.lookup_rows(head):
                return head
        return None

    def _from_gazetteer(self, doc: object, ents: list[object], sentence_of: SentenceIndex, doc_text: str
                        ) -> list[_Candidate]:
        out: list[_Candidate] = []
        # Plain (text, offset) pairs: far cheaper than spaCy Token objects for a scan over every token.
        tokens = [_Tok(doc_text[i: i + n], i) for i, n in doc.to_array([IDX, LENGTH]).tolist()]  # type: ignore[attr-defined]
        ent_of = {}
        for ent in ents:
            for i in range(ent.start, ent.end):  # type: ignore[attr-defined]
                ent_of[i] = ent
        n = len(tokens)
        i = 0
        while i < n:
            tok = tokens[i]
            prefix = _PLACE_PREFIXED.match(tok.text)
            if prefix and any(r["kind"] in {"country", "admin1", "region", "continent"}
                              for r in self.gazetteer.lookup_rows(prefix.group(1))):
                name = prefix.group(1)  # "the U.S.-led coalition", "a Kremlin-backed group"
                out.append(_Candidate(Mention(name, tok.idx, tok.idx + len(name), sentence_of(tok.idx),
                                              MentionKind.TOPONYM, name, source="gazetteer"), PRIORITY["gazetteer"]))
                i += 1
                continue
            if not (tok.text[:1].isupper() and _WORD.fullmatch(tok.text) or tok.text in NAME_OPENERS
                    or ABBREVIATION.match(tok.text) and i > 0 and tokens[i - 1].text == ","):
                i += 1
                continue
            abbreviation = self._split_abbreviation(tokens, i)
            if abbreviation:  # "Guelph, Ont., where": spaCy cut the period off "Ont."
                out.append(_Candidate(Mention(abbreviation, tok.idx, tok.idx + len(abbreviation), sentence_of(tok.idx),
                                              MentionKind.TOPONYM, abbreviation, source="gazetteer"), PRIORITY["gazetteer"]))
                self._place_ends.add(i + 1)
                i += 2
                continue
            matched = False
            for size in range(min(5, n - i), 0, -1):
                last = tokens[i + size - 1]
                if size > 1 and not last.text[:1].isupper():
                    continue
                if any(t.text.lower() not in CONNECTORS and not t.text[:1].isupper() and t.text not in {"-", "'"}
                       for t in tokens[i : i + size]):
                    continue
                start_char = tok.idx
                end_char = last.idx + len(last.text)
                text = doc_text[start_char:end_char]
                demonym = self.gazetteer.demonym_place(text) if size <= 2 else None
                if demonym and _names_a_language(tokens, i, size, ent_of):
                    break  # "he speaks in Spanish", "for French to gain influence": the language, no place
                if demonym:
                    out.append(self._demonym_candidate(tokens, i + size - 1, text, demonym, sentence_of,
                                                       start=start_char))
                    matched = True
                    i += size
                    break
                rows = self.gazetteer.lookup_rows(text)
                ups = self.gazetteer.user_matches(text)
                if not rows and not ups:
                    continue
                if size > 1 and tok.text == "The" and not any(r["name"].startswith("The ") for r in rows) \
                        and self.gazetteer.lookup_rows(text[4:]):
                    break  # "The Soviet Union collapsed": the name is "Soviet Union" (but "The Hague" is whole)
                accepted, rule = self._accept(tokens, i, size, rows, ent_of)
                if not accepted:
                    continue
                source = "gazetteer-multi" if size > 1 else "gazetteer"
                if _in_org_name(tokens, i, size, ent_of):
                    source = "org-name"  # a place named inside an organisation's name: not where things happen
                if text.endswith(".") and not any(r["exact"].endswith(".") for r in rows):
                    text, end_char = text[:-1], end_char - 1  # "Brands Hatch, Kent.": the full stop ends the sentence
                out.append(_Candidate(Mention(text, start_char, end_char, sentence_of(start_char),
                                              MentionKind.TOPONYM, text, source=source, rule=rule), PRIORITY[source]))
                self._place_ends.add(i + size - 1)
                self._place_countries[i + size - 1] = {str(r["country"]) for r in rows}
                i += size
                matched = True
                break
            if not matched:
                i += 1
        return out

    def _accept(self, tokens: list[object], i: int, size: int, rows: tuple[object, ...], ent_of: dict[int, object]
                ) -> tuple[bool, str]:
        """Whether a gazetteer-only match is a place, not a person, an organisation or a word, and the rule that
        decided (``geo.recognition``); the decision is kept in ``decisions``."""
        verdict, rules = recognition.decide(recognition.Match(self, tokens, i, size, rows, ent_of), self.disabled)
        start = tokens[i].idx  # type: ignore[attr-defined]
        last = tokens[i + size - 1]
        self.decisions.append(Decision(self.article.text[start: last.idx + len(last.text)], start, verdict, rules))  # type: ignore[attr-defined]
        return verdict, rules[-1]

    def _team_name(self, ent: object) -> bool:
        """Whether a name the model reads as a person's is a big town's team: after "the" or "every", the town
        and a plural ("every Denver Broncos home game"; not "Houston Williams scored")."""
        start = ent.start  # type: ignore[attr-defined]
        if start == 0 or ent.doc[start - 1].text.lower() not in {"the", "every", "a", "their", "its"}:  # type: ignore[attr-defined]
            return False
        return self._team_town(ent.text, 500_000) is not None  # type: ignore[attr-defined]

    def _team_town(self, text: str, min_population: int) -> str | None:
        """The town of a team's name: a town of ``min_population`` or more, then a plural ("Omaha Owls")."""
        words = text.split()
        if len(words) < 2 or not words[-1].endswith("s") or words[-1].endswith("ss"):
            return None
        town = " ".join(words[:-1])
        return town if any(r["kind"] == "city" and int(r["population"] or 0) >= min_population
                           for r in self.gazetteer.lookup_rows(town)) else None

    def _split_abbreviation(self, tokens: list[_Tok], i: int) -> str | None:
        """A state or province abbreviation after a town and a comma whose period spaCy made a token of its own."""
        tok = tokens[i]
        text = _with_cut_period(tokens, i)
        if not (i > 0 and tokens[i - 1].text == "," and text.endswith(".") and tok.text.isalpha()
                and tok.text[:1].isupper() and len(tok.text) <= 5):
            return None
        rows = self.gazetteer.lookup_rows(text)
        return text if any(r["kind"] == "admin1" and r["exact"].endswith(".") for r in rows) else None

    def _followed_by_its_area(self, tokens: list[_Tok], j: int) -> bool:
        """Whether tokens[j:] read ", <state or province>" ("Red Deer, Alta.", "Enid, Oklahoma")."""
        if j + 1 >= len(tokens) or tokens[j].text != "," or not tokens[j + 1].text[:1].isupper():
            return False
        return any(r["kind"] == "admin1" for r in self.gazetteer.lookup_rows(_with_cut_period(tokens, j + 1)))

    def _coordinated_with_place(self, tokens: list[_Tok], i: int, ent_of: dict[int, object]) -> bool:
        """Whether tokens[i] is the next item of a list of places ("from Gloucester and Cheltenham")."""
        if i < 2 or tokens[i - 1].text not in {"and", "or", ",", "&", "-"}:
            return False
        ent = ent_of.get(i - 2)
        return ent is not None and ent.label_ in {"GPE", "LOC"} or i - 2 in self._place_ends  # type: ignore[attr-defined]

    def _countries_listed_before(self, i: int) -> set[str]:
        """The countries of the place found just before tokens[i] in a list ("Kupiansk, Lyman": Lyman's)."""
        return self._place_countries.get(i - 2, set())

    def _demonym_candidate(self, tokens: list[object], i: int, text: str, place_id: str,
                           sentence_of: SentenceIndex, start: int) -> _Candidate:
        """``i`` is the demonym's last token; the words after it tell people from places."""
        nxt = tokens[i + 1].text.lower() if i + 1 < len(tokens) else ""  # type: ignore[attr-defined]
        nxt2 = tokens[i + 2].text.lower() if i + 2 < len(tokens) else ""  # type: ignore[attr-defined]
        plural = text.endswith("s") and not text.endswith("ss")
        actor = plural or nxt in PEOPLE_NOUNS or nxt == "-" and nxt2 in {"backed", "led", "controlled", "allied"} \
            or nxt2 in PEOPLE_NOUNS and tokens[i + 1].text[:1].isupper() \
            or _PLURAL_NOUN.fullmatch(nxt) is not None and nxt not in PLACE_PLURALS  # "British tourists", "Polish nuns"
        kind = MentionKind.ACTOR if actor else MentionKind.ADJECTIVAL
        mention = Mention(text, start, start + len(text), sentence_of(start), kind, place_id,
                          feature_hint="demonym", source="demonym")
        return _Candidate(mention, PRIORITY["demonym"])

    def _anaphors(self, article: Article, chosen: list[Mention], sentence_of: SentenceIndex) -> list[Mention]:
        """Nominal references: "the plant" -> the facility named in the article; "the city" -> its city."""
        out: list[Mention] = []
        facilities = {}
        for m in chosen:
            for up in self.gazetteer.user_matches(m.text) if m.source == "user-places" else []:
                if up.anaphors:
                    facilities[up.place.name] = up
        for name, up in facilities.items():
            words = sorted(up.anaphors, key=len, reverse=True)
            pattern = re.compile(
                r"\b(?:the|a|this|its)\s(?P<qualifier>[A-Z][\w’']+\s)?(?P<head>(?:(?:steel|main|giant|sprawling|"
                r"besieged|huge|underground)\s){0,2}(?:" + "|".join(re.escape(w) for w in words) + r"))\b"
                r"(?!\s+(?:minister|ministry))",
                re.IGNORECASE,
            )
            for match in pattern.finditer(article.text):
                # "a Mariupol steel factory": Mariupol stays a toponym of its own; the head refers.
                start = match.start("head") if match.group("qualifier") else match.start()
                end = match.end()
                out.append(Mention(article.text[start:end], start, end, sentence_of(start), MentionKind.ANAPHOR,
                                   name, feature_hint="facility", source="anaphor"))
        for match in _CITY_ANAPHOR.finditer(article.text):
            start, end = match.span()
            out.append(Mention(match.group(0), start, end, sentence_of(start), MentionKind.ANAPHOR, "",
                               feature_hint="city", source="anaphor"))
        return out


def _facility_pattern() -> re.Pattern[str]:
    """After a place name: up to three modifiers, then a facility's noun (``data/lexicon/facilities.csv``)."""
    rows = [line.split(",") for line in (LEXICON / "facilities.csv").read_text(encoding="utf-8").splitlines()
            if line and not line.startswith("#") and line != "word,role"]

    def words(role: str) -> str:
        return "|".join(re.escape(w).replace(r"\ ", r"\s+") for w, r in sorted(rows, key=lambda wr: -len(wr[0]))
                        if r == role)

    return re.compile(rf"(?:\s+(?:{words('modifier')})){{0,3}}\s+(?:{words('head')})\b(?!-)", re.IGNORECASE)


FACILITY_AFTER = _facility_pattern()


def _as_facility(mention: Mention, text: str) -> Mention:
    """"the Kakhovka dam", "Dzhankoi railway station": the mention of the town becomes the facility named after
    it (its query stays the town's name; the resolver places it at the town when the gazetteer lacks it)."""
    if mention.kind is not MentionKind.TOPONYM or mention.text != mention.query or mention.feature_hint:
        return mention
    match = FACILITY_AFTER.match(text, mention.end)
    if not match:
        return mention
    return Mention(text[mention.start:match.end()], mention.start, match.end(), mention.sentence,
                   MentionKind.TOPONYM, mention.query, feature_hint="facility", source="facility-rule")


# A dateline: a town in capitals, then its state or country, then the agency or a dash.
_DATELINE = re.compile(r"(?P<town>[A-Z][A-Z'.-]+(?: [A-Z][A-Z'.-]+){0,2})(?:,\s+(?P<state>[A-Z][\w.]*(?:\s[A-Z][\w.]*)?))?"
                       r"\s*(?:\([A-Za-z. ]{1,20}\)\s*(?:(?:—|–|--?)\s)?|(?:—|–|--?)(?=\s|\())")

def _with_cut_period(tokens: list[_Tok], i: int) -> str:
    """tokens[i]'s text, with the period spaCy cut off into a token of its own put back ("Ont" "." -> "Ont.")."""
    tok = tokens[i]
    if i + 1 < len(tokens) and tokens[i + 1].text == "." and tokens[i + 1].idx == tok.idx + len(tok.text):
        return tok.text + "."
    return tok.text


def _names_a_language(tokens: list[_Tok], i: int, size: int, ent_of: dict[int, object]) -> bool:
    """Whether a demonym the model reads as a language is used as one ("speaks in Spanish"), not as an adjective
    ("the English city of Salisbury")."""
    ent = ent_of.get(i)
    if ent is None or ent.label_ != "LANGUAGE":  # type: ignore[attr-defined]
        return False
    before = tokens[i - 1].text.lower() if i > 0 else ""
    after = tokens[i + size].text.lower() if i + size < len(tokens) else "."
    return before in {"in", "speak", "speaks", "spoke", "speaking", "learn", "learning", "into"} or \
        after in {".", ",", ";", ":", ")", "to", "and", "or", "is", "was"}


def _in_org_name(tokens: list[_Tok], i: int, size: int, ent_of: dict[int, object]) -> bool:
    """Whether tokens[i:i+size] sit inside a longer organisation name or sum of money, or before an organisation's
    head noun."""
    for j in range(i, i + size):
        ent = ent_of.get(j)
        if ent is not None and ent.label_ in {"ORG", "MONEY"} and (ent.start < i or ent.end > i + size):  # type: ignore[attr-defined]
            return True  # "Ohio State Police", "3 million Canadian dollars"
    return i + size < len(tokens) and tokens[i + size].text.lower() in ORG_HEADS


class _Tok(NamedTuple):
    text: str
    idx: int


def _strip_article(text: str) -> str:
    for prefix in ("the ", "The "):
        if text.startswith(prefix):
            return text[len(prefix):]
    return text


def _strip_possessive(text: str) -> str:
    for suffix in ("’s", "'s"):
        if text.endswith(suffix):
            return text[: -len(suffix)]
    return text


def _settle_overlaps(candidates: list[_Candidate]) -> list[Mention]:
    """The candidates that win their spans: by priority, then length, then position; a candidate overlapping one
    already taken is dropped. The spans taken never overlap, so sorted by start they are sorted by end too and
    only the last one starting before a candidate's end can overlap it (a bisection, not a scan)."""
    ranked = sorted(candidates, key=lambda c: (-c.priority, -(c.mention.end - c.mention.start), c.mention.start))
    starts: list[int] = []
    ends: list[int] = []
    chosen: list[Mention] = []
    for cand in ranked:
        m = cand.mention
        k = bisect.bisect_left(starts, m.end)  # taken spans [0, k) start before m ends
        if k and ends[k - 1] > m.start:
            continue
        starts.insert(k, m.start)
        ends.insert(k, m.end)
        chosen.append(m)
    return chosen
