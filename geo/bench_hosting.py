"""`make bench`, hosting half: what a team's server and a newcomer's machine see.

* set-up time of a fresh clone (`make setup`, then `make run` to the first map), with cold and warm package caches;
* server memory with the pipeline loaded, and per extra browser session;
* the largest accepted article: time and peak memory in a fresh process;
* throughput of 8 concurrent analyses (Streamlit runs each session's script in its own thread) against 1.

    python -m geo.bench setup          # set-up only (several minutes)
"""

from __future__ import annotations

import datetime as dt
import os
import re
import shutil
import socket
import subprocess
import sys
import tempfile
import time
import urllib.request
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

from geo.bench import CHROMIUM, CHROMIUM_ARGS
from geo.settings import ROOT


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def _rss_mb(pid: int, field: str = "VmRSS") -> float:
    """Resident memory of a process and its children (MB)."""
    total = 0.0
    pids = [pid]
    children = Path(f"/proc/{pid}/task/{pid}/children")
    if children.exists():
        pids += [int(c) for c in children.read_text().split()]
    for p in pids:
        try:
            match = re.search(rf"{field}:\s+(\d+)", Path(f"/proc/{p}/status").read_text())
        except OSError:
            continue
        total += int(match.group(1)) / 1024 if match else 0.0
    return total


def _wait_health(url: str, timeout: float, proc: subprocess.Popen | None = None) -> None:
    started = time.perf_counter()
    while time.perf_counter() - started < timeout:
        if proc is not None and proc.poll() is not None:
            raise RuntimeError(f"the server exited with status {proc.returncode}")
        try:
            with urllib.request.urlopen(f"{url}/_stcore/health", timeout=1):
                return
        except OSError:
            time.sleep(0.05)
    raise RuntimeError(f"no server at {url} after {timeout:.0f} s")


def _first_markers(page, url: str, timeout: float = 120.0) -> float:  # type: ignore[no-untyped-def]
    started = time.perf_counter()
    page.goto(url)
    while time.perf_counter() - started < timeout:
        frames = [f for f in page.frames if "streamlit_folium" in f.url]
        if frames and frames[0].locator(".sm-event, .sm-cluster").count() > 0:
            return time.perf_counter() - started
        page.wait_for_timeout(20)
    raise RuntimeError("no markers drawn")


def _start_server(cwd: Path, port: int) -> subprocess.Popen:
    return subprocess.Popen([sys.executable, "-m", "streamlit", "run", "app.py", "--server.port", str(port),
                             "--server.headless", "true", "--server.address", "127.0.0.1"], cwd=cwd,
                            stdout=subprocess.DEVNULL, stderr=subprocess.STDOUT,
                            env={**os.environ, "PYTHONUNBUFFERED": "1"})


def _stop(proc: subprocess.Popen) -> None:
    proc.terminate()
    try:
        proc.wait(timeout=15)
    except subprocess.TimeoutExpired:
        proc.kill()


def server_memory_and_first_visit(sessions: int = 5) -> dict[str, float]:
    """A server on the sample: first visitor's map after the server is up (warm-up at start), the server's memory
    once warm, and what each further browser session adds."""
    from playwright.sync_api import sync_playwright

    port = _free_port()
    url = f"http://127.0.0.1:{port}"
    started = time.perf_counter()
    proc = _start_server(ROOT, port)
    out: dict[str, float] = {}
    try:
        _wait_health(url, 120, proc)
        out["server_up_s"] = time.perf_counter() - started
        with sync_playwright() as p:
            browser = p.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
            time.sleep(3.0)  # a visitor arriving a few seconds after the start, as after a deploy
            rss_idle = _rss_mb(proc.pid)
            first = browser.new_context(viewport={"width": 1400, "height": 950}).new_page()
            out["first_visitor_map_s"] = _first_markers(first, url)
            out["second_visitor_map_s"] = _first_markers(
                browser.new_context(viewport={"width": 1400, "height": 950}).new_page(), url)
            time.sleep(1.0)
            rss_one = _rss_mb(proc.pid)
            pages = []
            for _ in range(sessions):
                page = browser.new_context(viewport={"width": 1400, "height": 950}).new_page()
                _first_markers(page, url)
                pages.append(page)
            time.sleep(1.0)
            rss_many = _rss_mb(proc.pid)
            browser.close()
        out.update({"server_rss_mb_warm_before_visitors": rss_idle, "server_rss_mb_two_sessions": rss_one,
                    f"server_rss_mb_{sessions + 2}_sessions": rss_many,
                    "server_rss_mb_per_extra_session": (rss_many - rss_one) / sessions})
    finally:
        _stop(proc)
    return out


def longest_article(chars: int | None = None) -> dict[str, float]:
    """The largest article the settings accept, built from varied news-like paragraphs, analysed in a fresh process:
    seconds and peak memory (VmHWM)."""
    code = f"""
import datetime as dt, re, time
from geo.bench_hosting import long_text
from geo.pipeline import Pipeline
p = Pipeline()
limit = {chars!r} or p.settings.max_article_chars
text = long_text(limit - 1000)
t = time.perf_counter()
a = p.analyze(p.load(text, published=dt.date(2022, 4, 19)))
s = time.perf_counter() - t
hwm = int(re.search(r'VmHWM:\\s+(\\d+)', open('/proc/self/status').read()).group(1)) / 1024
print(len(text), s, hwm, len(a.events), len(a.resolutions))
"""
    out = subprocess.run([sys.executable, "-c", code], cwd=ROOT, capture_output=True, text=True, check=True)
    n, seconds, hwm, events, places = out.stdout.strip().splitlines()[-1].split()
    return {"chars": int(n), "seconds": float(seconds), "peak_rss_mb": float(hwm), "events": int(events),
            "mentions_resolved": int(places)}


def long_text(chars: int) -> str:
    """News-like text of about ``chars`` characters: the sample article's paragraphs and our own local-news
    paragraphs in turn, the towns and people varying, so the text is long but not one paragraph repeated."""
    sample = [p for p in (ROOT / "data" / "sample_article.txt").read_text(encoding="utf-8").split("\n\n") if p.strip()]
    parts: list[str] = []
    size, i = 0, 0
    while size < chars:
        part = local_news(i) if i % 3 else sample[(i // 3) % len(sample)]
        parts.append(part)
        size += len(part) + 2
        i += 1
    return "\n\n".join(parts)[:chars]


# Our own small local-news texts: towns that share their names with people and with towns elsewhere, people named
# in full and then by their last name alone, datelines, lists of places, events with dates.
TOWNS = ["Alexandria, Virginia", "Campbell, California", "Paris, Texas", "Lincoln, Nebraska", "Jackson, Mississippi",
         "Springfield, Illinois", "Kharkiv", "Mariupol", "Odesa", "Lyon", "Manchester", "Austin, Texas",
         "Florence, Alabama", "Columbus, Ohio", "Aleppo", "Mosul", "Kherson", "Dnipro", "Bristol", "Hamilton, Ontario"]
PEOPLE = ["Jordan Campbell", "Chelsea Lincoln", "Austin Jackson", "Florence Hamilton", "Victoria Paris",
          "Sydney Bristol", "Dallas Columbus", "Georgia Alexandria"]
EVENTS = ["Shelling hit {town} on Monday, killing two people.", "Hundreds of residents protested in {town} on Saturday.",
          "Police in {town} arrested three men after a riot on Friday night.",
          "A car bomb exploded near the market in {town} on Tuesday.",
          "Fighting continued near {town} and {other} last week.", "Troops withdrew from {town} on Sunday."]


def local_news(i: int) -> str:
    town, other = TOWNS[i % len(TOWNS)], TOWNS[(i * 7 + 3) % len(TOWNS)]
    person = PEOPLE[i % len(PEOPLE)]
    last = person.split()[1]
    dateline = town.split(",")[0].upper()
    sentences = [f"{dateline} (AP) — {person}, the mayor, spoke on Wednesday."]
    for k in range(1 + i % 4):
        sentences.append(EVENTS[(i + k) % len(EVENTS)].format(town=town if k % 2 == 0 else other, other=other))
    sentences.append(f"{last} said the city of {other.split(',')[0]} would send help.")
    if i % 3 == 0:
        sentences.append(f"{last} visited {TOWNS[(i + 5) % len(TOWNS)]} and {TOWNS[(i + 11) % len(TOWNS)]} in May.")
    return " ".join(sentences)



def concurrent_throughput(pipeline, texts: list[str], threads: int = 8) -> dict[str, float]:  # type: ignore[no-untyped-def]
    """Analyses per second from one thread and from ``threads`` threads sharing one pipeline."""
    def run(text: str) -> int:
        return len(pipeline.analyze(pipeline.load(text, published=dt.date(2022, 4, 19))).events)

    for t in texts[:4]:
        run(t)
    t0 = time.perf_counter()
    for t in texts:
        run(t)
    one = time.perf_counter() - t0
    t0 = time.perf_counter()
    with ThreadPoolExecutor(threads) as pool:
        list(pool.map(run, texts))
    many = time.perf_counter() - t0
    return {"texts": len(texts), "analyses_per_s_1_thread": len(texts) / one,
            f"analyses_per_s_{threads}_threads": len(texts) / many, "ratio": one / many}


def setup_time(cold: bool) -> dict[str, float]:
    """A fresh clone of this commit: `make setup` and then `make run` up to the first markers in Chromium.
    ``cold``: empty pip, uv and npm caches (as on a new machine); warm: the caches a first run left."""
    base = Path(tempfile.gettempdir()) / "sitmap-setup-bench"
    caches = base / "caches"
    if cold:
        shutil.rmtree(base, ignore_errors=True)
    clone = base / "clone"
    shutil.rmtree(clone, ignore_errors=True)
    base.mkdir(parents=True, exist_ok=True)
    env = {**os.environ, "PIP_CACHE_DIR": str(caches / "pip"), "UV_CACHE_DIR": str(caches / "uv"),
           "npm_config_cache": str(caches / "npm"), "PYTHONUNBUFFERED": "1"}
    env.pop("VIRTUAL_ENV", None)
    subprocess.run(["git", "clone", "-q", str(ROOT), str(clone)], check=True)
    t0 = time.perf_counter()
    subprocess.run(["make", "setup"], cwd=clone, env=env, check=True, stdout=subprocess.DEVNULL)
    setup_s = time.perf_counter() - t0
    port = _free_port()
    proc = subprocess.Popen(["make", "run", f"PORT={port}"], cwd=clone, env=env, stdout=subprocess.DEVNULL,
                            stderr=subprocess.STDOUT, start_new_session=True)
    try:
        _wait_health(f"http://127.0.0.1:{port}", 120, proc)
        from playwright.sync_api import sync_playwright

        with sync_playwright() as p:
            browser = p.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
            _first_markers(browser.new_page(), f"http://127.0.0.1:{port}")
            browser.close()
        total = time.perf_counter() - t0
    finally:
        os.killpg(proc.pid, 15)
        proc.wait(timeout=15)
    return {"make_setup_s": setup_s, "make_setup_then_run_to_first_map_s": total}
