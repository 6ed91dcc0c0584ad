"""Command line: ``python -m geo {extract,map,build} ...``."""

from __future__ import annotations

import argparse
import datetime as dt
import logging
import os
import secrets
import stat
import sys
from pathlib import Path

from geo.errors import OutputPathError, PublicationDateError, SituationMapError

log = logging.getLogger("geo")


def _date(text: str) -> dt.date:
    from geo.ingest import check_published

    try:
        return check_published(dt.date.fromisoformat(text))
    except ValueError as err:
        raise argparse.ArgumentTypeError(f"{text!r} is not a date in the form YYYY-MM-DD") from err
    except PublicationDateError as err:
        raise argparse.ArgumentTypeError(str(err)) from err


def _writable(path: Path) -> bool:
    """Whether we may write ``path``: by the OS's rules, and not marked read-only by its owner (root may
    write anything, but a file or folder without any write permission is not meant to be written)."""
    return os.access(path, os.W_OK) and bool(path.stat().st_mode & 0o222)


def _check_output(option: str, name: str) -> Path:
    """The output path, if a file can be written there (atomically, through a temporary file beside it)."""
    path = Path(name)
    folder = path.parent
    try:
        if path.is_dir():
            raise OutputPathError(f"{option} {name} is a folder; give the name of a file in it")
        if not folder.exists():
            raise OutputPathError(f"{option} {name}: the folder {folder} does not exist; create it first")
        if not folder.is_dir():
            raise OutputPathError(f"{option} {name}: {folder} is not a folder")
        if not (_writable(folder) and os.access(folder, os.X_OK)):
            raise OutputPathError(f"{option} {name}: the folder {folder} is not writable; choose another folder")
        if path.exists() and not _writable(path):
            raise OutputPathError(f"{option} {name} is read-only; choose another file name or make it writable")
    except OSError as err:
        raise OutputPathError(f"{option} {name} cannot be written: {err.strerror or err}") from err
    return path


def _check_outputs(args: argparse.Namespace) -> None:
    """Every output path, checked before any analysis, so that a bad one costs nothing and writes nothing."""
    outputs = {"--out": args.out, "--places": getattr(args, "places", None)}
    checked = {option: _check_output(option, name).resolve() for option, name in outputs.items() if name}
    if len(set(checked.values())) < len(checked):
        raise OutputPathError("--out and --places name the same file; give two different file names")
    for name in args.file:
        for option, path in checked.items():
            if Path(name).resolve() == path:
                raise OutputPathError(f"{option} {path} would overwrite the article {name}; give another file name")


def _write_all(outputs: dict[Path, bytes]) -> None:
    """Write every output to a temporary file beside it, then move them all into place: a failure leaves
    every file as it was and no temporary file behind."""
    moves: list[tuple[Path, Path]] = []
    target = Path()
    try:
        for target, data in outputs.items():
            temp = target.with_name(f".{target.name}.{os.getpid()}-{secrets.token_hex(4)}.tmp")
            moves.append((temp, target))
            _write_new(temp, data, like=target)
        for temp, target in moves:
            os.replace(temp, target)
    except OSError as err:
        raise OutputPathError(f"Could not write {target}: {err.strerror or err}") from err
    finally:
        for temp, _ in moves:
            temp.unlink(missing_ok=True)


def _write_new(temp: Path, data: bytes, like: Path) -> None:
    """Create ``temp`` (it must not exist) holding ``data``, with the permissions of ``like`` if it exists."""
    fd = os.open(temp, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o666)
    with os.fdopen(fd, "wb") as out:
        out.write(data)
    if like.exists():
        os.chmod(temp, stat.S_IMODE(like.stat().st_mode))


def _analyze(args: argparse.Namespace):  # type: ignore[no-untyped-def]
    """The pipeline and a Workspace of every file given (one file: a workspace of one)."""
    from geo.pipeline import Pipeline, Workspace

    if args.article_id and len(args.file) > 1:
        raise SituationMapError("--article-id names one article; give one file with it, or none")
    missing = [name for name in args.file if not Path(name).is_file()]
    if missing:
        raise SituationMapError(f"No such file: {', '.join(missing)}")
    pipeline = Pipeline()
    analyses = []
    for name in args.file:
        path = Path(name)
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
        rows = to_acled(events, country_names=countries, admin1_names=admin1)
        outputs = {out: rows.to_csv(index=False).encode("utf-8")}
    else:
        outputs = {out: _geojson_bytes(events)}
    if args.places:
        outputs[Path(args.places)] = _geojson_bytes(workspace.places)
    _write_all(outputs)
    told = sum(1 for e in workspace.events if len(e.tellings) > 1)
    print(f"{len(events)} events ({told} told more than once), {len(workspace.places)} places, "
          f"{len(workspace.analyses)} article(s) -> {out}")
    return 0


def _geojson_bytes(frame) -> bytes:  # type: ignore[no-untyped-def]
    from geo.export import geojson_bytes

    return geojson_bytes(frame)


def cmd_map(args: argparse.Namespace) -> int:
    from geo.mapview import standalone_map

    pipeline, workspace = _analyze(args)
    title = " + ".join(a.title for a in workspace.articles if a.title)
    m = standalone_map(workspace.places, workspace.events_gdf, pipeline.gazetteer, pipeline.settings, title=title)
    _write_all({Path(args.out): m.get_root().render().encode("utf-8")})
    print(f"map with {len(workspace.events)} events -> {args.out}")
    return 0


def _store(name: str, create: bool = False):  # type: ignore[no-untyped-def]
    """A workspace by file path (``*.gpkg``) or by its id in the workspaces folder (SITMAP_WORKSPACES)."""
    from geo.settings import Settings
    from geo.workspace import WorkspaceFolder, WorkspaceStore, create_file

    if name.endswith(".gpkg") or os.sep in name:
        path = Path(name)
        if not path.exists() and create:
            if not path.parent.is_dir():
                raise OutputPathError(f"The folder {path.parent} does not exist; create it first")
            create_file(path, path.stem)
        return WorkspaceStore(path)
    folder = WorkspaceFolder(Settings.from_env().workspaces_dir)
    if not folder.exists(name) and create:
        return folder.create(name)[1]
    return folder.open(name)


def cmd_workspace(args: argparse.Namespace) -> int:
    if args.action == "list":
        store = _store(args.workspace)
        articles = store.articles()
        events = store.events()
        print(f"{store.name}: {len(articles)} article(s), {len(events)} events ({store.path})")
        for row in articles.itertuples():
            print(f"  {row.article_id}\t{row.published or '?'}\t{row.n_events} events\t{row.title or row.filename}")
        return 0
    if args.action == "remove":
        store = _store(args.workspace)
        for article_id in args.items:
            store.remove_article(article_id)
            print(f"removed {article_id} and its events from {store.name} ('workspace restore' brings it back)")
        return 0
    if args.action == "restore":
        store = _store(args.workspace)
        if not args.items:
            for gone in store.removed_articles():
                print(f"  {gone['article_id']}	removed {gone['removed_at']}	{gone['title'] or gone['filename']}")
            return 0
        for article_id in args.items:
            print(f"restored {store.restore_article(article_id)} ({article_id}) with its events in {store.name}")
        return 0
    from geo.pipeline import Pipeline

    if not args.items:
        raise SituationMapError("Give the files (or links) to add.")
    store = _store(args.workspace, create=True)
    pipeline = Pipeline()
    for item in args.items:
        content, filename, source = _read_item(item, pipeline.settings)
        article = pipeline.load(content, published=args.date, filename=filename,
                                article_id=args.article_id or None)
        analysis = pipeline.analyze(article)
        for warning in analysis.warnings:
            log.warning("%s: %s", filename, warning)
        text = content if isinstance(content, str) else content.decode("utf-8", "replace")
        store.put_analysis(analysis, text, filename, source=source, author=args.author)
        print(f"{article.article_id}: {len(analysis.events)} events, {len(analysis.places)} places -> {store.name}")
    return 0


def _read_item(item: str, settings) -> tuple[str | bytes, str, str]:  # type: ignore[no-untyped-def]
    """An article given on the command line: a file, or a link (fetched safely, geo.fetch)."""
    if item.startswith(("http://", "https://")):
        from geo.fetch import fetch_page

        page = fetch_page(item, settings)
        return page.content, page.filename, page.final_url
    path = Path(item)
    if not path.is_file():
        raise SituationMapError(f"No such file: {item}")
    from geo.ingest import decode_bytes

    return decode_bytes(path.read_bytes()).text, path.name, ""


def cmd_export(args: argparse.Namespace) -> int:
    store = _store(args.workspace)
    gazetteer = settings = None
    if args.format in ("csv", "html", "story", "png", "gif"):
        from geo.gazetteer import OfflineGazetteer
        from geo.settings import Settings

        settings = Settings.from_env()
        gazetteer = OfflineGazetteer(settings)
    from geo.export import export_workspace

    data = export_workspace(store, args.format, gazetteer, settings)
    _write_all({Path(args.out): data})
    print(f"{store.name}: {len(store.events())} events -> {args.out} ({args.format})")
    return 0


def cmd_build(args: argparse.Namespace) -> int:
    from geo.build_data import build_all
    from geo.settings import Settings

    settings = Settings.from_env()
    if args.derive_geonames:
        from geo.build_data import derive_geonames_points

        n = derive_geonames_points(Path(args.derive_geonames), settings.data_dir / "geonames_points.csv")
        print(f"{n} GeoNames points -> {settings.data_dir / 'geonames_points.csv'}")
        return 0
    build_all(settings)
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
    build = sub.add_parser("build", help="build the offline gazetteer and vendored map assets (make data)")
    build.add_argument("--derive-geonames", metavar="DIR", default=None,
                       help="only rewrite data/geonames_points.csv from GeoNames' tables in DIR "
                            "(../shared/data/geonames)")
    ws = sub.add_parser("workspace", help="add, list or remove the articles of a workspace (a GeoPackage)")
    ws.add_argument("action", choices=["add", "list", "remove", "restore"])
    ws.add_argument("workspace", help="a workspace file (*.gpkg) or a workspace id in SITMAP_WORKSPACES")
    ws.add_argument("items", nargs="*", help="add: files or links; remove, restore: article ids (restore without any: list the removed ones)")
    ws.add_argument("--date", type=_date, default=None, help="publication date, YYYY-MM-DD")
    ws.add_argument("--article-id", default=None)
    ws.add_argument("--author", default="", help="who adds them (kept with the articles)")
    export = sub.add_parser("export", help="write a workspace's events as GeoJSON, GeoPackage, ACLED CSV, KML, "
                                           "a self-contained HTML map or story, or pictures (PNG, GIF)")
    export.add_argument("workspace")
    export.add_argument("--format", choices=["geojson", "gpkg", "csv", "kml", "html", "story", "png", "gif"],
                        required=True,
                        help="html: the offline map with a time control; story: the offline map stepping through "
                             "the events one by one (Next/Previous, arrow keys), for a class; png: a picture of the "
                             "map; gif: the playback, one frame per day with events")
    export.add_argument("--out", required=True)
    args = parser.parse_args(argv)
    logging.basicConfig(level=logging.INFO if args.verbose else logging.WARNING, format="%(levelname)s: %(message)s")
    handlers = {"extract": cmd_extract, "map": cmd_map, "build": cmd_build, "workspace": cmd_workspace,
                "export": cmd_export}
    try:
        if args.command in ("extract", "map"):
            _check_outputs(args)
        if args.command == "export":
            _check_output("--out", args.out)
        if args.command == "workspace" and args.article_id and len(args.items) > 1:
            raise SituationMapError("--article-id names one article; give one file with it, or none")
        return handlers[args.command](args)
    except SituationMapError as err:
        print(f"error: {err}", file=sys.stderr)
        return 2


if __name__ == "__main__":
    sys.exit(main())
