"""A workspace that lasts: one GeoPackage file holding the articles, what the pipeline found in them, and what
people changed.

Layers ``events`` and ``places`` (with geometry, EPSG:4326) and tables ``articles``, ``mentions``, ``edits``,
``tokens`` and ``meta`` — QGIS and geopandas open the file as it is. The file is created through pyogrio (GDAL
writes the GeoPackage's own tables); rows are then written with SQLite transactions, which GDAL cannot do
(a conditional update of one row, an edit and its log entry committed together). Every write is one transaction
in WAL mode with ``synchronous=FULL``: a crash or a ``kill -9`` loses nothing that was committed, and readers are
never blocked by a writer.

The ``events`` layer is *materialised*: the machine's events of every article (kept per article as JSON in
``articles.analysis``, merged with ``geo.events.merge_events``) with every active edit replayed over them in
order. An edit is anchored to the article's content hash and the char span of the event's sentence, so
re-analysing an article with a newer pipeline keeps it (a human edit wins; an event the pipeline no longer
finds comes back as the person left it). Each event row carries ``version`` — the id of the last edit applied to
it — so a save says which version it started from, and a save over someone else's change of the same field is a
conflict (both values kept in ``edits``), never a silent overwrite.
"""

from __future__ import annotations

import contextlib
import dataclasses
import datetime as dt
import fcntl
import hashlib
import json
import logging
import math
import os
import re
import secrets
import shutil
import sqlite3
import struct
import tempfile
import threading
import time
import unicodedata
from collections.abc import Callable, Iterable, Iterator, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import geopandas as gpd
import pandas as pd
import pyogrio
import shapely
from shapely.geometry import Point

from geo.errors import SituationMapError
from geo.events import merge_events
from geo.frames import CRS, EVENTS_SCHEMA, PLACES_SCHEMA, events_frame, typed_frame
from geo.model import Event, EventType, Place
from geo.records import event_from_record, event_to_record, place_from_record, place_to_record

log = logging.getLogger(__name__)

FORMAT_VERSION = "1"
STATES = ("machine", "edited", "verified")
#: How each state is said, short (a popup, an export) and on the event's panel; names filled in.
STATE_WORDS = {
    "machine": ("as the machine read it (nobody has checked it)", "Machine-made: nobody has checked it yet"),
    "edited": ("checked or corrected by {edited_by}",
               "✔ Edited or accepted by {edited_by} — needs a second person to verify"),
    "verified": ("verified by {verified_by} (checked by {edited_by})",
                 "✔✔ Verified by {verified_by} (checked by {edited_by})"),
}


def say_state(row: Any, long: bool = False, escape: Callable[[object], str] = str) -> str:
    """Who stands behind an event (a row with ``state``, ``edited_by``, ``verified_by``), in words; ``escape``
    is applied to the names (``safe_html`` for HTML)."""
    state = row.get("state") or "machine"
    words = STATE_WORDS.get(state, STATE_WORDS["machine"])[1 if long else 0]
    return words.format(edited_by=escape(row.get("edited_by") or ""), verified_by=escape(row.get("verified_by") or ""))
SUFFIX = ".gpkg"

#: The events layer: the event schema plus who stands behind each row.
EVENT_LAYER_SCHEMA: dict[str, tuple[str, str]] = {
    **{k: v for k, v in EVENTS_SCHEMA.items() if k != "geometry"},
    "state": ("string", "machine (as the pipeline made it) | edited (a person changed or accepted it) | "
                        "verified (a second person confirmed it)"),
    "edited_by": ("string", "who last changed or accepted it"),
    "verified_by": ("string", "who confirmed it"),
    "origin": ("string", "machine | person (added by hand)"),
    "version": ("Int64", "id of the last edit applied to the row (0 = as the machine made it)"),
    "geometry": EVENTS_SCHEMA["geometry"],
}
#: The places layer: the place schema plus the point used for events in areas.
PLACE_LAYER_SCHEMA: dict[str, tuple[str, str]] = {
    **{k: v for k, v in PLACES_SCHEMA.items() if k != "geometry"},
    "lat": ("float64", "latitude of the place's point (an area's representative point)"),
    "lon": ("float64", "longitude of that point"),
    "capital": ("bool", "a capital city"),
    "geometry": PLACES_SCHEMA["geometry"],
}
ARTICLES_SCHEMA: dict[str, tuple[str, str]] = {
    "article_id": ("string", "the article's id (unique in the workspace)"),
    "title": ("string", ""), "filename": ("string", "the name it was given as (its extension says how to read it)"),
    "source": ("string", "the link it was fetched from, if any"),
    "published": ("string", "publication date, YYYY-MM-DD"), "published_source": ("string", "user | html-metadata | text"),
    "content_hash": ("string", "sha1 of the article's clean text; edits are anchored to it"),
    "content": ("string", "what the user gave (text or HTML), to analyse again"),
    "analysis": ("string", "JSON: the machine's places and events for this article"),
    "n_events": ("Int64", ""), "n_places": ("Int64", ""), "warnings": ("string", "JSON list"),
    "added_at": ("string", "UTC, ISO 8601"), "added_by": ("string", ""), "analysed_at": ("string", "UTC, ISO 8601"),
}
MENTIONS_SCHEMA: dict[str, tuple[str, str]] = {
    "article_id": ("string", ""), "start": ("Int64", "char span in the article text"), "end": ("Int64", ""),
    "text": ("string", ""), "kind": ("string", "toponym | adjectival | facility | ..."), "sentence": ("Int64", ""),
    "place_id": ("string", "the place it resolved to (empty: not placed)"), "confidence": ("float64", ""),
    "reason": ("string", "why this place"),
}
EDITS_SCHEMA: dict[str, tuple[str, str]] = {
    "at": ("string", "UTC, ISO 8601"), "author": ("string", "the name the person set"),
    "action": ("string", "edit | add | delete | accept | verify | add_place | undo | redo"),
    "status": ("string", "active | undone | dropped (undone, then overtaken by a new edit) | conflict (not applied) "
                         "| done (undo/redo records)"),
    "ref": ("Int64", "for undo/redo: the edit undone or redone"),
    "event_id": ("string", "the event's id when edited (for add_place: the new place's id)"), "article_id": ("string", "anchor: the article"),
    "content_hash": ("string", "anchor: the article's text hash"),
    "char_start": ("Int64", "anchor: the event sentence's char span"), "char_end": ("Int64", ""),
    "fields": ("string", "the fields changed, comma-separated"),
    "before": ("string", "JSON of the fields before"), "after": ("string", "JSON of the fields after"),
    "base_version": ("Int64", "the row version the person started from"),
    "snapshot": ("string", "JSON of the whole event after the edit: brings it back if the pipeline no longer "
                           "finds it"),
}
TOKENS_SCHEMA: dict[str, tuple[str, str]] = {
    "token": ("string", "secret in a shared link"), "role": ("string", "view | edit"),
    "created_at": ("string", ""), "created_by": ("string", ""),
}
META_SCHEMA: dict[str, tuple[str, str]] = {"key": ("string", ""), "value": ("string", "")}
#: Key prefix in the meta table of a removed article kept for ``restore_article`` (JSON: the article's row, its
#: mentions, when and by whom it was removed).
_REMOVED = "removed:"
_TABLES = {"articles": ARTICLES_SCHEMA, "mentions": MENTIONS_SCHEMA, "edits": EDITS_SCHEMA,
           "tokens": TOKENS_SCHEMA, "meta": META_SCHEMA}

#: Fields a person may change, and the columns each one sets.
PLACE_COLUMNS = ("place_id", "place_name", "place_kind", "country", "admin1", "geo_precision", "uncertainty_km",
                 "place_text")
EDITABLE = {
    "event_type": ("event_type",), "sub_event_type": ("sub_event_type",), "actor1": ("actor1",),
    "actor2": ("actor2",), "fatalities": ("fatalities",), "notes": ("trigger",),
    "dates": ("date_start", "date_end", "time_precision", "time_precision_code"),
    "place": (*PLACE_COLUMNS, "lon", "lat"),
}
_STATE_COLUMNS = ("state", "edited_by", "verified_by")
_REPLAYED = ("edit", "add", "delete", "accept", "verify")
_UNDOABLE = (*_REPLAYED, "add_place")
#: Kinds of place a person may add (areas need an outline, which a click cannot give).
USER_PLACE_KINDS = {"city": "town or village", "facility": "facility (plant, dam, bridge, station, port…)",
                    "landmark": "site or landmark (checkpoint, crossroads, hill…)"}
_LAYER_ACTION = {"edit": "edit", "accept": "edit", "verify": "edit", "add": "add", "delete": "delete"}
_PRECISION_CODES = {"hour": 1, "day": 1, "week": 2, "month": 3, "year": 3}


class WorkspaceError(SituationMapError):
    """A workspace cannot be created, opened or changed as asked."""


class ReadOnlyError(WorkspaceError):
    """The link used gives view access only."""


class EventNotFoundError(WorkspaceError):
    pass


@dataclass(frozen=True)
class FieldConflict:
    field: str
    theirs: Any
    mine: Any
    their_author: str
    their_at: str


class EditConflict(WorkspaceError):
    """Someone else saved a change to the same field since this person's version; nothing was overwritten."""

    def __init__(self, event_id: str, conflicts: Sequence[FieldConflict], version: int) -> None:
        who = ", ".join(sorted({c.their_author or "someone" for c in conflicts}))
        super().__init__(f"{who} changed {', '.join(c.field for c in conflicts)} of this event since you opened "
                         "it; your value was not saved over theirs (both are kept in the history).")
        self.event_id = event_id
        self.conflicts = tuple(conflicts)
        self.version = version


def now_iso() -> str:
    return dt.datetime.now(dt.UTC).strftime("%Y-%m-%dT%H:%M:%S.%fZ")


# --- GeoPackage geometry blobs (GeoPackage 1.3, §2.1.3: "GP", version, flags, srs_id, then WKB) -------------------

def _gpkg_blob(geometry: Any) -> bytes | None:
    if geometry is None:
        return None
    empty = 0x10 if geometry.is_empty else 0
    return b"GP\x00" + bytes([0x01 | empty]) + struct.pack("<i", 4326) + shapely.to_wkb(geometry, byte_order=1)


def _from_gpkg_blob(blob: bytes | None) -> Any:
    if not blob:
        return None
    envelope = (0, 32, 48, 48, 64)[(blob[3] >> 1) & 0x07]
    return shapely.from_wkb(bytes(blob[8 + envelope:]))


def _json_value(value: Any) -> Any:
    """A frame cell as plain JSON data (NaN/NA as None, timestamps as ISO text)."""
    if value is None or value is pd.NA or value is pd.NaT:
        return None
    if isinstance(value, float) and math.isnan(value):
        return None
    if isinstance(value, pd.Timestamp | dt.datetime):
        return pd.Timestamp(value).isoformat()
    if hasattr(value, "item"):  # numpy scalars
        return value.item()
    return value


# --- the file ------------------------------------------------------------------------------------------------------

def _empty(schema: dict[str, tuple[str, str]]) -> pd.DataFrame:
    return pd.DataFrame({k: pd.Series([], dtype=d) for k, (d, _) in schema.items() if k != "geometry"})


_TEMPLATE_LOCK = threading.Lock()
_TEMPLATE: list[Path] = []


def _template() -> Path:
    """An empty workspace written once per process through pyogrio (GDAL writes the GeoPackage's own tables);
    new workspaces are copies of it. One writer at a time: GDAL failed to commit when several sessions created
    workspaces at the same moment."""
    with _TEMPLATE_LOCK:
        if _TEMPLATE and _TEMPLATE[0].is_file():
            return _TEMPLATE[0]
        folder = Path(tempfile.mkdtemp(prefix="situation-map-template-"))
        path = folder / f"template{SUFFIX}"
        for layer, schema, kind in (("events", EVENT_LAYER_SCHEMA, "Point"), ("places", PLACE_LAYER_SCHEMA, "Unknown")):
            frame = gpd.GeoDataFrame(_empty(schema), geometry=gpd.GeoSeries([], crs=CRS), crs=CRS)
            pyogrio.write_dataframe(frame, path, layer=layer, driver="GPKG", geometry_type=kind,
                                    layer_options={"SPATIAL_INDEX": "NO", "DESCRIPTION": f"Situation Map {layer}"})
        for table, schema in _TABLES.items():
            pyogrio.write_dataframe(_empty(schema), path, layer=table, driver="GPKG")
        with contextlib.closing(sqlite3.connect(path)) as conn, conn:
            conn.execute("CREATE UNIQUE INDEX articles_id ON articles (article_id)")
            conn.execute("CREATE INDEX mentions_article ON mentions (article_id)")
            conn.execute("CREATE UNIQUE INDEX events_id ON events (event_id)")
            conn.execute("CREATE INDEX edits_author ON edits (author, status)")
            conn.execute("CREATE INDEX edits_event ON edits (event_id)")
        _TEMPLATE[:] = [path]
        return path


def create_file(path: Path, name: str) -> None:
    """A new, empty workspace at ``path`` (a copy of the template, named, written beside it, then moved in
    place)."""
    temp = path.with_name(f".{path.stem}.{secrets.token_hex(4)}.tmp{SUFFIX}")
    try:
        shutil.copyfile(_template(), temp)
        with contextlib.closing(sqlite3.connect(temp)) as conn, conn:
            conn.executemany("INSERT INTO meta (key, value) VALUES (?, ?)",
                             [("name", name), ("format", FORMAT_VERSION), ("created_at", now_iso())])
        os.replace(temp, path)
    finally:
        temp.unlink(missing_ok=True)


class WorkspaceStore:
    """One workspace file. Cheap to make (a connection per operation); safe to use from several threads and
    processes at once (SQLite's locking; writes are ``BEGIN IMMEDIATE`` transactions)."""

    def __init__(self, path: Path | str) -> None:
        self.path = Path(path)
        if not self.path.is_file():
            raise WorkspaceError(f"No workspace at {self.path}")
        try:
            with self._read() as conn:
                conn.execute("SELECT value FROM meta WHERE key = 'format'").fetchone()
        except sqlite3.DatabaseError as err:
            raise WorkspaceError(f"{self.path.name} is not a Situation Map workspace (a GeoPackage made by this "
                                 f"app): {err}") from err
        self._add_new_columns()

    def _add_new_columns(self) -> None:
        """Columns that a later version added to the events layer ("why_placed"...): a workspace made before gets
        them, empty, until its events are made again. Checked again under the write lock: two servers opening
        the same old file add each column once."""
        with self._read() as conn:
            have = {r["name"] for r in conn.execute('PRAGMA table_info("events")')}
        if all(k in have for k in EVENT_LAYER_SCHEMA if k != "geometry"):
            return
        with self._write() as conn:
            have = {r["name"] for r in conn.execute('PRAGMA table_info("events")')}
            for name, (dtype, _) in EVENT_LAYER_SCHEMA.items():
                if name != "geometry" and name not in have:
                    conn.execute(f'ALTER TABLE "events" ADD COLUMN "{name}" {_SQL_TYPES.get(dtype, "TEXT")}')

    # connections -----------------------------------------------------------------------------------------------
    def _connect(self) -> sqlite3.Connection:
        """A connection to the file, which must exist (``mode=rw``: a workspace deleted meanwhile is an error,
        never silently made again as an empty file)."""
        try:
            conn = sqlite3.connect(f"{self.path.resolve().as_uri()}?mode=rw", uri=True, timeout=15,
                                   isolation_level=None, check_same_thread=False)
        except sqlite3.OperationalError as err:
            raise WorkspaceError(f"The workspace {self.path.name} is not there any more (it may have been deleted)."
                                 ) from err
        conn.row_factory = sqlite3.Row
        conn.execute("PRAGMA journal_mode=WAL")
        conn.execute("PRAGMA synchronous=FULL")
        return conn

    @contextlib.contextmanager
    def _read(self) -> Iterator[sqlite3.Connection]:
        conn = self._connect()
        try:
            yield conn
        finally:
            conn.close()

    @contextlib.contextmanager
    def _write(self) -> Iterator[sqlite3.Connection]:
        """One transaction: committed whole or not at all."""
        conn = self._connect()
        try:
            conn.execute("BEGIN IMMEDIATE")
            try:
                yield conn
            except BaseException:
                conn.execute("ROLLBACK")
                raise
            conn.execute("COMMIT")
        finally:
            conn.close()

    # metadata ------------------------------------------------------------------------------------------------------
    @property
    def name(self) -> str:
        return self.meta("name") or self.path.stem

    def meta(self, key: str) -> str:
        """A value of the workspace's ``meta`` table ("" if it has none)."""
        with self._read() as conn:
            row = conn.execute("SELECT value FROM meta WHERE key = ?", (key,)).fetchone()
        return str(row["value"]) if row and row["value"] is not None else ""

    def rename(self, name: str) -> None:
        name = name.strip()
        if not name:
            raise WorkspaceError("A workspace needs a name.")
        with self._write() as conn:
            conn.execute("UPDATE meta SET value = ? WHERE key = 'name'", (name,))

    def revision(self) -> str:
        """Changes whenever the events, the articles or the name change (for caches keyed on the content)."""
        with self._read() as conn:
            row = conn.execute("SELECT (SELECT max(fid) FROM edits), (SELECT group_concat(article_id || "
                               "analysed_at, ',') FROM articles), (SELECT count(*) FROM events), "
                               "(SELECT value FROM meta WHERE key = 'name')").fetchone()
        return hashlib.sha1(repr(tuple(row)).encode()).hexdigest()[:16]

    # articles --------------------------------------------------------------------------------------------------------
    def articles(self) -> pd.DataFrame:
        """The articles, oldest first, with their event counts (as the workspace shows them now)."""
        with self._read() as conn:
            rows = conn.execute("SELECT article_id, title, filename, source, published, content_hash, n_events, "
                                "n_places, added_at, added_by FROM articles ORDER BY fid").fetchall()
        return pd.DataFrame([dict(r) for r in rows], columns=["article_id", "title", "filename", "source",
                                                              "published", "content_hash", "n_events", "n_places",
                                                              "added_at", "added_by"])

    def article_input(self, article_id: str) -> dict[str, Any]:
        """What is needed to analyse a stored article again: content, filename, published, title, source."""
        with self._read() as conn:
            row = conn.execute("SELECT article_id, content, filename, published, title, source, content_hash "
                               "FROM articles WHERE article_id = ?", (article_id,)).fetchone()
        if row is None:
            raise WorkspaceError(f"No article {article_id!r} in the workspace {self.name!r}.")
        record = dict(row)
        record["published"] = dt.date.fromisoformat(record["published"]) if record["published"] else None
        return record

    def put_analysis(self, analysis: Any, content: str, filename: str, source: str = "", author: str = "") -> None:
        """Add an analysed article (``geo.pipeline.Analysis``), or replace its analysis if it is already here
        (the same id): its events join the workspace's, and every edit is replayed over them."""
        article = analysis.article
        places: dict[str, Place] = {}
        for r in analysis.resolutions:
            if r.place is not None:
                places[r.place.place_id] = r.place
        for e in analysis.events:
            if e.place is not None:
                places.setdefault(e.place.place_id, e.place)
        # Areas' outlines are kept once, in the places layer; the article's record names its places.
        record = {"places": [place_to_record(dataclasses.replace(p, geometry=None)) for p in places.values()],
                  "events": [event_to_record(e) for e in analysis.events]}
        mentions = [{"article_id": article.article_id, "start": r.mention.start, "end": r.mention.end,
                     "text": r.mention.text, "kind": r.mention.kind.value, "sentence": r.mention.sentence,
                     "place_id": r.place.place_id if r.place else None, "confidence": r.confidence,
                     "reason": r.reason} for r in analysis.resolutions]
        stamp = now_iso()
        row = {"article_id": article.article_id, "title": article.title, "filename": filename, "source": source,
               "published": article.published.isoformat() if article.published else None,
               "published_source": article.published_source, "content_hash": content_hash(article.text),
               "content": content, "analysis": json.dumps(record), "n_events": len(analysis.events),
               "n_places": len(places), "warnings": json.dumps(list(analysis.warnings)), "analysed_at": stamp}
        with self._write() as conn:
            exists = conn.execute("SELECT 1 FROM articles WHERE article_id = ?", (article.article_id,)).fetchone()
            if exists:
                sets = ", ".join(f'"{k}" = ?' for k in row if k != "article_id")
                conn.execute(f"UPDATE articles SET {sets} WHERE article_id = ?",
                             [*(v for k, v in row.items() if k != "article_id"), article.article_id])
                conn.execute("DELETE FROM mentions WHERE article_id = ?", (article.article_id,))
            else:
                _insert(conn, "articles", [{**row, "added_at": stamp, "added_by": author}])
            _insert(conn, "mentions", mentions)
            self._materialise(conn, {p.place_id: p.geometry for p in places.values() if p.geometry is not None})

    def remove_article(self, article_id: str, author: str = "") -> None:
        """Remove an article with its events (events it shares with other articles keep their other tellings).
        The article and its mentions are kept aside in the file: ``restore_article`` brings them back, edits
        included (edits are anchored to the article's text and replayed)."""
        with self._write() as conn:
            row = conn.execute("SELECT * FROM articles WHERE article_id = ?", (article_id,)).fetchone()
            if row is None:
                raise WorkspaceError(f"No article {article_id!r} in the workspace {self.name!r}.")
            mentions = [dict(m) for m in conn.execute("SELECT * FROM mentions WHERE article_id = ?", (article_id,))]
            ids = [p["place_id"] for p in json.loads(row["analysis"])["places"]]
            outlines = {r["place_id"]: shapely.to_wkb(_from_gpkg_blob(r["geom"]), hex=True) for r in conn.execute(
                f"SELECT place_id, geom FROM places WHERE is_area AND place_id IN ({_marks(ids)})", ids) if r["geom"]}
            kept = {"article": {k: row[k] for k in row.keys() if k != "fid"},
                    "mentions": [{k: v for k, v in m.items() if k != "fid"} for m in mentions],
                    "outlines": outlines, "removed_at": now_iso(), "removed_by": author}
            conn.execute("DELETE FROM meta WHERE key = ?", (_REMOVED + article_id,))
            conn.execute("INSERT INTO meta (key, value) VALUES (?, ?)", (_REMOVED + article_id, json.dumps(kept)))
            conn.execute("DELETE FROM articles WHERE article_id = ?", (article_id,))
            conn.execute("DELETE FROM mentions WHERE article_id = ?", (article_id,))
            self._materialise(conn)

    def removed_articles(self) -> list[dict[str, Any]]:
        """The articles removed and not restored, newest first: article_id, title, filename, removed_at,
        removed_by."""
        with self._read() as conn:
            rows = conn.execute("SELECT key, value FROM meta WHERE key LIKE ? ORDER BY fid DESC",
                                (_REMOVED + "%",)).fetchall()
        out = []
        for row in rows:
            kept = json.loads(row["value"])
            article = kept["article"]
            out.append({"article_id": article["article_id"], "title": article.get("title") or "",
                        "filename": article.get("filename") or "", "removed_at": kept["removed_at"],
                        "removed_by": kept["removed_by"]})
        return out

    def restore_article(self, article_id: str) -> str:
        """Bring back a removed article with its events; returns its title. If the same article was added again
        meanwhile, that one stays and the removed copy is dropped."""
        with self._write() as conn:
            found = conn.execute("SELECT value FROM meta WHERE key = ?", (_REMOVED + article_id,)).fetchone()
            if found is None:
                raise WorkspaceError(f"No removed article {article_id!r} in the workspace {self.name!r}.")
            kept = json.loads(found["value"])
            conn.execute("DELETE FROM meta WHERE key = ?", (_REMOVED + article_id,))
            if not conn.execute("SELECT 1 FROM articles WHERE article_id = ?", (article_id,)).fetchone():
                _insert(conn, "articles", [kept["article"]])
                _insert(conn, "mentions", kept["mentions"])
                self._materialise(conn, {k: shapely.from_wkb(v) for k, v in kept.get("outlines", {}).items()})
        return kept["article"].get("title") or kept["article"].get("filename") or article_id

    # frames ----------------------------------------------------------------------------------------------------------
    def events(self) -> gpd.GeoDataFrame:
        """The workspace's events (edits applied), EVENT_LAYER_SCHEMA, EPSG:4326."""
        with self._read() as conn:
            rows = [_decode(r) for r in conn.execute("SELECT * FROM events ORDER BY fid")]
        return typed_frame(pd.DataFrame(rows), EVENT_LAYER_SCHEMA)

    def places(self) -> gpd.GeoDataFrame:
        with self._read() as conn:
            rows = [_decode(r) for r in conn.execute("SELECT * FROM places ORDER BY fid")]
        return typed_frame(pd.DataFrame(rows), PLACE_LAYER_SCHEMA)

    def event(self, event_id: str) -> dict[str, Any]:
        with self._read() as conn:
            return _event_row(conn, event_id)

    def mentions(self, article_id: str | None = None) -> pd.DataFrame:
        with self._read() as conn:
            sql = "SELECT * FROM mentions" + (" WHERE article_id = ?" if article_id else "") + " ORDER BY fid"
            rows = conn.execute(sql, (article_id,) if article_id else ()).fetchall()
        return pd.DataFrame([dict(r) for r in rows]).drop(columns="fid", errors="ignore")

    def history(self, event_id: str | None = None) -> pd.DataFrame:
        """The edits, newest first (every save, undo, redo and conflict)."""
        with self._read() as conn:
            sql = "SELECT fid AS edit_id, * FROM edits" + (" WHERE event_id = ?" if event_id else "") + \
                  " ORDER BY fid DESC"
            rows = conn.execute(sql, (event_id,) if event_id else ()).fetchall()
        frame = pd.DataFrame([dict(r) for r in rows])
        return frame.drop(columns="fid", errors="ignore") if len(frame) else frame

    # edits -----------------------------------------------------------------------------------------------------------
    def edit_event(self, event_id: str, changes: dict[str, Any], author: str, base_version: int | None = None
                   ) -> int:
        """Change fields of an event (keys of ``EDITABLE``; ``place`` takes a dict of PLACE_COLUMNS and lat/lon,
        ``dates`` one of date_start, date_end, time_precision). Returns the row's new version.
        ``base_version``: the version the person saw; if someone changed the same field since, ``EditConflict``
        is raised and the attempt is kept in the history with status ``conflict``."""
        unknown = set(changes) - set(EDITABLE)
        if unknown:
            raise WorkspaceError(f"These fields cannot be edited: {', '.join(sorted(unknown))}")
        after = {}
        for key, value in changes.items():
            after.update(_expand(key, value))
        with self._write() as conn:
            row = _event_row(conn, event_id)
            self._check_conflict(conn, row, after, author, base_version, "edit")
            before = {k: _current(row, k) for k in after}
            if all(_same(before[k], after[k]) for k in after):
                return int(row["version"] or 0)
            after_state = {"state": "edited", "edited_by": author, "verified_by": ""}
            return self._apply(conn, row, "edit", author, {**before, **_state(row)}, {**after, **after_state},
                               base_version)

    def accept(self, event_id: str, author: str) -> int:
        """A person checked the event and it stands: machine -> edited; a second person's confirmation of what
        another edited or accepted -> verified."""
        with self._write() as conn:
            row = _event_row(conn, event_id)
            if row["state"] == "verified":
                raise WorkspaceError("This event is already verified.")
            if row["state"] == "edited":
                if (row["edited_by"] or "") == author:
                    raise WorkspaceError("Verifying needs a second person: you edited or accepted this event "
                                         "yourself.")
                after, action = {"state": "verified", "verified_by": author}, "verify"
            else:
                after, action = {"state": "edited", "edited_by": author, "verified_by": ""}, "accept"
            return self._apply(conn, row, action, author, _state(row), after, None)

    def delete_event(self, event_id: str, author: str, base_version: int | None = None) -> None:
        """Delete a wrong event (undo brings it back). If someone changed it since ``base_version``, nothing is
        deleted: ``EditConflict``."""
        with self._write() as conn:
            row = _event_row(conn, event_id)
            version = int(row["version"] or 0)
            if base_version is not None and version != base_version:
                last = conn.execute("SELECT author, at, fields FROM edits WHERE fid = ?", (version,)).fetchone()
                who, at = (last["author"], last["at"]) if last else ("", "")
                raise EditConflict(event_id, [FieldConflict("the whole event", last["fields"] if last else "",
                                                            "(deleted)", who, at)], version)
            self._apply(conn, row, "delete", author, _row_json(row), {}, base_version)

    def add_event(self, fields: dict[str, Any], author: str) -> str:
        """A missing event, added by hand: ``event_type``, ``sub_event_type``, ``date_start`` (and optionally
        ``date_end``, ``time_precision``), ``place`` (as for ``edit_event``); optionally ``actor1``, ``actor2``,
        ``fatalities``, ``notes``, and its provenance: ``article_id``, ``sentence_index``, ``sentence``,
        ``char_start``, ``char_end``."""
        if not fields.get("event_type") or fields.get("place") is None or not fields.get("date_start"):
            raise WorkspaceError("An event needs a type, a place and a date.")
        event_id = f"user-{secrets.token_hex(4)}"
        row: dict[str, Any] = {k: None for k in EVENT_LAYER_SCHEMA}
        row.update(event_id=event_id, article_id=fields.get("article_id") or "", n_sources=0, sources="[]",
                   confidence=1.0, place_confidence=1.0, time_confidence=1.0, origin="person", trigger="",
                   time_text="", time_value="", place_text="", sentence=fields.get("sentence") or "", actor1="",
                   actor2="", fatalities_qualifier="", sub_event_type=fields.get("sub_event_type") or "",
                   state="edited", edited_by=author, verified_by="", version=0)
        for key in ("sentence_index", "char_start", "char_end"):
            row[key] = fields.get(key)
        if row["article_id"] and row["char_start"] is not None:
            row["sources"] = json.dumps([{"article_id": row["article_id"], "sentence_index": row["sentence_index"],
                                          "char_start": row["char_start"], "char_end": row["char_end"]}])
            row["n_sources"] = 1
        for key in ("event_type", "actor1", "actor2", "fatalities", "notes", "place"):
            if fields.get(key) is not None:
                _set_columns(row, _expand(key, fields[key]))
        _set_columns(row, _expand("dates", {k: fields.get(k) for k in ("date_start", "date_end", "time_precision")}))
        with self._write() as conn:
            self._apply(conn, row, "add", author, {}, _row_json(row), None)
        return event_id

    def add_place(self, name: str, lat: float, lon: float, author: str, kind: str = "city",
                  country: str | None = None, admin1: str | None = None) -> Place:
        """A place no gazetteer has (a village, a checkpoint, a plant), added by hand: it joins the ``places``
        layer (source ``user``), is found by ``find_places`` and can be given to events. Undo removes it."""
        name = " ".join((name or "").split())
        if not name:
            raise WorkspaceError("A place needs a name.")
        if kind not in USER_PLACE_KINDS:
            raise WorkspaceError(f"A place added by hand is one of: {', '.join(USER_PLACE_KINDS.values())}.")
        point = _expand("place", {"lat": lat, "lon": lon})
        place = Place(place_id=f"user:place:{slug_for(name)}-{secrets.token_hex(3)}", name=name, kind=kind,
                      lat=point["lat"], lon=point["lon"], country=country or None, admin1=admin1 or None,
                      source="user")
        record = place_to_record(place)
        with self._write() as conn:
            _end_redo_chain(conn, author)
            _insert(conn, "edits", [{"at": now_iso(), "author": author, "action": "add_place", "status": "active",
                                     "event_id": place.place_id, "fields": "place", "before": "{}",
                                     "after": json.dumps(record)}])
            self._write_places(conn, [place], replace=False)
        return place

    def user_places(self) -> list[Place]:
        """The places people added (in the order they were added)."""
        with self._read() as conn:
            return _user_places(conn)

    def find_places(self, query: str) -> list[Place]:
        """The workspace's own places whose name contains ``query`` (case and accents as typed)."""
        words = query.strip().casefold()
        return [p for p in self.user_places() if words and words in p.name.casefold()]

    def undo(self, author: str) -> str | None:
        """Undo this person's last edit (across reloads and restarts). Returns what was undone, or None."""
        with self._write() as conn:
            last = conn.execute("SELECT fid, * FROM edits WHERE author = ? AND status = 'active' AND action IN "
                                f"({_marks(_UNDOABLE)}) ORDER BY fid DESC LIMIT 1", (author, *_UNDOABLE)).fetchone()
            if last is None:
                return None
            self._reverse(conn, dict(last), author, "undo")
            return _describe(dict(last))

    def redo(self, author: str) -> str | None:
        with self._write() as conn:
            undo = conn.execute("SELECT e.fid AS undo_id, o.fid, o.* FROM edits e JOIN edits o ON o.fid = e.ref "
                                "WHERE e.author = ? AND e.action = 'undo' AND e.status = 'done' AND "
                                "o.status = 'undone' ORDER BY e.fid DESC LIMIT 1", (author,)).fetchone()
            if undo is None:
                return None
            original = dict(undo)
            self._reverse(conn, original, author, "redo")
            return _describe(original)

    def can_undo(self, author: str) -> bool:
        with self._read() as conn:
            return conn.execute(f"SELECT 1 FROM edits WHERE author = ? AND status = 'active' AND action IN "
                                f"({_marks(_UNDOABLE)}) LIMIT 1", (author, *_UNDOABLE)).fetchone() is not None

    def can_redo(self, author: str) -> bool:
        with self._read() as conn:
            return conn.execute("SELECT 1 FROM edits e JOIN edits o ON o.fid = e.ref WHERE e.author = ? AND "
                                "e.action = 'undo' AND e.status = 'done' AND o.status = 'undone' LIMIT 1",
                                (author,)).fetchone() is not None

    # sharing ---------------------------------------------------------------------------------------------------------
    def token(self, role: str, author: str = "") -> str:
        """The secret of a ``view`` or ``edit`` link (made once). Once a workspace has links, opening it
        without the edit link's token is view-only."""
        if role not in {"view", "edit"}:
            raise WorkspaceError("A link is for viewing or for editing.")
        with self._write() as conn:
            row = conn.execute("SELECT token FROM tokens WHERE role = ?", (role,)).fetchone()
            if row:
                return str(row["token"])
            token = secrets.token_urlsafe(12)
            _insert(conn, "tokens", [{"token": token, "role": role, "created_at": now_iso(), "created_by": author}])
            return token

    def access(self, token: str | None) -> str:
        """``edit`` or ``view``: what a session holding ``token`` (or none) may do."""
        with self._read() as conn:
            rows = {str(r["token"]): str(r["role"]) for r in conn.execute("SELECT token, role FROM tokens")}
        if not rows:
            return "edit"
        return rows.get(token or "", "view")

    def copy_to(self, target: Path) -> None:
        """A consistent single-file copy (no -wal beside it), for download or backup."""
        with self._read() as conn, contextlib.closing(sqlite3.connect(target)) as out:
            conn.backup(out)
            out.execute("PRAGMA journal_mode=DELETE")

    def checkpoint(self) -> None:
        """Fold the write-ahead log into the file (before it is moved or copied as a file)."""
        with self._read() as conn:
            conn.execute("PRAGMA wal_checkpoint(TRUNCATE)")

    def to_bytes(self) -> bytes:
        with tempfile.TemporaryDirectory() as folder:
            target = Path(folder) / self.path.name
            self.copy_to(target)
            return target.read_bytes()

    # internals -------------------------------------------------------------------------------------------------------
    def _check_conflict(self, conn: sqlite3.Connection, row: dict[str, Any], after: dict[str, Any], author: str,
                        base_version: int | None, action: str) -> None:
        version = int(row["version"] or 0)
        if base_version is None or version == base_version:
            return
        later = conn.execute("SELECT fid, * FROM edits WHERE fid > ? AND event_id = ? AND status IN ('active', "
                             "'done') ORDER BY fid", (base_version, row["event_id"])).fetchall()
        touched: dict[str, sqlite3.Row] = {}
        for edit in later:
            if edit["action"] == "delete":
                touched.setdefault("the whole event", edit)
            for column in json.loads(edit["after"] or "{}"):
                if column not in _STATE_COLUMNS:
                    touched[column] = edit
        clashes = [FieldConflict(column, _current(row, column), after[column], touched[column]["author"],
                                 touched[column]["at"]) for column in after if column in touched
                   and column not in _STATE_COLUMNS and not _same(_current(row, column), after[column])]
        if not clashes:
            return
        _insert(conn, "edits", [{**_anchor(conn, row), "at": now_iso(), "author": author, "action": action,
                                 "status": "conflict", "fields": ",".join(c.field for c in clashes),
                                 "before": json.dumps({c.field: _json_value(c.theirs) for c in clashes}),
                                 "after": json.dumps({c.field: _json_value(c.mine) for c in clashes}),
                                 "base_version": base_version}])
        conn.execute("COMMIT")  # keep the attempt, then report it
        conn.execute("BEGIN IMMEDIATE")
        raise EditConflict(row["event_id"], clashes, version)

    def _apply(self, conn: sqlite3.Connection, row: dict[str, Any], action: str, author: str,
               before: dict[str, Any], after: dict[str, Any], base_version: int | None, ref: int | None = None,
               status: str = "active") -> int:
        """Log one edit and apply it to the events layer, in the caller's transaction."""
        if action in _REPLAYED:
            _end_redo_chain(conn, author)
        edit = {**_anchor(conn, row), "at": now_iso(), "author": author, "action": action, "status": status,
                "ref": ref, "fields": ",".join(k for k in after if k not in _STATE_COLUMNS) if after else "",
                "before": json.dumps({k: _json_value(v) for k, v in before.items()}),
                "after": json.dumps({k: _json_value(v) for k, v in after.items()}), "base_version": base_version}
        edit_id = _insert(conn, "edits", [edit])
        _apply_to_layer(conn, row["event_id"], _LAYER_ACTION[action], after, edit_id)
        if _LAYER_ACTION[action] == "edit":
            conn.execute("UPDATE edits SET snapshot = ? WHERE fid = ?",
                         (json.dumps(_row_json(_event_row(conn, row["event_id"]))), edit_id))
        return edit_id

    def _reverse(self, conn: sqlite3.Connection, original: dict[str, Any], author: str, kind: str) -> None:
        """Undo (apply ``before``) or redo (apply ``after``) an edit, if nobody changed those fields since."""
        before, after = json.loads(original["before"] or "{}"), json.loads(original["after"] or "{}")
        target = before if kind == "undo" else after
        event_id = original["event_id"]
        if original["action"] == "add_place":
            _insert(conn, "edits", [{"event_id": event_id, "fields": "place", "at": now_iso(), "author": author,
                                     "action": kind, "status": "done", "ref": original["fid"],
                                     "before": json.dumps(after if kind == "undo" else {}),
                                     "after": json.dumps(target)}])
            conn.execute("UPDATE edits SET status = ? WHERE fid = ?", ("undone" if kind == "undo" else "active",
                                                                        original["fid"]))
            if kind == "undo":
                conn.execute("DELETE FROM places WHERE place_id = ?", (event_id,))
            else:
                conn.execute("UPDATE edits SET status = 'redone' WHERE action = 'undo' AND ref = ? AND "
                             "status = 'done'", (original["fid"],))
                self._write_places(conn, [place_from_record(after)], replace=False)
            return
        since = conn.execute("SELECT author, fields FROM edits WHERE fid > ? AND event_id = ? AND author != ? AND "
                             "status = 'active'", (original["fid"], event_id, author)).fetchall()
        fields = set((original["fields"] or "").split(",")) - {""}
        for other in since:
            if fields & set((other["fields"] or "").split(",")) or original["action"] in ("add", "delete"):
                raise WorkspaceError(f"{other['author'] or 'Someone'} changed this event since; it cannot be "
                                     f"{'undone' if kind == 'undo' else 'redone'} without losing their change. "
                                     "Edit it by hand instead.")
        action = original["action"]
        if action == "add":
            effective = "delete" if kind == "undo" else "add"
        elif action == "delete":
            effective = "add" if kind == "undo" else "delete"
        else:
            effective = "edit"
        edit_id = _insert(conn, "edits", [{**{k: original[k] for k in ("event_id", "article_id", "content_hash",
                                                                         "char_start", "char_end", "fields")},
                                            "at": now_iso(), "author": author, "action": kind, "status": "done",
                                            "ref": original["fid"], "before": json.dumps(after if kind == "undo"
                                                                                         else before),
                                            "after": json.dumps(target), "base_version": None}])
        _apply_to_layer(conn, event_id, effective, target, edit_id)
        conn.execute("UPDATE edits SET status = ? WHERE fid = ?", ("undone" if kind == "undo" else "active",
                                                                    original["fid"]))
        if kind == "redo":
            conn.execute("UPDATE edits SET status = 'redone' WHERE action = 'undo' AND ref = ? AND status = 'done'",
                         (original["fid"],))

    def _materialise(self, conn: sqlite3.Connection, outlines: dict[str, Any] | None = None) -> None:
        """Rebuild the events and places layers from the articles' analyses and the active edits. Areas'
        outlines come from ``outlines`` (a new analysis) or from the places layer."""
        shapes = {r["place_id"]: _from_gpkg_blob(r["geom"]) for r in
                  conn.execute("SELECT place_id, geom FROM places WHERE is_area")}
        shapes.update(outlines or {})
        articles = conn.execute("SELECT article_id, content_hash, analysis FROM articles ORDER BY fid").fetchall()
        places: dict[str, Place] = {}
        machine: list[Event] = []
        hashes = {}
        for article in articles:
            record = json.loads(article["analysis"])
            for p in record["places"]:
                if p["place_id"] not in places:
                    place = place_from_record(p)
                    places[place.place_id] = dataclasses.replace(place, geometry=shapes.get(place.place_id))
            machine.extend(event_from_record(e, places) for e in record["events"])
            hashes[article["article_id"]] = article["content_hash"]
        frame = events_frame(merge_events(machine))
        rows = [{**{k: _json_value(v) for k, v in r.items() if k != "geometry"}, "geometry": r["geometry"]}
                for r in frame.to_dict("records")]
        for row in rows:
            row.update(state="machine", edited_by="", verified_by="", origin="machine", version=0)
        rows = _replay(conn, rows, hashes)
        conn.execute("DELETE FROM events")
        _insert(conn, "events", rows)
        self._write_places(conn, [*places.values(), *(p for p in _user_places(conn) if p.place_id not in places)])
        bounds = shapely.total_bounds([r["geometry"] for r in rows if r.get("geometry") is not None]) \
            if rows else [None] * 4
        conn.execute("UPDATE gpkg_contents SET min_x = ?, min_y = ?, max_x = ?, max_y = ?, last_change = ? WHERE "
                     "table_name = 'events'", (*[_json_value(b) for b in bounds], now_iso()))

    def _write_places(self, conn: sqlite3.Connection, places: Iterable[Place], replace: bool = True) -> None:
        """Write ``places`` into the places layer (``replace``: instead of all that is there)."""
        counts: dict[str, list[sqlite3.Row]] = {}
        for m in conn.execute("SELECT place_id, text, start, confidence FROM mentions WHERE place_id IS NOT NULL "
                              "AND kind != 'actor' ORDER BY fid"):
            counts.setdefault(m["place_id"], []).append(m)
        rows = []
        for place in places:
            said = counts.get(place.place_id, [])
            rows.append({
                "place_id": place.place_id, "name": place.name, "kind": place.kind, "country": place.country,
                "admin1": place.admin1, "geonameid": place.geonameid, "population": place.population,
                "mention_count": len(said), "mentions": " | ".join(dict.fromkeys(m["text"] for m in said)),
                "first_start": min((m["start"] for m in said), default=None),
                "confidence": max((m["confidence"] for m in said), default=None),
                "geo_precision": int(place.geo_precision), "uncertainty_km": place.uncertainty_km,
                "is_area": place.is_area, "source": place.source, "lat": place.lat, "lon": place.lon,
                "capital": place.capital, "geometry": place.geometry if place.is_area else Point(place.lon, place.lat),
            })
        if replace:
            conn.execute("DELETE FROM places")
        _insert(conn, "places", rows)


# --- rows ---------------------------------------------------------------------------------------------------------------

def content_hash(text: str) -> str:
    return hashlib.sha1(text.encode("utf-8")).hexdigest()


def _marks(values: Sequence[Any]) -> str:
    return ", ".join("?" for _ in values)


_SQL_TYPES = {"string": "TEXT", "Int64": "INTEGER", "float64": "REAL", "bool": "BOOLEAN",
              "datetime64[ns]": "DATETIME"}


def _insert(conn: sqlite3.Connection, table: str, rows: Iterable[dict[str, Any]]) -> int:
    """Insert rows (geometry as GeoPackage blobs); returns the last row id."""
    last = 0
    rows = list(rows)
    if not rows:
        return 0
    columns = [c for c in rows[0] if c != "geometry"]
    geometry = "geometry" in rows[0]
    names = ", ".join(f'"{c}"' for c in columns) + (', "geom"' if geometry else "")
    sql = f'INSERT INTO "{table}" ({names}) VALUES ({_marks(columns + (["geom"] if geometry else []))})'
    for row in rows:
        values = [_json_value(row.get(c)) for c in columns]
        if geometry:
            values.append(_gpkg_blob(row.get("geometry")))
        last = conn.execute(sql, values).lastrowid or last
    return last


def _decode(row: sqlite3.Row) -> dict[str, Any]:
    record = dict(row)
    record.pop("fid", None)
    record["geometry"] = _from_gpkg_blob(record.pop("geom", None))
    return record


def _event_row(conn: sqlite3.Connection, event_id: str) -> dict[str, Any]:
    row = conn.execute("SELECT * FROM events WHERE event_id = ?", (event_id,)).fetchone()
    if row is None:
        raise EventNotFoundError(f"The event {event_id} is no longer in this workspace (its article was removed, "
                                 "or someone deleted it). Reload to see the current events.")
    return _decode(row)


def _exists(conn: sqlite3.Connection, event_id: str) -> bool:
    return conn.execute("SELECT 1 FROM events WHERE event_id = ?", (event_id,)).fetchone() is not None


def _state(row: dict[str, Any]) -> dict[str, Any]:
    return {k: row.get(k) or "" for k in _STATE_COLUMNS}


def _row_json(row: dict[str, Any]) -> dict[str, Any]:
    """A whole event row as JSON-able data (geometry as lon/lat)."""
    data = {k: _json_value(v) for k, v in row.items() if k not in ("geometry", "fid")}
    geometry = row.get("geometry")
    data["lon"], data["lat"] = (geometry.x, geometry.y) if geometry is not None else (None, None)
    return data


def _anchor(conn: sqlite3.Connection, row: dict[str, Any]) -> dict[str, Any]:
    """Where an edit holds on: the article (by its content hash) and the char span of the event's sentence."""
    article_id = row.get("article_id") or ""
    found = conn.execute("SELECT content_hash FROM articles WHERE article_id = ?", (article_id,)).fetchone()
    return {"event_id": row["event_id"], "article_id": article_id,
            "content_hash": found["content_hash"] if found else "", "char_start": row.get("char_start"),
            "char_end": row.get("char_end")}


def _current(row: dict[str, Any], column: str) -> Any:
    """A column's value in a row; ``lat``/``lon`` from its point."""
    if column in ("lat", "lon"):
        geometry = row.get("geometry")
        return None if geometry is None else (geometry.y if column == "lat" else geometry.x)
    return row.get(column)


def _same(a: Any, b: Any) -> bool:
    return _json_value(a) == _json_value(b)


def _expand(key: str, value: Any) -> dict[str, Any]:
    """The columns an editable field sets."""
    if key == "notes":
        return {"trigger": value or ""}
    if key == "fatalities":
        return {"fatalities": None if value in (None, "") else int(value)}
    if key == "place":
        if not isinstance(value, dict) or value.get("lat") is None or value.get("lon") is None:
            raise WorkspaceError("A place needs a point (lat, lon).")
        lat, lon = float(value["lat"]), float(value["lon"])
        if not (-90 <= lat <= 90 and -180 <= lon <= 180):
            raise WorkspaceError(f"({lat}, {lon}) is not a point on Earth.")
        place = {k: value.get(k) for k in PLACE_COLUMNS}
        place["place_id"] = place["place_id"] or f"user:point:{lat:.5f},{lon:.5f}"
        place["place_name"] = place["place_name"] or f"{lat:.4f}, {lon:.4f}"
        place["place_kind"] = place["place_kind"] or "point"
        place["geo_precision"] = int(place["geo_precision"] or 1)
        place["uncertainty_km"] = float(place["uncertainty_km"] or 0.0)
        place["place_text"] = place["place_text"] or ""
        return {**place, "lat": lat, "lon": lon}
    if key == "dates":
        start = pd.Timestamp(value["date_start"]) if value.get("date_start") else None
        end = pd.Timestamp(value["date_end"]) if value.get("date_end") else None
        precision = value.get("time_precision") or "day"
        if precision not in _PRECISION_CODES:
            raise WorkspaceError(f"Time precision {precision!r} is not one of {', '.join(_PRECISION_CODES)}.")
        if start is None and end is None:
            raise WorkspaceError("An event needs a date.")
        if end is None:
            end = start + pd.Timedelta(hours=1) if precision == "hour" else start + pd.Timedelta(days=1)
        if start is not None and end <= start:
            raise WorkspaceError("The end of the date range must come after its start.")
        return {"date_start": start, "date_end": end, "time_precision": precision,
                "time_precision_code": _PRECISION_CODES[precision]}
    if key == "event_type" and value not in {t.value for t in EventType}:
        raise WorkspaceError(f"{value!r} is not an event type; choose one of "
                             f"{', '.join(t.value for t in EventType)}.")
    return {key: value}


def _row_from_json(data: dict[str, Any]) -> dict[str, Any]:
    row = {k: v for k, v in data.items() if k not in ("lat", "lon")}
    row["geometry"] = Point(data["lon"], data["lat"]) if data.get("lon") is not None else None
    return row


def _set_columns(row: dict[str, Any], after: dict[str, Any]) -> None:
    for key, value in after.items():
        if key in ("lat", "lon"):
            continue
        row[key] = value
    if "lat" in after and after.get("lat") is not None:
        row["geometry"] = Point(float(after["lon"]), float(after["lat"]))


def _apply_to_layer(conn: sqlite3.Connection, event_id: str, action: str, after: dict[str, Any], version: int) -> None:
    if action == "delete":
        conn.execute("DELETE FROM events WHERE event_id = ?", (event_id,))
        return
    if action == "add":
        row = _row_from_json(after)
        row["version"] = version
        _insert(conn, "events", [row])
        return
    row = _event_row(conn, event_id)
    _set_columns(row, after)
    row["version"] = version
    columns = [c for c in row if c != "geometry"]
    conn.execute(f"UPDATE events SET {', '.join(f'{chr(34)}{c}{chr(34)} = ?' for c in columns)}, geom = ? "
                 "WHERE event_id = ?", [*(_json_value(row[c]) for c in columns), _gpkg_blob(row["geometry"]),
                                        event_id])


def _replay(conn: sqlite3.Connection, rows: list[dict[str, Any]], hashes: dict[str, str]) -> list[dict[str, Any]]:
    """Apply the active edits, in order, to freshly merged machine rows (see the module docstring)."""
    by_span: dict[tuple[str, int, int], dict[str, Any]] = {}
    by_id: dict[str, dict[str, Any]] = {}
    for row in rows:
        by_id[row["event_id"]] = row
        for telling in json.loads(row["sources"] or "[]"):
            by_span[(telling["article_id"], telling["char_start"], telling["char_end"])] = row
    deleted: set[int] = set()
    for edit in conn.execute(f"SELECT fid, * FROM edits WHERE status = 'active' AND action IN ({_marks(_REPLAYED)}) "
                             "ORDER BY fid", _REPLAYED):
        if edit["article_id"] and edit["article_id"] not in hashes:
            continue  # the article was removed, with its events
        if edit["content_hash"] and hashes.get(edit["article_id"]) not in (None, edit["content_hash"]):
            continue  # the article's text changed: its spans mean something else now
        after = json.loads(edit["after"] or "{}")
        if edit["action"] == "add":
            row = _row_from_json(after)
            row["version"] = edit["fid"]
            rows.append(row)
            by_id[row["event_id"]] = row
            continue
        target = by_span.get((edit["article_id"], edit["char_start"], edit["char_end"])) \
            or by_id.get(edit["event_id"])
        if target is None or id(target) in deleted:
            if edit["action"] == "delete":
                continue
            # The pipeline no longer finds this event: it comes back as the person left it.
            if not edit["snapshot"]:
                continue
            target = _row_from_json(json.loads(edit["snapshot"]))
            target["origin"] = "person"
            if target["event_id"] in by_id:
                target["event_id"] = f"{target['event_id']}-kept"
            rows.append(target)
            by_id[target["event_id"]] = target
            if edit["event_id"] != target["event_id"]:
                by_id.setdefault(edit["event_id"], target)
        if edit["action"] == "delete":
            deleted.add(id(target))
        else:
            _set_columns(target, after)
        target["version"] = edit["fid"]
    return [r for r in rows if id(r) not in deleted]


def _end_redo_chain(conn: sqlite3.Connection, author: str) -> None:
    """A new edit ends this person's redo chain: what they undid can no longer be redone."""
    conn.execute("UPDATE edits SET status = 'dropped' WHERE author = ? AND status = 'undone'", (author,))


def _user_places(conn: sqlite3.Connection) -> list[Place]:
    return [place_from_record(json.loads(r["after"])) for r in
            conn.execute("SELECT after FROM edits WHERE action = 'add_place' AND status = 'active' ORDER BY fid")]


def _describe(edit: dict[str, Any]) -> str:
    if edit["action"] == "add_place":
        return f"adding the place {json.loads(edit['after'] or '{}').get('name', '')}"
    what = {"add": "adding", "delete": "deleting", "accept": "accepting", "verify": "verifying"}.get(
        edit["action"], f"the change of {edit['fields'].replace(',', ', ')}")
    return f"{what} ({edit['event_id']})"


# --- the folder of workspaces -------------------------------------------------------------------------------------------

_SLUG = re.compile(r"[^a-z0-9]+")
_NOT_WORD = re.compile(r"[\W_]+")


def slug_for(name: str) -> str:
    """The id of a workspace named ``name``, for addresses and file names on any system: ASCII, its accents taken
    off ("Kraków" is "krakow", not "krak-w")."""
    plain = "".join(c for c in unicodedata.normalize("NFKD", name.lower()) if not unicodedata.combining(c))
    return _SLUG.sub("-", plain).strip("-")[:60] or "workspace"


def file_stem(name: str) -> str:
    """A name for a file downloaded from the workspace ``name``: its words as written, accents and scripts kept
    ("Kraków, Poland" is "Kraków-Poland", "Київ" stays), without what a file system or a shell would trip on."""
    return _NOT_WORD.sub("-", unicodedata.normalize("NFC", name)).strip("-")[:80] or "workspace"


class WorkspaceFolder:
    """The workspaces in one folder (``Settings.workspaces_dir``): each ``<slug>.gpkg``; the slug is the
    workspace's id in links and never changes (renaming changes its name only). Deleting moves the file into
    ``.deleted/`` (nothing is lost by a wrong click)."""

    def __init__(self, path: Path) -> None:
        self.path = Path(path)

    def _ensure(self) -> None:
        try:
            self.path.mkdir(parents=True, exist_ok=True)
        except OSError as err:
            raise WorkspaceError(f"The workspaces folder {self.path} cannot be created ({err.strerror}); set "
                                 "SITMAP_WORKSPACES to a writable folder.") from err

    def list(self) -> list[tuple[str, str]]:
        """(slug, name) of every workspace, by name."""
        if not self.path.is_dir():
            return []
        found = []
        for path in sorted(self.path.glob(f"*{SUFFIX}")):
            try:
                found.append((path.stem, WorkspaceStore(path).name))
            except WorkspaceError:
                log.warning("skipping %s: not a workspace", path)
        return sorted(found, key=lambda item: item[1].lower())

    def exists(self, slug: str) -> bool:
        return bool(_SLUG_OK.fullmatch(slug)) and (self.path / f"{slug}{SUFFIX}").is_file()

    def open(self, slug: str) -> WorkspaceStore:
        if not _SLUG_OK.fullmatch(slug or ""):
            raise WorkspaceError(f"{slug!r} is not a workspace id.")
        path = self.path / f"{slug}{SUFFIX}"
        if not path.is_file():
            raise WorkspaceError(f"There is no workspace {slug!r} here (it may have been deleted).")
        return WorkspaceStore(path)

    def create(self, name: str, slug: str | None = None) -> tuple[str, WorkspaceStore]:
        """A new workspace named ``name``; its id is ``slug`` or made from the name (unique in the folder)."""
        self._ensure()
        name = name.strip() or "Workspace"
        slug_given = slug is not None
        base = slug or slug_for(name)
        slug, n = base, 2
        while (self.path / f"{slug}{SUFFIX}").exists():
            slug, n = f"{base}-{n}", n + 1
        if slug != base and not slug_given:  # the same name again: told apart in the list ("Lyon (2)")
            name = f"{name} ({n - 1})"
        create_file(self.path / f"{slug}{SUFFIX}", name)
        return slug, WorkspaceStore(self.path / f"{slug}{SUFFIX}")

    def ensure(self, slug: str, name: str, fill: Callable[[WorkspaceStore], None]) -> str:
        """Workspace ``slug``; if it is not there, made (named ``name``) and filled by ``fill`` under a hidden
        name, then moved in place — so nobody ever opens it half made — and once, even when several sessions
        arrive together (a lock on the folder)."""
        if self.exists(slug):
            return slug
        self._ensure()
        with open(self.path / ".lock", "w") as lock:
            fcntl.flock(lock, fcntl.LOCK_EX)
            if self.exists(slug):
                return slug
            temp = self.path / f".making-{slug}{SUFFIX}"
            try:
                create_file(temp, name)
                store = WorkspaceStore(temp)
                fill(store)
                store.checkpoint()
                os.replace(temp, self.path / f"{slug}{SUFFIX}")
            finally:
                for suffix in ("", "-wal", "-shm"):
                    Path(f"{temp}{suffix}").unlink(missing_ok=True)
            return slug

    def delete(self, slug: str, author: str = "") -> Path:
        """Move the workspace into ``.deleted/`` (returns where it went); ``author``: who deleted it, kept with it
        (on a shared server anyone who may edit a workspace may delete it, and it can be brought back)."""
        store = self.open(slug)
        trash = self.path / ".deleted"
        trash.mkdir(exist_ok=True)
        target = trash / f"{slug}-{time.strftime('%Y%m%d-%H%M%S')}{SUFFIX}"
        store.copy_to(target)
        with WorkspaceStore(target)._write() as conn:
            conn.execute("DELETE FROM meta WHERE key = 'deleted_by'")
            conn.execute("INSERT INTO meta (key, value) VALUES ('deleted_by', ?)", (author,))
        for suffix in (SUFFIX, f"{SUFFIX}-wal", f"{SUFFIX}-shm"):
            (self.path / f"{slug}{suffix}").unlink(missing_ok=True)
        return target

    def deleted(self) -> list[tuple[str, str, str, str]]:
        """(file, name, when deleted, who deleted it: "" if not known) of each deleted workspace kept in
        ``.deleted/``, the latest first."""
        trash = self.path / ".deleted"
        found = []
        for path in trash.glob(f"*{SUFFIX}") if trash.is_dir() else ():
            stamp = _TRASHED.fullmatch(path.stem)
            if not stamp:
                continue
            try:
                kept = WorkspaceStore(path)
                name, who = kept.name, kept.meta("deleted_by")
            except WorkspaceError:
                continue
            when = dt.datetime.strptime(stamp.group(2), "%Y%m%d-%H%M%S")
            found.append((path.name, name, when.strftime("%Y-%m-%d %H:%M"), who))
        return sorted(found, key=lambda item: item[2], reverse=True)

    def restore(self, file: str) -> str:
        """Bring back a deleted workspace (``file`` of :meth:`deleted`) under its own id, or a new one if that was
        taken since; returns the id. Its articles, edits and links come back with it."""
        stamp = _TRASHED.fullmatch(Path(file).stem)
        source = self.path / ".deleted" / Path(file).name
        if not stamp or Path(file).name != file:
            raise WorkspaceError(f"{file!r} is not a deleted workspace.")
        with open(self.path / ".lock", "w") as lock:
            fcntl.flock(lock, fcntl.LOCK_EX)  # (two people restoring it at once: one brings it back)
            if not source.is_file():
                raise WorkspaceError("That workspace was brought back already (or its copy is gone).")
            base = slug = stamp.group(1)
            n = 2
            while (self.path / f"{slug}{SUFFIX}").exists():
                slug, n = f"{base}-{n}", n + 1
            os.replace(source, self.path / f"{slug}{SUFFIX}")
        with self.open(slug)._write() as conn:
            conn.execute("DELETE FROM meta WHERE key = 'deleted_by'")
        return slug


_SLUG_OK = re.compile(r"[a-z0-9][a-z0-9-]{0,80}")
_TRASHED = re.compile(r"([a-z0-9][a-z0-9-]{0,80})-(\d{8}-\d{6})")  # the id and when it was deleted
