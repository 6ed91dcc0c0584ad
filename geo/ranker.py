"""Ranking a name's gazetteer candidates: one named feature vector per candidate, one weight table.

The resolver describes each candidate of a name by the features below (``FEATURES``) and scores it with
the weights of ``data/ranker.json``: a linear score, the highest wins, and the margin over the runner-up
gives the confidence. The weights are fitted, not hand-set (as Mordecai's ranker is fitted):

    python -m geo.ranker fit      # needs scipy (requirements-dev.txt); writes data/ranker.json

reads the *study* halves of the shared geoparsing corpora (``geo.evaluate.split_of``), lets the resolver
describe every candidate of every recognised name that overlaps a gold toponym, labels a candidate right when
it lies within 161 km of the gold point, and fits a conditional logit (``fit``): a softmax over each name's
candidates, so that ``sigmoid(score(a) - score(b))`` is the chance that ``a`` is meant rather than ``b``. It prints five-fold out-of-fold figures (folds by document)
for the fitted weights and for the hand-set weights of sessions 1-7 (``HAND_WEIGHTS``) on the same names.
The held-out halves are never read by the fit: ``python -m geo.evaluate geo`` scores them afterwards.

``SITMAP_RANKER=hand`` switches the resolver back to the hand-set weights (to compare).
"""

from __future__ import annotations

import argparse
import json
import math
import os
import sys
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path

from geo.settings import ROOT

WEIGHTS_PATH = ROOT / "data" / "ranker.json"

#: The features of a candidate place for a name, with what each means. All are 0 when they do not apply.
FEATURES: dict[str, str] = {
    "kind:country": "the candidate is a country",
    "kind:continent": "a continent",
    "kind:region": "a named world region (the Middle East, the Balkans)",
    "kind:sea": "a sea, ocean, gulf or bay",
    "kind:admin1": "a first-level area (state, province, oblast)",
    "kind:admin2": "a second-level area (county, district, raion)",
    "kind:facility": "an airport or another facility",
    "kind:landmark": "a landmark",
    "population": "log10(population + 10) / 8, of a town, country or admin-1 area",
    "admin2_population": "log10(population + 10) / 8 of an admin-2 area (the sum of the towns drawn in it)",
    "town_named_area": "an admin-1 or admin-2 area bearing the name of a town in it (\"Donetsk\", \"New York\")",
    "capital": "a national capital",
    "alias_only": "a town bearing the name only as an alternate name when another town bears it as its own",
    "country_share": "share of the document's other names that can lie in the candidate's country",
    "admin1_share": "share of the document's other names that can lie in its admin-1 area",
    "proximity": "exp(-d / 300 km), d to the nearest unambiguous place of the document",
    "qualified": "adjacent names of areas that contain it (\"Paris, Texas\"), counted",
    "town_like_country": "a town named like a country, region, continent or sea, without a qualifier",
    "bare_admin2": "a county or district named without a word saying so",
    "list_kind": "the kind of the likeliest place of a name joined to it by \"and\"/\"or\"",
}

#: Each feature in a reader's words, for the reason a place was chosen ("ahead of X for ...").
FEATURE_WORDS: dict[str, str] = {
    "kind:country": "being a country", "kind:continent": "being a continent", "kind:region": "being a world region",
    "kind:sea": "being a sea", "kind:admin1": "being a region", "kind:admin2": "being a district",
    "kind:facility": "being a facility", "kind:landmark": "being a landmark", "population": "its population",
    "admin2_population": "its population", "town_named_area": "the town bearing the name",
    "capital": "being a capital", "alias_only": "bearing the name as its own",
    "country_share": "the story's other places in its country",
    "admin1_share": "the story's other places in its region", "proximity": "a place of the story nearby",
    "qualified": "the area named next to it", "town_like_country": "a town named like a country needs a qualifier",
    "bare_admin2": "a district named without its word", "list_kind": "the names listed with it",
}

#: The weights set by hand in sessions 1-7, kept as the baseline the fitted weights are compared with.
HAND_WEIGHTS: dict[str, float] = {
    "kind:country": 1.0, "kind:continent": 1.0, "kind:region": 0.9, "kind:sea": 1.6, "kind:admin1": 0.35,
    "kind:admin2": 0.3, "town_named_area": -0.7, "kind:facility": 0.9, "kind:landmark": 0.9, "population": 1.0, "admin2_population": 1.0, "capital": 0.6,
    "alias_only": -0.7, "country_share": 1.5, "admin1_share": 0.75, "proximity": 1.0,
    "qualified": 3.0, "town_like_country": -1.5, "bare_admin2": -0.5, "list_kind": 1.0,
}


@dataclass(frozen=True)
class Ranker:
    """A weight table over ``FEATURES``. ``confidence_scale`` turns a score margin into a probability
    (1 for fitted weights, whose margins are log-odds)."""

    weights: Mapping[str, float]
    confidence_scale: float = 1.0
    source: str = "fitted"
    unfitted: tuple[str, ...] = ()  # features the examples never showed: hand-set weight, scaled

    def score(self, features: Mapping[str, float]) -> float:
        return sum(self.weights.get(name, 0.0) * value for name, value in features.items())

    def confidence(self, margin: float) -> float:
        return round(1.0 / (1.0 + math.exp(-self.confidence_scale * margin)), 3)

    def why(self, best: Mapping[str, float], runner_up: Mapping[str, float], top: int = 2) -> list[tuple[str, float]]:
        """The features that put ``best`` ahead of ``runner_up`` most, with their contributions."""
        gains = [(name, self.weights.get(name, 0.0) * (best.get(name, 0.0) - runner_up.get(name, 0.0)))
                 for name in FEATURES]
        return sorted(((n, g) for n, g in gains if g > 0.05), key=lambda ng: -ng[1])[:top]


HAND = Ranker(HAND_WEIGHTS, confidence_scale=3.0, source="hand-set")


def load_ranker(path: Path = WEIGHTS_PATH) -> Ranker:
    """The fitted ranker of ``data/ranker.json`` (``SITMAP_RANKER=hand``: the hand-set baseline)."""
    if os.environ.get("SITMAP_RANKER", "").lower() == "hand" or not path.exists():
        return HAND
    data = json.loads(path.read_text(encoding="utf-8"))
    unknown = set(data["weights"]) - set(FEATURES)
    if unknown:
        raise ValueError(f"{path}: weights for unknown features {sorted(unknown)}")
    return Ranker(data["weights"], float(data.get("confidence_scale", 1.0)), "fitted", tuple(data.get("unfitted", ())))


# -- fitting (development only: scipy is a dev dependency) ---------------------------------------------
@dataclass(frozen=True)
class Example:
    """One recognised name of a corpus document with at least two candidates, one of them right."""

    doc: str
    name: str
    features: tuple[dict[str, float], ...]
    right: tuple[bool, ...]


def collect(corpus: Path, half: str = "study", pipeline=None) -> list[Example]:  # type: ignore[no-untyped-def]
    """The ranking examples of one half of a shared geoparsing corpus."""
    from geo.evaluate import parse_date, read_jsonl, split_of
    from geo.pipeline import Pipeline
    from geo.resolve import haversine_km

    if pipeline is None:  # the features do not depend on the weights; the file being refitted may not fit them
        before = os.environ.get("SITMAP_RANKER")
        os.environ["SITMAP_RANKER"] = "hand"
        try:
            pipeline = Pipeline()
        finally:
            os.environ.pop("SITMAP_RANKER") if before is None else os.environ.update(SITMAP_RANKER=before)
    docs = [d for d in read_jsonl(corpus) if split_of(d["id"]) == half]
    out: list[Example] = []
    articles = [pipeline.load(d["text"], published=parse_date(d.get("dct")), article_id=str(d["id"])) for d in docs]
    for doc, (article, mentions) in zip(docs, pipeline.recognize_many(articles), strict=True):
        gold = [g for g in doc["toponyms"] if g.get("lat") is not None]
        for mention, cands, features in pipeline.resolver.candidate_tables(article, mentions):
            hits = [g for g in gold if g["start"] < mention.end and mention.start < g["end"]]
            if not hits or len(cands) < 2:
                continue
            g = hits[0]
            right = tuple(haversine_km(g["lat"], g["lon"], p.lat, p.lon) <= 161 for p in cands)
            if any(right) and not all(right):
                out.append(Example(str(doc["id"]), mention.text, tuple(features), right))
    return out


MIN_SUPPORT = 20  # names whose candidates differ in a feature, for its weight to be fitted


def _arrays(examples: Sequence[Example]):  # type: ignore[no-untyped-def]
    """Each example's feature matrix (candidates x ``FEATURES``) and its mask of right candidates."""
    import numpy as np

    names = list(FEATURES)
    return [(np.array([[f.get(n, 0.0) for n in names] for f in ex.features]), np.array(ex.right))
            for ex in examples]


def fit(examples: Sequence[Example], c: float = 1.0) -> Ranker:
    """Conditional logit (a softmax over each name's candidates, as a choice model): the weights maximise the
    likelihood that a name's right candidates are chosen among its candidates, minus ``|w|^2 / (2 c)`` per
    example; scipy's L-BFGS does the optimising. Each name counts once, however many namesakes it has."""
    import numpy as np
    from scipy.optimize import minimize

    data = _arrays(examples)

    def loss(w: np.ndarray) -> tuple[float, np.ndarray]:
        total, grad = 0.0, np.zeros_like(w)
        for x, right in data:
            s = x @ w
            top = s.max()
            p_all = np.exp(s - top)
            z_all = p_all.sum()
            p_right = p_all * right
            z_right = p_right.sum()
            total += np.log(z_all) - np.log(z_right)
            grad += x.T @ (p_all / z_all) - x.T @ (p_right / z_right)
        n = len(data)
        return total / n + w @ w / (2 * c * n), grad / n + w / (c * n)

    result = minimize(loss, np.zeros(len(FEATURES)), jac=True, method="L-BFGS-B")
    weights = {n: float(w) for n, w in zip(FEATURES, result.x, strict=True)}
    # A feature the examples seldom tell apart (fewer than MIN_SUPPORT names have candidates differing in it) has
    # no trustworthy fitted weight: it keeps its hand-set weight, scaled as the fitted weights are scaled
    # against theirs.
    unseen = [n for i, n in enumerate(FEATURES) if sum(np.ptp(x[:, i]) > 0 for x, _ in data) < MIN_SUPPORT]
    seen = [n for n in FEATURES if n not in unseen]
    scale = sum(abs(weights[n]) for n in seen) / sum(abs(HAND_WEIGHTS[n]) for n in seen)
    for n in unseen:
        weights[n] = HAND_WEIGHTS[n] * scale
    return Ranker({n: round(w, 4) for n, w in weights.items()}, 1.0, unfitted=tuple(unseen))


def top1(ranker: Ranker, examples: Sequence[Example]) -> float:
    """The share of names whose highest-scored candidate is right (first of equals, as the resolver sorts)."""
    hits = 0
    for ex in examples:
        scores = [ranker.score(f) for f in ex.features]
        hits += ex.right[max(range(len(scores)), key=lambda i: scores[i])]
    return hits / len(examples) if examples else 0.0


def cross_validate(examples: Sequence[Example], c: float, folds: int = 5) -> float:
    """Out-of-fold top-1: each document's names ranked by weights fitted on the other folds' documents."""
    docs = sorted({ex.doc for ex in examples})
    fold_of = {d: i % folds for i, d in enumerate(docs)}
    hits = 0
    for k in range(folds):
        train = [ex for ex in examples if fold_of[ex.doc] != k]
        test = [ex for ex in examples if fold_of[ex.doc] == k]
        hits += round(top1(fit(train, c), test) * len(test))
    return hits / len(examples)


def main(argv: list[str] | None = None) -> int:
    from geo.evaluate import EVAL_DIR

    parser = argparse.ArgumentParser(prog="python -m geo.ranker", description=__doc__.split("\n\n")[0])
    sub = parser.add_subparsers(dest="command", required=True)
    fit_p = sub.add_parser("fit", help="fit data/ranker.json on the study halves of the shared corpora")
    fit_p.add_argument("--corpus", nargs="*", type=Path,
                       default=[EVAL_DIR / "geo" / "geowebnews.jsonl", EVAL_DIR / "geo" / "trnews.jsonl"])
    fit_p.add_argument("--out", type=Path, default=WEIGHTS_PATH)
    fit_p.add_argument("--dry-run", action="store_true", help="print the figures, write nothing")
    args = parser.parse_args(argv)
    examples: list[Example] = []
    for corpus in args.corpus:
        found = collect(corpus)
        print(f"{corpus.name}: {len(found)} names with two or more candidates, one or more right (study half)")
        examples += found
    print(f"hand-set weights: top-1 {top1(HAND, examples):.3f} on the same names")
    best_c, best_acc = 1.0, -1.0
    for c in (1.0, 10.0, 100.0, 1000.0):
        acc = cross_validate(examples, c)
        print(f"fitted, C={c:g}: out-of-fold top-1 {acc:.3f} (5 folds by document)")
        if acc > best_acc:
            best_c, best_acc = c, acc
    ranker = fit(examples, best_c)
    print(f"chosen C={best_c:g}; in-sample top-1 {top1(ranker, examples):.3f}")
    for name, w in sorted(ranker.weights.items(), key=lambda nw: -abs(nw[1])):
        note = f"   in fewer than {MIN_SUPPORT} names: hand-set, scaled" if name in ranker.unfitted else ""
        print(f"  {name:18} {w:+.3f}   (hand {HAND_WEIGHTS[name]:+.2f}){note}")
    if not args.dry_run:
        args.out.write_text(json.dumps({
            "about": "Candidate ranker weights, fitted by `python -m geo.ranker fit` (see geo/ranker.py) on the "
                     "study halves of " + ", ".join(c.name for c in args.corpus) + ".",
            "examples": len(examples), "C": best_c, "out_of_fold_top1": round(best_acc, 4),
            "hand_top1": round(top1(HAND, examples), 4), "confidence_scale": 1.0, "unfitted": list(ranker.unfitted),
            "weights": ranker.weights,
        }, indent=2) + "\n", encoding="utf-8")
        print(f"wrote {args.out}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
