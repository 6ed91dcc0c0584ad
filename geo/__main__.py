"""Command line: ``python -m geo {extract,map,build} ...``."""

from __future__ import annotations

import argparse
import datetime as dt
import json
import logging
import sys
from pathlib import Path

from geo.errors import SituationMapError

log = logging.getLogger("geo")


def _date(text: str) -> dt.date:
    try:
        return dt.date.fromisoformat(text)
    except ValueError as err:
        raise argparse.ArgumentTypeError(f"{text!r} is not a date in the form YYYY-MM-DD") from err


def _analyze(args: argparse.Namespace):  # type: ignore[no-untyped-def]
    """The pipeline and a Workspace of every file given (one file: a workspace of one)."""
    from geo.pipeline import Pipeline, Workspace

    if args.article_id and len(args.file) > 1:
        raise SituationMapError("--article-id names one article; give one file with it, or none")
    pipeline = Pipeline()
    analyses = []
    for name in args.file:
        path = Path(name)
        if not path.exists():
            raise SituationMapError(f"No such file: {path}")
        article = pipeline.load(path.read_bytes(), published=args.date, filename=path.name,
                                article_id=args.article_id or path.stem)
        analysis = pipeline.analyze(article)
        for warning in analysis.warnings:
            log.warning("%s: %s", path.name, warning)
        analyses.append(analysis)
    return pipeline, Workspace(tuple(analyses))


def cmd_extract(args: argparse.Namespace) -> int:
    pipeline, workspace = _analyze(args)
    events = workspace.events_gdf
    out = Path(args.out)
    if args.format == "acled-csv":
        from geo.export import area_names, to_acled

        countries, admin1 = area_names(pipeline.gazetteer, events)
        to_acled(events, country_names=countries, admin1_names=admin1).to_csv(out, index=False)
    else:
        _write_geojson(events, out)
    if args.places:
        _write_geojson(workspace.places, Path(args.places))
    told = sum(1 for e in workspace.events if len(e.tellings) > 1)
    print(f"{len(events)} events ({told} told more than once), {len(workspace.places)} places, "
          f"{len(workspace.analyses)} article(s) -> {out}")
    return 0


def _write_geojson(frame, path: Path) -> None:  # type: ignore[no-untyped-def]
    """GeoJSON via geopandas (datetimes as ISO strings)."""
    data = json.loads(frame.to_json(na="null", drop_id=True, to_wgs84=True, default=str))
    path.write_text(json.dumps(data, ensure_ascii=False, indent=1), encoding="utf-8")


def cmd_map(args: argparse.Namespace) -> int:
    from geo.mapview import standalone_map

    pipeline, workspace = _analyze(args)
    title = " + ".join(a.title for a in workspace.articles if a.title)
    m = standalone_map(workspace.places, workspace.events_gdf, pipeline.gazetteer, pipeline.settings, title=title)
    m.save(args.out)
    print(f"map with {len(workspace.events)} events -> {args.out}")
    return 0


def cmd_build(args: argparse.Namespace) -> int:
    from geo.build_data import build_all
    from geo.settings import Settings

    build_all(Settings.from_env())
    return 0


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m geo", description="Situation Map: news article -> events on a map")
    parser.add_argument("-v", "--verbose", action="store_true")
    sub = parser.add_subparsers(dest="command", required=True)
    for name, helptext in (("extract", "write events (and places) as GeoJSON or ACLED CSV"),
                           ("map", "write a self-contained HTML map with a time control")):
        p = sub.add_parser(name, help=helptext)
        p.add_argument("file", nargs="+", help="article(s): .txt, .md or .html; several are mapped together, the "
                                                "same event told in two of them being one event with two sources")
        p.add_argument("--date", type=_date, default=None, help="publication date, YYYY-MM-DD")
        p.add_argument("--out", required=True)
        p.add_argument("--article-id", default=None)
        if name == "extract":
            p.add_argument("--places", default=None, help="also write places GeoJSON here")
            p.add_argument("--format", choices=["geojson", "acled-csv"], default="geojson")
    sub.add_parser("build", help="build the offline gazetteer and vendored map assets (make data)")
    args = parser.parse_args(argv)
    logging.basicConfig(level=logging.INFO if args.verbose else logging.WARNING, format="%(levelname)s: %(message)s")
    handlers = {"extract": cmd_extract, "map": cmd_map, "build": cmd_build}
    try:
        return handlers[args.command](args)
    except SituationMapError as err:
        print(f"error: {err}", file=sys.stderr)
        return 2


if __name__ == "__main__":
    sys.exit(main())
