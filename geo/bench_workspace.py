"""Workspace timings for ``make bench`` (``python -m geo.bench workspace`` alone): adding an article, applying an
edit, and reopening a workspace of 50 articles / about 2,000 events (targets in the issue: edit <= 100 ms,
reopen <= 1 s).

The 50 articles are written here from templates (our own text, no corpus): each reports 40 incidents in 40
different towns on different days, so that the workspace really holds ~2,000 distinct events.
"""

from __future__ import annotations

import datetime as dt
import statistics
import tempfile
import time
from pathlib import Path
from typing import Any

from geo.workspace import WorkspaceFolder, WorkspaceStore

TOWNS = [
    "Kharkiv", "Lviv", "Odesa", "Dnipro", "Zaporizhzhia", "Mykolaiv", "Kherson", "Poltava", "Sumy", "Chernihiv",
    "Vinnytsia", "Zhytomyr", "Rivne", "Lutsk", "Uzhhorod", "Ternopil", "Khmelnytskyi", "Cherkasy", "Kropyvnytskyi",
    "Kramatorsk", "Sloviansk", "Bakhmut", "Pokrovsk", "Izium", "Kupiansk", "Melitopol", "Berdiansk", "Nikopol",
    "Kremenchuk", "Bila Tserkva", "Brovary", "Irpin", "Bucha", "Konotop", "Okhtyrka", "Lozova", "Pavlohrad",
    "Kryvyi Rih", "Enerhodar", "Oleksandriia",
]
INCIDENTS = [
    "Artillery shelled {town} on {day}, killing {n} civilians, officials said.",
    "Police arrested {n} protesters in {town} on {day}.",
    "Hundreds of residents protested in {town} on {day} against the closure of the hospital.",
    "A drone strike hit a fuel depot in {town} on {day}, wounding {n} workers.",
    "Troops clashed with armed groups near {town} on {day}; {n} fighters were killed.",
]


def article_text(i: int, per_article: int = 40) -> str:
    """Article ``i``: ``per_article`` incidents in as many towns, all on day ``i`` (from 1 March 2022): no two
    incidents of the workspace share a town and a day."""
    lines = [f"Regional report number {i + 1}."]
    for k in range(per_article):
        town = TOWNS[k % len(TOWNS)]
        day = dt.date(2022, 3, 1) + dt.timedelta(days=i)
        lines.append(INCIDENTS[(i + k) % len(INCIDENTS)].format(town=town, day=f"{day:%B} {day.day}, 2022",
                                                                n=2 + (i + k) % 9))
    return " ".join(lines)


def workspace_timings(pipeline: Any, articles: int = 50) -> dict[str, float]:
    """Build a workspace of ``articles`` articles through the library, timing each add; then time edits and a
    cold reopen (a new ``WorkspaceStore`` reading its events, places and articles)."""
    with tempfile.TemporaryDirectory() as folder_name:
        folder = WorkspaceFolder(Path(folder_name))
        slug, store = folder.create("Bench")
        adds, analyses = [], []
        for i in range(articles):
            text = article_text(i)
            started = time.perf_counter()
            analysis = pipeline.analyze(pipeline.load(text, published=dt.date(2022, 5, 1), article_id=f"r{i:02d}"))
            analysed = time.perf_counter()
            store.put_analysis(analysis, text, f"r{i:02d}.txt", author="bench")
            adds.append(time.perf_counter() - analysed)
            analyses.append(analysed - started)
        events = store.events()
        edits = []
        for n, event_id in enumerate(events["event_id"].iloc[:50]):
            version = int(events.set_index("event_id").loc[event_id, "version"] or 0)
            started = time.perf_counter()
            store.edit_event(event_id, {"fatalities": n, "actor1": f"Bench actor {n}"}, "bench", base_version=version)
            edits.append(time.perf_counter() - started)
        reopen = []
        for _ in range(5):
            started = time.perf_counter()
            again = WorkspaceStore(store.path)
            frames = again.events(), again.places(), again.articles()
            reopen.append(time.perf_counter() - started)
        size_mb = store.path.stat().st_size / 1e6
    return {
        "articles": articles, "events": len(frames[0]), "places": len(frames[1]), "file_mb": round(size_mb, 1),
        "analyse_article_median_s": statistics.median(analyses),
        "add_article_first_s": adds[0], "add_article_median_s": statistics.median(adds),
        "add_article_50th_s": adds[-1],
        "edit_median_ms": statistics.median(edits) * 1000, "edit_max_ms": max(edits) * 1000,
        "reopen_median_s": statistics.median(reopen), "reopen_max_s": max(reopen),
    }
