"""Shared fixtures: one pipeline and the sample article's analysis for the whole session."""

from __future__ import annotations

import datetime as dt
import json
import math
import os
from pathlib import Path

import pytest

from geo.pipeline import Analysis, Pipeline

ROOT = Path(__file__).resolve().parent.parent
SAMPLE = ROOT / "data" / "sample_article.txt"
SAMPLE_DATE = dt.date(2022, 4, 19)


def km(lat1: float, lon1: float, lat2: float, lon2: float) -> float:
    p1, p2 = math.radians(lat1), math.radians(lat2)
    a = math.sin((p2 - p1) / 2) ** 2 + math.cos(p1) * math.cos(p2) * math.sin(math.radians(lon2 - lon1) / 2) ** 2
    return 2 * 6371.0 * math.asin(math.sqrt(a))


@pytest.fixture(scope="session", autouse=True)
def workspaces_folder(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The app's workspaces (GeoPackages) go to a fresh folder for the test run, never the user's."""
    folder = tmp_path_factory.mktemp("workspaces")
    os.environ["SITMAP_WORKSPACES"] = str(folder)
    return folder


@pytest.fixture(scope="session")
def pipeline() -> Pipeline:
    return Pipeline()


@pytest.fixture(scope="session")
def sample(pipeline: Pipeline) -> Analysis:
    meta = json.loads((ROOT / "data" / "sample_article.json").read_text())
    article = pipeline.load(SAMPLE.read_text(encoding="utf-8"), published=SAMPLE_DATE, article_id=meta["article_id"])
    return pipeline.analyze(article)


def analyze_text(pipeline: Pipeline, text: str, published: dt.date = SAMPLE_DATE) -> Analysis:
    return pipeline.analyze(pipeline.load(text, published=published))
