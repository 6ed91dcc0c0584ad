import datetime as dt

from tests.conftest import analyze_text


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
