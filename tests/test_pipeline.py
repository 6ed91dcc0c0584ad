import datetime as dt

from tests.conftest import SAMPLE_DATE, analyze_text


def test_article_in_another_language_gets_a_warning(pipeline):
    text = ("Las fuerzas rusas bombardearon la ciudad de Járkov el lunes, según dijeron las autoridades locales. "
            "Los residentes huyeron hacia el oeste del país mientras continuaban los combates en la región.")
    analysis = analyze_text(pipeline, text)
    assert any("does not look like English" in w for w in analysis.warnings)


def test_future_publication_date_is_flagged_but_used(pipeline):
    future = dt.date.today() + dt.timedelta(days=400)
    analysis = analyze_text(pipeline, "Shelling hit Kharkiv on Monday, officials said.", published=future)
    assert any("in the future" in w for w in analysis.warnings)
    assert analysis.events and analysis.events[0].date_start.date() <= future


def test_missing_publication_date_is_flagged(pipeline):
    analysis = pipeline.analyze(pipeline.load("Shelling hit Kharkiv on Monday, officials said."))
    assert any("No publication date" in w for w in analysis.warnings)


def test_warm_pipeline_times_are_reported(sample):
    assert set(sample.timings) >= {"nlp", "mentions", "resolution", "time", "events"}


def test_times_the_timeline_cannot_hold_are_not_dated_and_do_not_crash(pipeline):
    for published in (SAMPLE_DATE, dt.date(1800, 1, 1), dt.date(2200, 12, 31)):
        for text in ("Troops shelled Dnipro 2000 years ago, historians said.",
                     "Five centuries ago soldiers burned Kyiv. In 2500 a siege of Lviv is planned, officials said.",
                     "Soldiers will shell Odesa in 300 years, officials said."):
            analysis = analyze_text(pipeline, text, published=published)
            frame = analysis.events_gdf  # builds the timestamps: must not overflow
            assert all(t.value not in {"", None} for t in analysis.timexes)
            assert len(frame) == len(analysis.events)


def test_long_text_is_parsed_in_pieces_that_join_to_the_same_characters(pipeline):
    from geo.bench_hosting import long_text
    from geo.nlp import parse, text_pieces

    text = long_text(60_000)
    pieces = text_pieces(text, 20_000)
    assert len(pieces) >= 3 and "".join(pieces) == text and all(len(p) <= 20_000 for p in pieces)
    assert all(p.endswith("\n\n") for p in pieces[:-1])  # cut at paragraph breaks
    whole, chunked = pipeline.nlp(text), parse(pipeline.nlp, text, 20_000)
    assert chunked.text == text
    # Entities near the cuts may differ a little (each piece is read alone); their offsets are the text's own.
    assert all(text[e.start_char:e.end_char] == e.text for e in chunked.ents)
    same = {(e.start_char, e.label_) for e in whole.ents} & {(e.start_char, e.label_) for e in chunked.ents}
    assert len(same) >= 0.95 * len(whole.ents)
