import datetime as dt

import pytest

from geo.model import TimePrecision
from geo.timex import TimeTagger, describe_value

DCT = dt.date(2022, 4, 19)  # a Tuesday


def _tag(text, dct=DCT, zone=None):
    return TimeTagger(zone).tag_text(text, dct)


def test_sample_time_expressions(sample):
    by_text = {}
    for t in sample.timexes:
        by_text.setdefault(t.text, t)
    assert by_text["Tuesday"].value == "2022-04-19"  # the publication day itself, not the week before
    assert by_text["Monday"].value == "2022-04-18"
    assert by_text["Monday night"].interval_start.date() == dt.date(2022, 4, 18)
    last_week = by_text["last week"]
    assert last_week.value == "2022-W15" and last_week.precision is TimePrecision.WEEK
    assert (last_week.interval_start, last_week.interval_end) == (dt.datetime(2022, 4, 11), dt.datetime(2022, 4, 18))
    ago = by_text["more than 50 days ago"]
    assert ago.bound == "before" and ago.interval_start is None and ago.interval_end == dt.datetime(2022, 3, 1)
    assert by_text["weeks"].type == "DURATION" and by_text["weeks"].interval_start is None
    noon, edt = by_text["noon local time"], by_text["5 a.m. EDT"]
    assert noon.interval_start == edt.interval_start == dt.datetime(2022, 4, 19, 9, 0)  # both 09:00 UTC


def test_no_false_dates_from_ordinals_pronouns_or_units(sample):
    texts = {t.text.lower() for t in sample.timexes}
    assert not texts & {"the 36th", "36th", "we", "a", "one"}
    assert not _tag("The 36th Marine Brigade and 20,000 residents; we said a few words.")


@pytest.mark.parametrize("text,value,precision", [
    ("on Friday", "2022-04-15", TimePrecision.DAY),
    ("next Friday", "2022-04-22", TimePrecision.DAY),
    ("The summit will be held on Friday", "2022-04-22", TimePrecision.DAY),
    ("yesterday", "2022-04-18", TimePrecision.DAY),
    ("last month", "2022-03", TimePrecision.MONTH),
    ("in March", "2022-03", TimePrecision.MONTH),
    ("in 2019", "2019", TimePrecision.YEAR),
    ("March 2, 2021", "2021-03-02", TimePrecision.DAY),
    ("2 March 2021", "2021-03-02", TimePrecision.DAY),
    ("in December", "2021-12", TimePrecision.MONTH),
    ("three weeks ago", "2022-W13", TimePrecision.WEEK),
    # the tense cue nearest the expression picks the year of a month or day named without one
    ("He stepped down in November for health reasons", "2021-11", TimePrecision.MONTH),
    ("The bonus will be issued Nov. 30", "2022-11-30", TimePrecision.DAY),
    ("The plan was announced Aug. 21, and officials say it will work", "2021-08-21", TimePrecision.DAY),
    ("The lease had been set to end Thursday evening", "2022-04-14TEV", TimePrecision.HOUR),
    ("complete the deal by Jan. 5", "2023-01-05", TimePrecision.DAY),
    ("a deadline on May 2", "2022-05-02", TimePrecision.DAY),  # near the publication day: this year's
    ("a recital on Sunday, May 1", "2022-05-01", TimePrecision.DAY),  # the year whose May 1 is a Sunday
    ("officials said over the weekend", "2022-W15-WE", TimePrecision.WEEK),
    ("positions squared ahead of the weekend", "2022-W16-WE", TimePrecision.WEEK),
    ("demand well into the summer", "2021-SU", TimePrecision.MONTH),
    ("this past winter", "2021-WI", TimePrecision.MONTH),
    ("a boycott that began last spring", "2021-SP", TimePrecision.MONTH),
    ("sales for the full year", "2022", TimePrecision.YEAR),
    ("in the near future", "FUTURE_REF", None),
])
def test_rules(text, value, precision):
    (t,) = _tag(text)
    assert (t.value, t.precision) == (value, precision)


def test_adverbs_that_date_nothing_are_not_tagged():
    assert not _tag("She previously ran a bakery; formerly a teacher.")
    assert not _tag("The future looks bright")  # a noun phrase, not "in the future"


def test_ranges_durations_sets():
    (r,) = _tag("from March 2 to 5")
    assert r.value == "2022-03-02/2022-03-05" and r.interval_end == dt.datetime(2022, 3, 6)
    (d,) = _tag("for three days")
    assert (d.type, d.value) == ("DURATION", "P3D")
    (s,) = _tag("every Monday")
    assert s.type == "SET"


def test_time_zone_of_local_time():
    (t,) = _tag("at noon local time", zone="Europe/Kyiv")
    assert t.interval_start == dt.datetime(2022, 4, 19, 9, 0)


@pytest.mark.parametrize("text,dct,value", [
    ("third-quarter profit rose", dt.date(1989, 11, 2), "1989-Q3"),
    ("the fourth quarter of 1988", dt.date(1989, 11, 2), "1988-Q4"),
    ("in fiscal 1990", dt.date(1989, 11, 2), "1990"),
    ("nineteen ninety-six", dt.date(1998, 1, 1), "1996"),
    ("the 20th century", dt.date(1998, 1, 1), "19"),
    ("sales in 1987 were flat", dt.date(1989, 11, 2), "1987"),
])
def test_financial_and_written_out_dates(text, dct, value):
    values = [t.value for t in _tag(text, dct)]
    assert value in values


def test_month_without_year_follows_the_tense():
    assert [t.value for t in _tag("The dividend is payable Dec. 15.", dt.date(1989, 11, 2))] == ["1989-12-15"]
    assert [t.value for t in _tag("Sales rose in March.", dt.date(1989, 11, 2))] == ["1989-03"]


def test_year_earlier_takes_the_quarter_it_follows():
    from geo.ingest import load_article

    article = load_article("Profit rose in the third quarter. A year earlier, it fell.", published=dt.date(1989, 11, 2))
    values = [t.value for t in TimeTagger().tag(article)]
    assert values == ["1989-Q3", "1988-Q3"]


def test_company_names_are_not_weekdays():
    assert not _tag("Sun Microsystems and Wed Corp. said so.")


def test_future_weekday_on_its_own_day_is_the_publication_day():
    from geo.timex import TimeTagger

    saturday = dt.date(2023, 7, 15)
    tag = TimeTagger().tag_text
    (evening,) = tag("Ferry crossings are expected to restart by Saturday evening.", saturday)
    assert evening.interval_start == dt.datetime(2023, 7, 15, 18)
    (same,) = tag("The bridge will reopen on Saturday, officials said.", saturday)
    assert same.interval_start.date() == saturday
    (week_on,) = tag("The summit will open next Saturday.", saturday)
    assert week_on.interval_start.date() == dt.date(2023, 7, 22)
    (monday,) = tag("The talks will resume Monday.", saturday)
    assert monday.interval_start.date() == dt.date(2023, 7, 17)


@pytest.mark.parametrize(("value", "kind", "words"), [
    ("2021-07-04", "DATE", "4 Jul 2021"),
    ("2021-07", "DATE", "July 2021"),
    ("2021", "DATE", "2021"),
    ("2021-W05", "DATE", "week 5 of 2021"),
    ("2021-Q3", "DATE", "third quarter of 2021"),
    ("2021-SU", "DATE", "summer 2021"),
    ("2021-07-04TEV", "DATE", "4 Jul 2021, evening"),
    ("2021-07-04T06:45", "TIME", "4 Jul 2021, 06:45"),
    ("199", "DATE", "the 1990s"),
    ("PRESENT_REF", "DATE", "now"),
    ("P3D", "DURATION", "3 days"),
    ("P1W", "DURATION", "1 week"),
    ("PT5H", "DURATION", "5 hours"),
    ("PT30M", "DURATION", "30 minutes"),
    ("PXM", "DURATION", "some months"),
    ("P1W", "SET", "every week"),
    ("XXXX-WXX-3", "SET", "every Wednesday"),
    ("TNI", "SET", "every night"),
    ("2021-13", "DATE", "2021-13"),
    ("something else", "DATE", "something else"),
])
def test_describe_value_in_words(value, kind, words):
    assert describe_value(value, kind) == words


def test_days_counted_from_the_day_the_story_is_at_not_from_the_publication():
    from geo.model import Article, Sentence

    text = ("The ferry sank off the cape on March 3. Divers found the wreck two days later. "
            "The captain had left port the day before. A week later, the inquiry opened. "
            "Crews had searched the bay the previous night. Talks are set two days before the vote.")
    sentences, at = [], 0
    for i, part in enumerate(text.split(". ")):
        part = part if part.endswith(".") else part + "."
        sentences.append(Sentence(index=i, start=at, end=at + len(part), text=part, paragraph=0))
        at += len(part) + 1
    tagged = {t.text: t for t in TimeTagger().tag(Article(article_id="a", text=text, sentences=sentences,
                                                          published=dt.date(2021, 3, 9)))}
    assert tagged["two days later"].value == "2021-03-05"
    assert tagged["the day before"].value == "2021-03-04"  # before the day the story had reached
    assert tagged["A week later"].value == "2021-03-11"
    assert tagged["the previous night"].value == "2021-03-10TNI"
    assert "two days before" not in tagged  # counted from the vote, which has no date here
    # in its own sentence, the day named there is the anchor
    assert [t.value for t in _tag("On Friday, police said the shop had been robbed the day before.")] == \
        ["2022-04-15", "2022-04-14"]
