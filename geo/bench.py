"""`make bench`: speed and memory of the pipeline, the gazetteer, the map and the server (printed as a table).

    python -m geo.bench [--geo-corpus ../shared/eval/geo/geowebnews.jsonl] [--no-browser] [--no-setup]
    python -m geo.bench setup      # only the fresh-clone set-up timings (geo/bench_hosting.py)
    python -m geo.bench workspace  # only the workspace timings: add, edit, reopen 50 articles (geo/bench_workspace.py)
    python -m geo.bench ui         # only the interaction timings in the browser: brush, presentation step
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import os
import resource
import statistics
import subprocess
import sys
import time
from pathlib import Path

import numpy as np
import pandas as pd

from geo.evaluate import parse_date, read_jsonl
from geo.settings import ROOT

#: Debian's chromium, headless, with nothing that phones home (the browser tests use these too).
CHROMIUM = "/usr/bin/chromium"
CHROMIUM_ARGS = ["--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update",
                 "--disable-sync", "--no-first-run", "--disable-quic"]
DEFAULT_CORPUS = ROOT.parent / "shared" / "eval" / "geo" / "geowebnews.jsonl"


def _subprocess_seconds(code: str) -> float:
    out = subprocess.run([sys.executable, "-c", code], cwd=ROOT, capture_output=True, text=True, check=True)
    return float(out.stdout.strip().splitlines()[-1])


def gazetteer_cold_load() -> float:
    """A fresh process: import, open the index and answer one lookup."""
    return _subprocess_seconds(
        "import time; t=time.perf_counter(); from geo.gazetteer import OfflineGazetteer; "
        "g=OfflineGazetteer(); g.geocode('Mariupol'); print(time.perf_counter()-t)")


def pipeline_on_sample(pipeline) -> dict[str, float]:  # type: ignore[no-untyped-def]
    text = (ROOT / "data" / "sample_article.txt").read_text(encoding="utf-8")
    article = pipeline.load(text, published=dt.date(2022, 4, 19))
    t0 = time.perf_counter()
    pipeline.analyze(article)
    cold = time.perf_counter() - t0
    warm = []
    for _ in range(15):
        t0 = time.perf_counter()
        analysis = pipeline.analyze(article)
        warm.append(time.perf_counter() - t0)
    words = len(text.split())
    return {"cold_s": cold, "warm_median_s": statistics.median(warm), "warm_words_per_s": words / statistics.median(warm),
            "events": len(analysis.events)}


_WORKER_PIPELINE = None  # the parent's pipeline, inherited by forked workers


def _run_chunk(chunk: list[tuple[str, str | None]], full: bool) -> int:
    pipeline = _WORKER_PIPELINE
    articles = [pipeline.load(text, published=parse_date(dct)) for text, dct in chunk]  # type: ignore[union-attr]
    run = pipeline.analyze_many if full else pipeline.geoparse_many  # type: ignore[union-attr]
    return sum(1 for _ in run(articles))


def _geoparse_chunk(chunk: list[tuple[str, str | None]]) -> int:
    return _run_chunk(chunk, full=False)


def _analyze_chunk(chunk: list[tuple[str, str | None]]) -> int:
    return _run_chunk(chunk, full=True)


def corpus_throughput(pipeline, corpus: Path) -> dict[str, float]:  # type: ignore[no-untyped-def]
    """The geoparse (recognition + resolution) and the full analysis (also dates and events) against spaCy's
    NER alone (tok2vec + ner), same texts, same run: in one process (``nlp.pipe`` / ``Pipeline.geoparse_many`` /
    ``Pipeline.analyze_many``, batches of 32), and in two (``nlp.pipe(n_process=2)`` / two forked workers,
    their start counted)."""
    import multiprocessing

    global _WORKER_PIPELINE
    docs = read_jsonl(corpus)
    texts = [d["text"] for d in docs]
    words = sum(len(t.split()) for t in texts)
    nlp = pipeline.nlp
    for _ in nlp.pipe(texts[:8]):  # warm up
        pass
    seconds: dict[str, float] = {}
    t0 = time.perf_counter()
    for _ in nlp.pipe(texts, batch_size=32):
        pass
    seconds["ner"] = time.perf_counter() - t0
    articles = [pipeline.load(d["text"], published=parse_date(d.get("dct"))) for d in docs]
    t0 = time.perf_counter()
    for _ in pipeline.geoparse_many(articles):
        pass
    seconds["geoparse"] = time.perf_counter() - t0
    t0 = time.perf_counter()
    per_doc = []
    s = time.perf_counter()
    for _ in pipeline.analyze_many(articles):
        per_doc.append(time.perf_counter() - s)
        s = time.perf_counter()
    seconds["full"] = time.perf_counter() - t0
    t0 = time.perf_counter()
    for _ in nlp.pipe(texts, batch_size=32, n_process=2):
        pass
    seconds["ner_2proc"] = time.perf_counter() - t0
    _WORKER_PIPELINE = pipeline
    chunks = [[(d["text"], d.get("dct")) for d in docs[i: i + 10]] for i in range(0, len(docs), 10)]
    for name, work in (("geoparse_2proc", _geoparse_chunk), ("full_2proc", _analyze_chunk)):
        t0 = time.perf_counter()  # like nlp.pipe(n_process=2), the workers' start is counted
        with multiprocessing.get_context("fork").Pool(2) as pool:
            assert sum(pool.map(work, chunks, chunksize=1)) == len(docs)
        seconds[name] = time.perf_counter() - t0
    out: dict[str, float] = {"docs": len(docs), "words": words}
    out.update({f"{k}_words_per_s": words / v for k, v in seconds.items()})
    out.update({"ratio_geoparse_to_ner": seconds["ner"] / seconds["geoparse"],
                "ratio_full_to_ner": seconds["ner"] / seconds["full"],
                "ratio_geoparse_to_ner_2proc": seconds["ner_2proc"] / seconds["geoparse_2proc"],
                "ratio_full_to_ner_2proc": seconds["ner_2proc"] / seconds["full_2proc"],
                "per_article_median_s": statistics.median(per_doc)})
    return out


def gazetteer_memory_mb(names: list[str]) -> float:
    """Peak RSS (MB) of a fresh process that opens the gazetteer and looks up these names."""
    # VmHWM, not ru_maxrss: Linux carries ru_maxrss over exec from the (large) parent.
    code = ("import sys,json,re; from geo.gazetteer import OfflineGazetteer; g=OfflineGazetteer(); "
            "[g.candidates(n) for n in json.load(sys.stdin)]; "
            "print(int(re.search(r'VmHWM:\\s+(\\d+)', open('/proc/self/status').read()).group(1))/1024)")
    out = subprocess.run([sys.executable, "-c", code], cwd=ROOT, input=json.dumps(names), capture_output=True,
                         text=True, check=True)
    return float(out.stdout.strip().splitlines()[-1])


def synthetic_events(sample_events: pd.DataFrame, n: int) -> pd.DataFrame:
    """n events shaped like the sample's, spread over Ukraine and 60 days (for map scaling)."""
    import geopandas as gpd
    from shapely.geometry import Point

    rng = np.random.default_rng(7)
    rows = sample_events.sample(n, replace=True, random_state=7).reset_index(drop=True)
    rows["event_id"] = [f"bench-e{i:05d}" for i in range(n)]
    days = rng.integers(0, 60, n)
    rows["date_start"] = pd.Timestamp("2022-03-01") + pd.to_timedelta(days, unit="D")
    rows["date_end"] = rows["date_start"] + pd.Timedelta(days=1)
    geometry = [Point(rng.uniform(23, 40), rng.uniform(45, 52)) for _ in range(n)]
    return gpd.GeoDataFrame(rows.drop(columns="geometry"), geometry=geometry, crs="EPSG:4326")


def map_scaling(pipeline, analysis) -> dict[str, float]:  # type: ignore[no-untyped-def]
    """Server-side cost in the app: once per article (prepare the layers and the event store) and per
    slider move (rebuild the map from cached layers, the events layer of visible ids, render, and
    streamlit-folium's own string building and hashing)."""
    from streamlit_folium import _get_feature_group_string, _get_map_string, generate_js_hash

    from geo.mapview import build_base_map, events_layer, prepare_base_layers

    out = {}
    for n in (len(analysis.events_gdf), 5000):
        events = analysis.events_gdf if n == len(analysis.events_gdf) else synthetic_events(analysis.events_gdf, n)
        t0 = time.perf_counter()
        layers = prepare_base_layers(analysis.places, events, pipeline.gazetteer, pipeline.settings)
        out[f"article_{n}_events_prepare_s"] = time.perf_counter() - t0
        runs = []
        for _ in range(3):
            t0 = time.perf_counter()
            m = build_base_map(layers, pipeline.settings)
            visible = events.iloc[: len(events) // 2]
            m.get_root().render()
            leaflet = _get_map_string(m)
            generate_js_hash(leaflet, "sm_map", False)
            _get_feature_group_string(events_layer(visible), m)
            runs.append(time.perf_counter() - t0)
        out[f"slider_move_{n}_events_server_s"] = statistics.median(runs)
    return out


def browser_first_map() -> dict[str, float]:
    """`streamlit run` to the first markers drawn in headless Chromium (includes server start)."""
    from playwright.sync_api import sync_playwright

    from geo.bench_hosting import _first_markers, _free_port, _start_server, _stop, _wait_health

    port = _free_port()
    url = f"http://127.0.0.1:{port}"
    with sync_playwright() as p:
        # The user's browser is already open; the clock starts at `streamlit run`.
        browser = p.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        page = browser.new_page(viewport={"width": 1500, "height": 1000})
        started = time.perf_counter()
        proc = _start_server(ROOT, port)
        try:
            _wait_health(url, 120, proc)
            server_up = time.perf_counter() - started
            _first_markers(page, url)
            first_map = time.perf_counter() - started
        finally:
            browser.close()
            _stop(proc)
    return {"server_up_s": server_up, "first_map_after_streamlit_run_s": first_map}


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m geo.bench")
    parser.add_argument("--geo-corpus", type=Path, default=DEFAULT_CORPUS)
    parser.add_argument("--no-browser", action="store_true")
    parser.add_argument("--no-setup", action="store_true", help="skip the fresh-clone set-up timings (minutes)")
    parser.add_argument("part", nargs="?", choices=["all", "setup", "workspace", "ui"], default="all")
    args = parser.parse_args(argv)
    from geo import bench_hosting as hosting
    from geo.pipeline import Pipeline

    if args.part == "setup":
        results_setup = {"cold": hosting.setup_time(cold=True), "warm": hosting.setup_time(cold=False)}
        _print(results_setup, "setup.")
        return 0

    if args.part == "ui":
        from geo.bench_ui import ui_timings

        _print({"ui": ui_timings()})
        return 0

    if args.part == "workspace":
        from geo.bench_workspace import workspace_timings

        _print({"workspace": workspace_timings(Pipeline())})
        return 0

    results: dict[str, object] = {"gazetteer_cold_load_s": gazetteer_cold_load()}
    t0 = time.perf_counter()
    pipeline = Pipeline()
    results["pipeline_resources_load_s"] = time.perf_counter() - t0
    results["spacy_load_s"] = pipeline.load_seconds["spacy"]
    results["sample"] = pipeline_on_sample(pipeline)
    text = (ROOT / "data" / "sample_article.txt").read_text(encoding="utf-8")
    analysis = pipeline.analyze(pipeline.load(text, published=dt.date(2022, 4, 19)))
    results["map"] = map_scaling(pipeline, analysis)
    if args.geo_corpus.exists():
        results["corpus"] = {"file": str(args.geo_corpus.name), **corpus_throughput(pipeline, args.geo_corpus)}
        names = sorted({t["name"] for doc in read_jsonl(args.geo_corpus) for t in doc["toponyms"]})
        results["gazetteer_memory_mb_after_corpus_lookups"] = gazetteer_memory_mb(names)
    else:
        results["corpus"] = f"skipped: {args.geo_corpus} not found"
    results["peak_rss_mb_whole_bench"] = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    results["concurrency"] = hosting.concurrent_throughput(pipeline, [hosting.local_news(i) for i in range(48)])
    results["longest_article"] = hosting.longest_article()
    from geo.bench_workspace import workspace_timings

    results["workspace"] = workspace_timings(pipeline)
    if not args.no_browser and Path(CHROMIUM).exists():
        results["browser"] = browser_first_map()
        from geo.bench_ui import ui_timings

        results["ui"] = ui_timings()
        results["server"] = hosting.server_memory_and_first_visit()
    if not args.no_setup:
        results["setup"] = {"cold": hosting.setup_time(cold=True), "warm": hosting.setup_time(cold=False)}
    timings = ROOT / "build" / "browser-timings.json"
    if timings.exists():
        results["browser_test_timings"] = json.loads(timings.read_text())
    results["commit"] = subprocess.run(["git", "rev-parse", "--short", "HEAD"], cwd=ROOT, capture_output=True,
                                       text=True).stdout.strip()
    _print(results)
    (ROOT / "build").mkdir(exist_ok=True)
    (ROOT / "build" / "bench.json").write_text(json.dumps(results, indent=1, default=str))
    return 0


def _print(results: dict[str, object], prefix: str = "") -> None:
    for key, value in results.items():
        if isinstance(value, dict):
            _print(value, f"{prefix}{key}.")
        elif isinstance(value, float):
            print(f"{prefix + key:<48} {value:,.3f}")
        else:
            print(f"{prefix + key:<48} {value}")


if __name__ == "__main__":
    os.environ.setdefault("PYTHONUNBUFFERED", "1")
    sys.exit(main())
