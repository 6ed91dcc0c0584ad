"""One ``Pipeline`` shared by many threads (as the app shares it between users) gives each caller exactly what a
sequential run gives: no per-document state leaks between concurrent analyses."""

from __future__ import annotations

import itertools
import threading
from concurrent.futures import ThreadPoolExecutor

import pytest
from geopy import exc as geopy_exc

from geo.bench_hosting import local_news
from geo.resolve import CircuitBreaker, GeocoderChain, recording_failures
from tests.conftest import SAMPLE_DATE

TEXTS = [local_news(i) for i in range(48)]


@pytest.mark.slow
def test_one_pipeline_from_eight_threads_gives_the_sequential_answers(pipeline):
    assert len(set(TEXTS)) >= 40

    def run(text: str):
        a = pipeline.analyze(pipeline.load(text, published=SAMPLE_DATE, article_id="t"))
        return a.mentions, a.resolutions, a.timexes, a.events, a.warnings

    sequential = [run(t) for t in TEXTS]
    assert sum(len(s[3]) for s in sequential) > 50  # the texts make events, so moved or lost events would show
    for round_ in range(3):
        order = list(range(len(TEXTS)))[round_::1] + list(range(round_))  # a different interleaving each round
        with ThreadPoolExecutor(max_workers=8) as pool:
            concurrent = dict(zip(order, pool.map(run, (TEXTS[i] for i in order)), strict=True))
        differing = [i for i in order if concurrent[i] != sequential[i]]
        assert not differing, f"round {round_}: {len(differing)} analyses differ, first: {TEXTS[differing[0]]!r}"


class _Down:
    """An online provider that is down: every call fails after a delay."""

    def __init__(self, delay: float = 0.0) -> None:
        self.calls = 0
        self.delay = delay
        self._lock = threading.Lock()

    def __call__(self, query: str, **kwargs: object):
        with self._lock:
            self.calls += 1
        threading.Event().wait(self.delay)
        raise geopy_exc.GeocoderUnavailable(f"no answer for {query}")


def test_failures_are_reported_to_the_analysis_that_met_them_only():
    down = _Down(delay=0.05)
    chain = GeocoderChain([("offline", lambda q, **k: None), ("down", down)])
    barrier = threading.Barrier(4)
    seen: dict[int, list[str]] = {}

    def user(n: int) -> None:
        barrier.wait()
        with recording_failures() as failures:
            for k in range(3):
                chain.geocode(f"user{n}-name{k}")
        seen[n] = [f.query for f in failures]

    threads = [threading.Thread(target=user, args=(n,)) for n in range(4)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    for n in range(4):
        assert seen[n] == [f"user{n}-name{k}" for k in range(3)]
    with recording_failures() as outer:  # nested recordings both see a failure; nothing outside any does
        with recording_failures() as inner:
            chain.geocode("nested")
    assert [f.query for f in inner] == [f.query for f in outer] == ["nested"]
    assert not hasattr(chain, "failures")


def test_a_provider_that_keeps_failing_is_skipped_for_a_while():
    now = itertools.count()
    clock = lambda: float(next(now))  # noqa: E731 - one tick per reading
    down = _Down()
    breaker = CircuitBreaker(down, "down", threshold=3, cooldown=100.0, clock=clock)
    for _ in range(3):
        with pytest.raises(geopy_exc.GeocoderUnavailable):
            breaker("somewhere")
    assert down.calls == 3
    with pytest.raises(geopy_exc.GeocoderUnavailable, match="skipped"):
        breaker("elsewhere")  # open: the provider is not asked, no one waits for its timeout
    assert down.calls == 3
    for _ in range(200):  # the clock moves past the cool-down: it is tried again
        clock()
    with pytest.raises(geopy_exc.GeocoderUnavailable, match="no answer"):
        breaker("again")
    assert down.calls == 4
