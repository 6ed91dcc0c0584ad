"""Whether a name the gazetteer knows, found in the text, is a place there: the recogniser's rules, in order.

The recogniser (``geo.mentions``) matches capitalised n-grams against the gazetteer; each match is judged here.
The rules are tried in their order, and the first with a verdict decides; the decision keeps its rule's id
(``Mention.rule``, and ``ToponymRecognizer.decisions`` for the names turned down too). Three stages:

* ``words``: the name's own words and the words next to it, before the model's labels count;
* ``label``: for each entity of the small model over the name, the first rule with an opinion gives a verdict
  or ``OVERRULE`` (that entity's label does not count; the next entity is read);
* ``shape``: position in the sentence, how common the word is in English, its size; the last rule always decides.

Each rule's examples and counter-examples are in ``data/rules/recognition_examples.csv``
(``tests/test_recognition_rules.py`` runs them); its words are in ``data/lexicon/``. ``SITMAP_DISABLE_RULES``
switches any rule off, and ``python -m geo.evaluate geo CORPUS --ablate`` prints each one's gain.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass, field
from functools import cached_property
from typing import Any

from geo.lexicon import alternation, words

ADMIN2_WORDS = words("admin2_words")
GENERIC_WORDS = words("generic_words")
NOT_PLACES = words("not_places")
GIVEN_NAME_COUNTRIES = words("given_name_countries")
LOCAL_SERVICES = words("local_services")
LOCATIVE = words("locative")
PLACE_PARTICIPLES = words("place_participles")
PERSON_TITLES = words("person_titles")
_BEFORE_A_PLACE = words("place_prepositions") | words("place_verbs")
AVIATION = re.compile(rf"\b(?:{alternation('aviation_words')})\b", re.IGNORECASE)
ACRONYM = re.compile(r"^[A-Z][A-Z&]{2,}$")
# A state or province abbreviation after a town ("Tulsa, Okla.", "Kamloops, B.C.").
ABBREVIATION = re.compile(r"^(?:[A-Z][a-z]{0,4}\.|(?:[A-Z]\.){2,3}|W\.Va\.)$")
#: A town this big is not misread as a person after "to" or in a list of places.
MISREAD_TOWN = 20_000
#: Rules for which no sentence of my own shows them at work (the small model labels such sentences otherwise);
#: each gains a little on the held-out halves of the corpora (``python -m geo.evaluate geo --ablate``). Three rules
#: that gained nothing there went (session 9): a big town's team read as a person, a small town before an
#: organisation's head noun, a style-book state abbreviation only after a comma; and (session 10) a town's name after
#: two capitalised words ending a person's name (it mended one name of the event gold's study half, none held out);
#: (session 14) a name joined to a capitalised word by a Romance particle ("Gare de Lyon": the station, not Lyon),
#: which mended five events of the event gold's study half and no name or event held out.
WITHOUT_OWN_EXAMPLE = ("region-read-as-person", "country-read-as-person")
#: A label rule's answer: this entity's label does not count.
OVERRULE = "overrule"
_BIG_KINDS = {"country", "continent", "region", "admin1", "sea"}


@dataclass
class Match:
    """One gazetteer match under judgement: tokens[i:i+size] of a document, the gazetteer's rows for it, the model's
    entities by token, and the document's scan (the words of the people it names, its sentence starts, the places
    found so far)."""

    scan: Any
    tokens: list[Any]
    i: int
    size: int
    rows: tuple[Any, ...]
    ent_of: dict[int, Any]
    span_ents: list[Any] = field(init=False)

    def __post_init__(self) -> None:
        self.span_ents = sorted({self.ent_of[j] for j in range(self.i, self.i + self.size) if j in self.ent_of},
                                key=lambda e: e.start)

    @cached_property
    def kinds(self) -> set[str]:
        return {r["kind"] for r in self.rows}

    @cached_property
    def big_kind(self) -> bool:
        return bool(self.kinds & _BIG_KINDS)

    @cached_property
    def designated(self) -> bool:
        """The name says it is a county's ("Greene County", not "Kent"): only then its population speaks for it."""
        return any(t.text in ADMIN2_WORDS for t in self.tokens[self.i: self.i + self.size])

    @cached_property
    def population(self) -> int:
        return max((int(r["population"] or 0) for r in self.rows if r["kind"] != "admin2" or self.designated),
                   default=0)

    @property
    def notable(self) -> bool:
        return self.big_kind or self.population >= 100_000

    @property
    def first(self) -> str:
        return str(self.tokens[self.i].text)

    @cached_property
    def text(self) -> str:
        return " ".join(t.text for t in self.tokens[self.i: self.i + self.size])

    @property
    def before(self) -> str:
        return str(self.tokens[self.i - 1].text).lower() if self.i > 0 else ""

    @property
    def after(self) -> str:
        j = self.i + self.size
        return str(self.tokens[j].text).lower() if j < len(self.tokens) else ""

    @cached_property
    def sentence_initial(self) -> bool:
        return self.tokens[self.i].idx in self.scan._sentence_starts or self.i == 0 or \
            self.tokens[self.i - 1].text in {'"', "“", "\n", "(", "-", "—"}

    @cached_property
    def zipf(self) -> float:
        return float(self.scan._zipf(self.text.lower(), "en"))

    @property
    def a_person_word(self) -> bool:
        """The name's first word is a word of a person the story names in full, other than this very name (the
        model may read a two-word town as a person: "in Wad Madani")."""
        return bool(self.scan._person_names.get(self.first, set()) - {self.text})


@dataclass(frozen=True)
class Rule:
    id: str
    stage: str  # "words", "label" or "shape"
    says: str
    test: Callable[..., object]


RULES: list[Rule] = []


def _rule(rule_id: str, stage: str, says: str) -> Callable[[Callable[..., object]], Callable[..., object]]:
    def register(test: Callable[..., object]) -> Callable[..., object]:
        RULES.append(Rule(rule_id, stage, says, test))
        return test
    return register


def decide(m: Match, disabled: frozenset[str] = frozenset()) -> tuple[bool, tuple[str, ...]]:
    """Whether the match is a place, and the ids of the rules that had a say: the label rules that overruled the
    model, then the rule that decided (last)."""
    rules = [r for r in RULES if r.id not in disabled]
    said: list[str] = []
    for r in rules:
        if r.stage == "words" and (verdict := r.test(m)) is not None:
            return bool(verdict), (r.id,)
    for ent in m.span_ents:
        label, longer = ent.label_, ent.start < m.i or ent.end > m.i + m.size
        for r in rules:
            if r.stage != "label":
                continue
            verdict = r.test(m, ent, label, longer)
            if verdict == OVERRULE:
                said.append(r.id)
                break
            if verdict is not None:
                return bool(verdict), (*said, r.id)
    for r in rules:
        if r.stage == "shape" and (verdict := r.test(m)) is not None:
            return bool(verdict), (*said, r.id)
    return False, (*said, "none")


# -- words ---------------------------------------------------------------------------------------------------------
@_rule("generic-word", "words", "a generic word alone (\"Centre\", \"West\", a month) or a name news means otherwise "
                                "is no place")
def _generic_word(m: Match) -> bool | None:
    return False if m.size == 1 and m.first in GENERIC_WORDS or m.text in NOT_PLACES else None


#: Words after a name that make it a street's or a road's ("Elm Street", "Oak and Maple streets").
STREET_WORDS = frozenset({"street", "streets", "st", "avenue", "avenues", "ave", "road", "roads", "rd", "boulevard",
                          "blvd", "lane", "drive", "place", "parkway", "highway", "expressway", "square", "terrace"})


@_rule("street-name", "words", "a town's name before a street word names the street (\"Hubbard Street\", \"Oak and "
                               "Hubbard streets\"), not the town")
def _street_name(m: Match) -> bool | None:
    j = m.i + m.size
    tokens = m.tokens
    if j < len(tokens) and tokens[j].text[:1].isupper() and tokens[j].text.lower().rstrip(".") in STREET_WORDS:
        return False if not m.big_kind else None
    # the first of two joined names before a plural street word: "Grand and Oak streets"
    if j + 2 < len(tokens) and tokens[j].text in {"and", "&"} and tokens[j + 1].text[:1].isupper() \
            and tokens[j + 2].text.lower() in {"streets", "avenues", "roads", "boulevards", "lanes", "drives"}:
        return False if not m.big_kind else None
    if j < len(tokens) and tokens[j].text.lower() in {"streets", "avenues", "roads", "boulevards"} and m.i > 1 \
            and tokens[m.i - 1].text in {"and", "&"}:
        return False if not m.big_kind else None
    return None


SITE_NOUNS = words("site_nouns")
#: The particles between a site's noun and its name: "Gare du ...", "Puerta del ...", "Palacio de la ...".
_PARTICLES = frozenset({"de", "du", "des", "del", "della", "delle", "dei", "degli", "di", "do", "da", "dos", "das",
                        "la", "le", "les", "los", "las", "l'", "l’", "d'", "d’"})


def _site_noun(token: Any) -> bool:
    return bool(token.text[:1].isupper() and token.text.lower() in SITE_NOUNS)


@_rule("site-name", "words", "a name after a site's noun in a Romance language (\"Rue ...\", \"Estadio de ...\") "
                             "names the site, not a town elsewhere, unless it is a country's; so does the noun itself "
                             "when a town bears it")
def _site_name(m: Match) -> bool | None:
    tokens, k = m.tokens, m.i - 1
    while k >= 0 and tokens[k].text.lower() in _PARTICLES and m.i - k <= 2:
        k -= 1
    if k >= 0 and _site_noun(tokens[k]) and "country" not in m.kinds:
        return False
    j = m.i + m.size
    while j < len(tokens) and tokens[j].text.lower() in _PARTICLES and j - (m.i + m.size) < 2:
        j += 1
    if m.size == 1 and _site_noun(tokens[m.i]) and j < len(tokens) and tokens[j].text[:1].isupper() \
            and tokens[j].text.isalpha():
        return False
    return None


def _title(token: Any) -> bool:
    return token.text[:1].isupper() and token.text.lower().rstrip(".") in PERSON_TITLES


@_rule("person-title", "words", "a name after a person's title, or after the title and a given name, is the person "
                                "(\"Sheriff Ann Tolley\"); a title before a name is no town (\"Fire Marshal Ann\")")
def _person_title(m: Match) -> bool | None:
    if m.big_kind:
        return None
    tokens, j = m.tokens, m.i + m.size
    if m.size == 1 and _title(tokens[m.i]) and j < len(tokens) and tokens[j].text[:1].isupper() \
            and tokens[j].text.isalpha():
        return False
    k = m.i - 1
    if k > 0 and tokens[k].text[:1].isupper() and tokens[k].text.isalpha() and not _title(tokens[k]):
        k -= 1  # a given name between ("Sheriff Ann Tolley")
    return False if k >= 0 and k < m.i and _title(tokens[k]) else None


@_rule("person-word", "words", "a word of a person the story names in full is the person when alone")
def _person_word(m: Match) -> bool | None:
    return False if m.size == 1 and not m.big_kind and m.a_person_word else None


@_rule("town-and-its-state", "words", "a town followed by its state or province is a town (\"Enid, Oklahoma\")")
def _town_and_its_state(m: Match) -> bool | None:
    return True if m.kinds & {"city", "admin2"} and m.scan._followed_by_its_area(m.tokens, m.i + m.size) else None


@_rule("place-participle", "words", "a known place glued to a participle is the place (\"the Kent-based brewer\")")
def _place_participle(m: Match) -> bool | None:
    j = m.i + m.size
    return True if (m.population >= 10_000 or m.designated or m.big_kind) and j + 1 < len(m.tokens) \
        and m.tokens[j].text == "-" and m.tokens[j + 1].text in PLACE_PARTICIPLES else None


@_rule("listed-with-a-place", "words", "a town of 10,000 or more listed after a place is a place "
                                       "(\"Utrecht and Zwolle\")")
def _listed_with_a_place(m: Match) -> bool | None:
    return True if m.population >= 10_000 and not m.span_ents and m.i > 1 \
        and m.tokens[m.i - 1].text in {"and", "or", "-", "&"} \
        and m.scan._coordinated_with_place(m.tokens, m.i, m.ent_of) else None


@_rule("airport-of-flights", "words", "an airport's name near words of flying is the airport "
                                      "(\"flights at Heathrow\")")
def _airport_of_flights(m: Match) -> bool | None:
    window = " ".join(t.text for t in m.tokens[max(0, m.i - 12): m.i + m.size + 12])
    return True if "facility" in m.kinds and AVIATION.search(window) else None


@_rule("local-service", "words", "a town's or county's own service names it (\"Fresno police\", "
                                 "\"the Pike County Coroner's Office\")")
def _local_service(m: Match) -> bool | None:
    if m.sentence_initial and m.zipf >= 4.3 or m.size == 1 and len(m.text) <= 2:
        return None  # a one-letter word or a common word opening the sentence ("A fire broke out"): no town
    return True if (m.designated or m.after in LOCAL_SERVICES and m.population >= 1_000) and not m.big_kind else None


# -- the model's labels ----------------------------------------------------------------------------------------------
@_rule("model-place", "label", "the model reads it as a place (GPE, LOC, FAC)")
def _model_place(m: Match, ent: Any, label: str, longer: bool) -> object:
    return True if label in {"GPE", "LOC", "FAC"} else None


@_rule("region-read-as-person", "label", "a region's name of two words is no person (the small model may say so)")
def _region_read_as_person(m: Match, ent: Any, label: str, longer: bool) -> object:
    return OVERRULE if label == "PERSON" and m.big_kind and m.size > 1 and not longer else None


@_rule("county-after-place", "label", "a county or state after a place and a comma is no person "
                                      "(\"Castle Combe Circuit, Wiltshire\")")
def _county_after_place(m: Match, ent: Any, label: str, longer: bool) -> object:
    return OVERRULE if label == "PERSON" and m.big_kind and not longer and m.i > 1 \
        and m.tokens[m.i - 1].text == "," and m.tokens[m.i - 2].text[:1].isupper() else None


@_rule("country-read-as-person", "label", "a country read as a person is the country, unless it is also a given "
                                          "name (\"Azerbaijan's court\"; not \"Chad said\")")
def _country_read_as_person(m: Match, ent: Any, label: str, longer: bool) -> object:
    return OVERRULE if not longer and label == "PERSON" and m.kinds == {"country"} and m.size == 1 \
        and not m.a_person_word and m.first not in GIVEN_NAME_COUNTRIES else None


@_rule("town-after-place-word", "label", "a town of 20,000 or more after a word of place or in a list of places "
                                         "is the town, whatever the model says (\"driving to Swindon\")")
def _town_after_place_word(m: Match, ent: Any, label: str, longer: bool) -> object:
    return OVERRULE if not longer and label in {"PERSON", "ORG", "PRODUCT", "DATE"} \
        and (m.population >= MISREAD_TOWN or m.big_kind) and not m.a_person_word \
        and (after_place_word(m.tokens, m.i) or m.scan._coordinated_with_place(m.tokens, m.i, m.ent_of)) else None


#: A town this big is a place in a list of places of its country, whatever the model says ("near A, B and C").
LISTED_TOWN = 5_000


@_rule("town-in-list-of-places", "label", "a town of 5,000 or more listed with a place of its own country is a place, "
                                          "whatever the model says (\"fighting near Kupiansk, Lyman and Svatove\")")
def _town_in_list_of_places(m: Match, ent: Any, label: str, longer: bool) -> object:
    if longer or label not in {"PERSON", "ORG", "NORP"} or m.population < LISTED_TOWN or m.a_person_word \
            or m.big_kind or not m.scan._coordinated_with_place(m.tokens, m.i, m.ent_of):
        return None
    return OVERRULE if m.scan._countries_listed_before(m.i) & {str(r["country"]) for r in m.rows} else None


@_rule("big-town-misread", "label", "a town of 100,000 or more after a locative, or before a lower-case word after "
                                    "\"the\", is the town (\"on his way to Calgary\", \"the Darwin police\")")
def _big_town_misread(m: Match, ent: Any, label: str, longer: bool) -> object:
    if longer or m.population < 100_000 or m.a_person_word or label not in {"PERSON", "PRODUCT", "DATE", "WORK_OF_ART"}:
        return None
    j = m.i + m.size
    return OVERRULE if m.before in LOCATIVE or m.before == "the" and j < len(m.tokens) \
        and m.tokens[j].text[:1].islower() or label in {"PRODUCT", "DATE"} else None


@_rule("model-not-place", "label", "the model reads it as a person, work, law, event, product or language")
def _model_not_place(m: Match, ent: Any, label: str, longer: bool) -> object:
    return False if label in {"PERSON", "WORK_OF_ART", "LAW", "EVENT", "PRODUCT", "LANGUAGE"} else None


@_rule("acronym-organisation", "label", "an acronym the model reads as an organisation is no town (\"NATO\")")
def _acronym_organisation(m: Match, ent: Any, label: str, longer: bool) -> object:
    return False if label == "ORG" and not longer and m.size == 1 and not m.big_kind and ACRONYM.match(m.first) \
        else None


def _opens_or_closes(m: Match, ent: Any) -> bool:
    heads = ent.start == m.i or ent.start == m.i - 1 and m.tokens[m.i - 1].text.lower() == "the"
    return bool(heads or ent.end == m.i + m.size)


@_rule("big-town-organisation", "label", "a town of 500,000 or more opening or closing an organisation's name is "
                                         "named by it (\"the Dallas Mavericks\")")
def _big_town_organisation(m: Match, ent: Any, label: str, longer: bool) -> object:
    return True if label in {"ORG", "NORP"} and longer and _opens_or_closes(m, ent) and m.population >= 500_000 \
        and not m.big_kind else None


@_rule("place-in-organisation", "label", "a notable place opening or closing an organisation's name is a place in "
                                         "it (\"Ohio State Police\", \"CBC Halifax\")")
def _place_in_organisation(m: Match, ent: Any, label: str, longer: bool) -> object:
    return OVERRULE if label in {"ORG", "NORP"} and longer and _opens_or_closes(m, ent) and m.notable else None


@_rule("inside-organisation", "label", "another name inside an organisation's name is the organisation's")
def _inside_organisation(m: Match, ent: Any, label: str, longer: bool) -> object:
    return False if label in {"ORG", "NORP"} and longer else None


@_rule("currency-country", "label", "a country naming a currency is still the country (\"3 million Canadian "
                                    "dollars\")")
def _currency_country(m: Match, ent: Any, label: str, longer: bool) -> object:
    return OVERRULE if label == "MONEY" and longer and m.kinds == {"country"} else None


@_rule("model-number", "label", "the model reads it as a date, time, number, sum or share")
def _model_number(m: Match, ent: Any, label: str, longer: bool) -> object:
    return False if label in {"DATE", "TIME", "CARDINAL", "ORDINAL", "MONEY", "QUANTITY", "PERCENT"} else None


# -- shape -----------------------------------------------------------------------------------------------------------
@_rule("big-area", "shape", "a country, region, state or sea is a place unless it is a very common word opening "
                            "a sentence")
def _big_area(m: Match) -> bool | None:
    return not (m.sentence_initial and m.zipf > 5.0) if m.big_kind else None


@_rule("sentence-initial-word", "shape", "a common word, or a town under 100,000, opening a sentence is no place")
def _sentence_initial_word(m: Match) -> bool | None:
    return False if m.sentence_initial and (m.zipf >= 4.3 or m.size == 1 and m.population < 100_000) else None


@_rule("common-word", "shape", "a common English word is a town only after a locative (\"near Reading\")")
def _common_word(m: Match) -> bool | None:
    return m.before in LOCATIVE and m.population >= 1_000 if m.zipf >= 4.3 else None


@_rule("end-of-longer-name", "shape", "a common word after a capitalised word ends a longer name, not a town "
                                      "(\"Harbour Seafoods\", \"Mega Mall\")")
def _end_of_longer_name(m: Match) -> bool | None:
    return False if m.size == 1 and m.i > 0 and m.tokens[m.i - 1].text[:1].isupper() \
        and m.tokens[m.i - 1].text.isalpha() and not m.sentence_initial and m.population < 100_000 \
        and m.zipf >= 3.5 else None


#: Capitalised words after a town that keep it the town ("Lyman Monday night", "Kendal Town Council", "Izium Oblast").
_AFTER_A_TOWN = frozenset({"monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday", "january",
                           "february", "march", "april", "may", "june", "july", "august", "september", "october",
                           "november", "december", "oblast", "region", "province", "state", "city", "town",
                           "village", "raion", "governorate", "prefecture", "area", "metro", "council", "mayor",
                           "police", "airport", "station", "port", "harbour", "harbor", "bridge", "dam"})


@_rule("start-of-longer-name", "shape", "a town under 100,000 that the model leaves unlabelled, before another "
                                        "capitalised word, opens a longer name (\"the Belle Vue cafe\")")
def _start_of_longer_name(m: Match) -> bool | None:
    j = m.i + m.size
    if m.size != 1 or m.population >= 100_000 or m.big_kind or m.span_ents or j >= len(m.tokens):
        return None
    nxt = m.tokens[j]
    return False if nxt.text[:1].isupper() and nxt.text.isalpha() and nxt.text not in ADMIN2_WORDS \
        and nxt.text.lower() not in _AFTER_A_TOWN and j not in m.ent_of else None


@_rule("short-name", "shape", "a name of three letters or fewer is no town by the gazetteer alone")
def _short_name(m: Match) -> bool | None:
    return False if m.size == 1 and len(m.text) <= 3 else None


@_rule("town-size", "shape", "any other name is a place if a town of 1,000 or more bears it, or after a locative")
def _town_size(m: Match) -> bool | None:
    return m.population >= 1_000 or m.before in LOCATIVE


def after_place_word(tokens: list[Any], i: int) -> bool:
    """Whether tokens[i] follows a preposition of place ("to Swindon"), not "according to" or "on Monday", or
    a war verb whose object is a place ("shelled Balakliia", "troops entered Izium")."""
    if i == 0 or tokens[i - 1].text.lower() not in _BEFORE_A_PLACE:
        return False
    if i > 1 and tokens[i - 2].text.lower() in {"according", "thanks", "due", "said", "told", "wrote", "went", "up"}:
        return False
    after = tokens[i + 1].text if i + 1 < len(tokens) else ""
    return after not in {"'s", "’s"}
