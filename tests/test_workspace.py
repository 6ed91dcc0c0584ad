"""The workspace file: a GeoPackage others can open, edits that last, conflicts instead of lost edits, undo/redo,
re-analysis keeping human edits, and a kill -9 in the middle of a burst of edits losing nothing committed."""

from __future__ import annotations

import dataclasses
import os
import signal
import sqlite3
import subprocess
import sys
import textwrap
import time
from pathlib import Path

import geopandas as gpd
import pandas as pd
import pyogrio
import pytest

from geo.pipeline import Analysis, Pipeline
from geo.workspace import (
    EVENT_LAYER_SCHEMA,
    PLACE_LAYER_SCHEMA,
    EditConflict,
    WorkspaceError,
    WorkspaceFolder,
    WorkspaceStore,
)
from tests.conftest import ROOT, SAMPLE

OTHER = ("Protesters marched through Lyon on Saturday, 12 March 2022. Police fired tear gas at the crowd near the "
         "city hall, and three people were arrested.")


@pytest.fixture()
def folder(tmp_path: Path) -> WorkspaceFolder:
    return WorkspaceFolder(tmp_path / "ws")


@pytest.fixture()
def store(folder: WorkspaceFolder, sample: Analysis) -> WorkspaceStore:
    _, store = folder.create("Mariupol week")
    store.put_analysis(sample, SAMPLE.read_text(encoding="utf-8"), "sample.txt", author="ann")
    return store


def _first_event(store: WorkspaceStore) -> pd.Series:
    events = store.events()
    return events[events["event_type"] != "Statement"].iloc[0]


def test_folder_create_list_rename_delete(folder: WorkspaceFolder) -> None:
    slug, store = folder.create("Mariupol, April 2022")
    assert slug == "mariupol-april-2022"
    again, second = folder.create("Mariupol, April 2022")
    assert again == "mariupol-april-2022-2" and second.name == "Mariupol, April 2022 (2)"  # told apart in the list
    revision = store.revision()
    store.rename("Siege of Mariupol")
    assert folder.open(slug).name == "Siege of Mariupol"  # the id in links does not change
    assert store.revision() != revision  # what is drawn from the workspace is drawn again
    assert [s for s, _ in folder.list()] == ["mariupol-april-2022-2", "mariupol-april-2022"]
    deleted = folder.open(slug)
    kept = folder.delete(slug)
    assert kept.is_file() and not folder.exists(slug)  # moved aside, not destroyed
    with pytest.raises(WorkspaceError, match="not there any more"):
        deleted.rename("Again")  # a store of a deleted workspace never makes an empty file again
    assert not folder.exists(slug) and WorkspaceStore(kept).name == "Siege of Mariupol"
    with pytest.raises(WorkspaceError, match="no workspace"):
        folder.open(slug)
    with pytest.raises(WorkspaceError, match="not a workspace id"):
        folder.open("../etc/passwd")


def test_a_deleted_workspace_comes_back_with_its_articles(folder: WorkspaceFolder, sample) -> None:
    slug, store = folder.create("Odesa, June 2022")
    store.put_analysis(sample, SAMPLE.read_text(encoding="utf-8"), "sample.txt", author="ann")
    folder.delete(slug, author="bo")
    [(file, name, when, who)] = folder.deleted()
    assert name == "Odesa, June 2022" and when[:2] == "20" and who == "bo"  # (who deleted it is told)
    folder.create("Odesa, June 2022")  # its id taken meanwhile: it comes back beside it
    back = folder.restore(file)
    assert back == f"{slug}-2" and folder.open(back).name == "Odesa, June 2022"
    assert len(folder.open(back).articles()) == 1 and folder.deleted() == [] and not folder.open(back).meta("deleted_by")
    with pytest.raises(WorkspaceError, match="brought back already"):
        folder.restore(file)
    with pytest.raises(WorkspaceError, match="not a deleted workspace"):
        folder.restore("../sample.gpkg")


def test_the_sample_is_made_once_even_by_sessions_arriving_together(folder: WorkspaceFolder) -> None:
    import threading

    calls: list[str] = []

    def fill(store: WorkspaceStore) -> None:
        calls.append(store.path.stem)
        time.sleep(0.2)  # the others arrive meanwhile

    threads = [threading.Thread(target=folder.ensure, args=("sample", "Sample", fill)) for _ in range(4)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert len(calls) == 1 and [s for s, _ in folder.list()] == ["sample"]


def test_the_file_is_a_geopackage_that_geopandas_and_gdal_open(store: WorkspaceStore, sample: Analysis) -> None:
    layers = dict(pyogrio.list_layers(store.path))
    assert layers["events"] == "Point"
    assert {"places", "articles", "mentions", "edits", "tokens", "meta"} <= set(layers)
    events = gpd.read_file(store.path, layer="events")
    assert events.crs.to_epsg() == 4326
    assert len(events) == len(sample.events) - 0 or len(events) > 0
    assert set(events["event_id"]) == set(store.events()["event_id"])
    mariupol = events[events["place_name"] == "Mariupol"].geometry.iloc[0]
    assert (round(mariupol.y, 1), round(mariupol.x, 1)) == (47.1, 37.5)
    assert len(gpd.read_file(store.path, layer="places")) == len(store.places())
    assert len(pd.DataFrame(gpd.read_file(store.path, layer="mentions"))) == len(sample.resolutions)
    assert list(store.events().columns) == list(EVENT_LAYER_SCHEMA)
    assert list(store.places().columns) == list(PLACE_LAYER_SCHEMA)
    articles = store.articles()
    assert articles["article_id"].tolist() == [sample.article.article_id]
    assert articles["n_events"].tolist() == [len(sample.events)]


def test_an_edit_lasts_with_who_when_before_and_after(store: WorkspaceStore) -> None:
    event = _first_event(store)
    version = store.edit_event(event.event_id, {"actor1": "Mayor's office", "fatalities": 4}, "ann", base_version=0)
    reopened = WorkspaceStore(store.path)
    row = reopened.event(event.event_id)
    assert (row["actor1"], row["fatalities"], row["state"], row["edited_by"], row["version"]) == \
        ("Mayor's office", 4, "edited", "ann", version)
    edit = reopened.history().iloc[0]
    assert (edit["author"], edit["action"], edit["fields"]) == ("ann", "edit", "actor1,fatalities")
    assert '"actor1": "Mayor\'s office"' in edit["after"] and f'"actor1": "{event.actor1}"' in edit["before"]
    assert gpd.read_file(store.path, layer="events").set_index("event_id").loc[event.event_id, "actor1"] == \
        "Mayor's office"


def test_a_stale_save_of_the_same_field_is_a_conflict_not_a_lost_edit(store: WorkspaceStore) -> None:
    event = _first_event(store)
    store.edit_event(event.event_id, {"actor1": "Ann's actor"}, "ann", base_version=0)
    with pytest.raises(EditConflict) as caught:
        store.edit_event(event.event_id, {"actor1": "Bob's actor"}, "bob", base_version=0)
    conflict = caught.value.conflicts[0]
    assert (conflict.field, conflict.theirs, conflict.mine, conflict.their_author) == \
        ("actor1", "Ann's actor", "Bob's actor", "ann")
    assert store.event(event.event_id)["actor1"] == "Ann's actor"
    kept = store.history()
    assert kept.iloc[0]["status"] == "conflict" and "Bob's actor" in kept.iloc[0]["after"]
    # another field from the same stale version is no conflict; choosing "mine" knowing theirs saves it
    store.edit_event(event.event_id, {"actor2": "Bob's second"}, "bob", base_version=0)
    store.edit_event(event.event_id, {"actor1": "Bob's actor"}, "bob", base_version=caught.value.version + 1)
    row = store.event(event.event_id)
    assert (row["actor1"], row["actor2"]) == ("Bob's actor", "Bob's second")


def test_undo_and_redo_across_reopening(store: WorkspaceStore) -> None:
    event = _first_event(store)
    store.edit_event(event.event_id, {"event_type": "Battles", "sub_event_type": "Armed clash"}, "ann")
    again = WorkspaceStore(store.path)
    assert again.can_undo("ann") and not again.can_undo("bob")
    assert again.undo("ann") is not None
    row = WorkspaceStore(store.path).event(event.event_id)
    assert (row["event_type"], row["sub_event_type"], row["state"]) == (event.event_type, event.sub_event_type,
                                                                        "machine")
    assert WorkspaceStore(store.path).redo("ann") is not None
    assert WorkspaceStore(store.path).event(event.event_id)["event_type"] == "Battles"
    assert not store.can_redo("ann")
    # someone else's later change of the same field is not undone from under them
    store.edit_event(event.event_id, {"event_type": "Riots"}, "bob")
    with pytest.raises(WorkspaceError, match="bob changed this event since"):
        store.undo("ann")
    assert store.event(event.event_id)["event_type"] == "Riots"


def test_verified_needs_a_second_person(store: WorkspaceStore) -> None:
    event = _first_event(store)
    store.accept(event.event_id, "ann")
    assert store.event(event.event_id)["state"] == "edited"
    with pytest.raises(WorkspaceError, match="second person"):
        store.accept(event.event_id, "ann")
    store.accept(event.event_id, "bob")
    row = store.event(event.event_id)
    assert (row["state"], row["edited_by"], row["verified_by"]) == ("verified", "ann", "bob")
    store.edit_event(event.event_id, {"fatalities": 2}, "cat")  # a later change needs confirming again
    assert store.event(event.event_id)["state"] == "edited"


def test_reanalysis_keeps_human_edits(store: WorkspaceStore, sample: Analysis, pipeline: Pipeline) -> None:
    events = store.events()
    moved, deleted = events.iloc[0], events.iloc[1]
    store.edit_event(moved.event_id, {"place": {"lat": 47.2, "lon": 37.6, "place_name": "Port"}}, "ann")
    store.delete_event(deleted.event_id, "ann")
    added = store.add_event({"event_type": "Battles", "sub_event_type": "Armed clash", "date_start": "2022-04-18",
                             "place": {"lat": 47.0, "lon": 37.3, "place_name": "Village"},
                             "article_id": sample.article.article_id, "sentence_index": 2,
                             "sentence": sample.article.sentences[2].text,
                             "char_start": sample.article.sentences[2].start,
                             "char_end": sample.article.sentences[2].end}, "bob")
    store.put_analysis(sample, SAMPLE.read_text(encoding="utf-8"), "sample.txt")  # analysed again
    after = store.events().set_index("event_id")
    assert after.loc[moved.event_id, "place_name"] == "Port"
    assert round(after.loc[moved.event_id].geometry.y, 3) == 47.2
    assert deleted.event_id not in after.index
    assert added in after.index and after.loc[added, "origin"] == "person"
    # the pipeline no longer finding an edited event: it comes back as the person left it
    fewer = dataclasses.replace(sample, events=tuple(e for e in sample.events if e.event_id != moved.event_id
                                                     and moved.event_id not in
                                                     {f"{t.article_id}-e{t.sentence_index:03d}" for t in e.tellings}))
    store.put_analysis(fewer, SAMPLE.read_text(encoding="utf-8"), "sample.txt")
    assert store.events().set_index("event_id").loc[moved.event_id, "place_name"] == "Port"


def test_a_missing_place_is_added_found_used_and_kept(store: WorkspaceStore, sample: Analysis) -> None:
    place = store.add_place("  Checkpoint   Zaliznychna ", 47.11, 37.52, "ann", kind="landmark", country="UA")
    assert place.name == "Checkpoint Zaliznychna" and place.source == "user"
    layer = gpd.read_file(store.path, layer="places").set_index("place_id")  # as QGIS sees the file
    assert layer.loc[place.place_id, "kind"] == "landmark" and layer.loc[place.place_id, "source"] == "user"
    assert round(layer.loc[place.place_id].geometry.x, 2) == 37.52
    assert [p.place_id for p in store.find_places("zalizn")] == [place.place_id]
    assert store.find_places("Kyiv") == [] and store.find_places("  ") == []
    event = _first_event(store)
    store.edit_event(event.event_id, {"place": {"place_id": place.place_id, "place_name": place.name,
                                                "place_kind": place.kind, "lat": place.lat, "lon": place.lon}}, "ann")
    store.put_analysis(sample, SAMPLE.read_text(encoding="utf-8"), "sample.txt")  # re-analysis keeps the place
    assert place.place_id in set(store.places()["place_id"])
    assert store.event(event.event_id)["place_id"] == place.place_id
    # undo goes back edit by edit: the move, then the place
    assert store.undo("ann").startswith("the change of place")
    assert store.undo("ann") == "adding the place Checkpoint Zaliznychna"
    assert place.place_id not in set(WorkspaceStore(store.path).places()["place_id"])
    assert store.find_places("zalizn") == []
    assert store.redo("ann") == "adding the place Checkpoint Zaliznychna"
    assert place.place_id in set(store.places()["place_id"])
    with pytest.raises(WorkspaceError, match="needs a name"):
        store.add_place(" ", 47.0, 37.0, "ann")
    with pytest.raises(WorkspaceError, match="not a point on Earth"):
        store.add_place("Nowhere", 95.0, 37.0, "ann")
    with pytest.raises(WorkspaceError, match="added by hand is one of"):
        store.add_place("Donetsk oblast", 48.0, 37.8, "ann", kind="admin1")


def test_two_articles_and_removing_one(store: WorkspaceStore, pipeline: Pipeline, sample: Analysis) -> None:
    other = pipeline.analyze(pipeline.load(OTHER, article_id="lyon"))
    store.put_analysis(other, OTHER, "lyon.txt", author="bob")
    assert store.articles()["article_id"].tolist() == [sample.article.article_id, "lyon"]
    lyon_events = store.events().query("article_id == 'lyon'")
    assert len(lyon_events) >= 1
    store.edit_event(lyon_events.iloc[0].event_id, {"fatalities": 1}, "bob")
    store.remove_article("lyon")
    assert "lyon" not in set(store.events()["article_id"])
    assert len(store.events()) == len(sample.events)
    assert "lyon" not in set(store.mentions()["article_id"])
    with pytest.raises(WorkspaceError, match="No article"):
        store.remove_article("lyon")


FARMERS = ("Farmers blocked roads across Brittany, France, on Monday, 14 March 2022, and police detained four of "
           "them near the regional parliament.")


def test_a_removed_article_comes_back_with_its_events_edits_and_outlines(store: WorkspaceStore, pipeline: Pipeline,
                                                                         sample: Analysis) -> None:
    other = pipeline.analyze(pipeline.load(FARMERS, article_id="farmers"))
    store.put_analysis(other, FARMERS, "farmers.txt", author="bob")
    before = store.events().query("article_id == 'farmers'")
    store.edit_event(before.iloc[0].event_id, {"fatalities": 7}, "bob")
    outlines = store.places().query("is_area").set_index("place_id").geometry
    store.remove_article("farmers", author="ann")
    assert len(store.places().query("is_area")) < len(outlines)  # the outlines only this article named went
    assert [(r["article_id"], r["removed_by"]) for r in store.removed_articles()] == [("farmers", "ann")]
    assert store.restore_article("farmers") == (other.article.title or "farmers.txt")
    assert store.removed_articles() == []
    after = store.events().query("article_id == 'farmers'")
    assert sorted(after["event_id"]) == sorted(before["event_id"])
    assert after.set_index("event_id").loc[before.iloc[0].event_id, "fatalities"] == 7  # the edit replayed
    restored = store.places().query("is_area").set_index("place_id").geometry
    assert sorted(restored.index) == sorted(outlines.index)
    assert all(restored[k].equals(outlines[k]) for k in outlines.index)  # drawn as before, not as points
    assert store.articles()["article_id"].tolist() == [sample.article.article_id, "farmers"]
    with pytest.raises(WorkspaceError, match="No removed article"):
        store.restore_article("farmers")
    # Removed, then added again before anyone restored it: the new copy stays, the old one is dropped.
    store.remove_article("farmers")
    store.put_analysis(other, FARMERS, "farmers.txt", author="bob")
    store.restore_article("farmers")
    assert store.articles()["article_id"].tolist().count("farmers") == 1


def test_links_view_only_and_edit(store: WorkspaceStore) -> None:
    assert store.access(None) == "edit"  # a workspace nobody shared is the owner's
    view, edit = store.token("view", "ann"), store.token("edit", "ann")
    assert view != edit and store.token("view") == view
    assert store.access(view) == "view"
    assert store.access(edit) == "edit"
    assert store.access(None) == "view" and store.access("guess") == "view"


def test_a_downloaded_copy_is_one_self_contained_file(store: WorkspaceStore, tmp_path: Path) -> None:
    event = _first_event(store)
    store.edit_event(event.event_id, {"actor2": "Copied"}, "ann")
    target = tmp_path / "copy.gpkg"
    target.write_bytes(store.to_bytes())
    assert not Path(f"{target}-wal").exists()
    assert gpd.read_file(target, layer="events").set_index("event_id").loc[event.event_id, "actor2"] == "Copied"
    assert WorkspaceStore(target).event(event.event_id)["actor2"] == "Copied"


def test_not_a_workspace(tmp_path: Path) -> None:
    bad = tmp_path / "notes.gpkg"
    bad.write_text("hello")
    with pytest.raises(WorkspaceError, match="not a Situation Map workspace"):
        WorkspaceStore(bad)


WRITER = textwrap.dedent("""
    import sys
    from geo.workspace import WorkspaceStore
    store = WorkspaceStore(sys.argv[1])
    for n in range(100000):
        version = store.edit_event(sys.argv[2], {"fatalities": n}, "writer")
        print(n, version, flush=True)
""")


@pytest.mark.slow
def test_kill_9_during_a_burst_of_edits_loses_no_committed_edit(store: WorkspaceStore) -> None:
    event = _first_event(store)
    writer = subprocess.Popen([sys.executable, "-c", WRITER, str(store.path), event.event_id], cwd=ROOT,
                              stdout=subprocess.PIPE, text=True, env={**os.environ, "PYTHONPATH": str(ROOT)})
    assert writer.stdout is not None
    committed: list[tuple[int, int]] = []
    deadline = time.monotonic() + 60
    while len(committed) < 40 and time.monotonic() < deadline:
        line = writer.stdout.readline()
        if line:
            committed.append(tuple(int(x) for x in line.split()))  # type: ignore[arg-type]
    writer.send_signal(signal.SIGKILL)  # mid-write: the next edit is under way
    writer.wait()
    assert len(committed) == 40
    with sqlite3.connect(store.path) as conn:
        assert conn.execute("PRAGMA integrity_check").fetchone()[0] == "ok"
    reopened = WorkspaceStore(store.path)
    row = reopened.event(event.event_id)
    last_n, last_version = committed[-1]
    assert row["fatalities"] >= last_n and row["version"] >= last_version  # the kill came after these commits
    logged = set(reopened.history()["edit_id"])
    assert all(version in logged for _, version in committed)
    assert len(gpd.read_file(store.path, layer="events")) == len(reopened.events())


def test_sessions_creating_workspaces_at_the_same_moment(folder: WorkspaceFolder) -> None:
    import threading

    failures: list[str] = []

    def create(n: int) -> None:
        try:
            _, store = folder.create(f"Town {n}")
            store.rename(f"Town {n}, renamed")
        except Exception as err:  # noqa: BLE001 - collected and asserted below
            failures.append(repr(err))

    threads = [threading.Thread(target=create, args=(n,)) for n in range(8)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert failures == []
    assert sorted(name for _, name in folder.list()) == sorted(f"Town {n}, renamed" for n in range(8))


def test_a_workspace_made_before_the_why_columns_gets_them_and_keeps_its_edits(store: WorkspaceStore,
                                                                                sample: Analysis) -> None:
    event = _first_event(store)
    store.edit_event(event.event_id, {"actor1": "Mayor's office"}, "ann", base_version=0)
    assert event.why_placed  # a workspace made now has them
    # The file as an earlier version wrote it: no provenance columns, and analyses recorded without them.
    with sqlite3.connect(store.path) as conn:
        for column in ("why_typed", "why_placed", "why_dated"):
            conn.execute(f'ALTER TABLE events DROP COLUMN "{column}"')
    reopened = WorkspaceStore(store.path)
    row = reopened.event(event.event_id)
    assert row["actor1"] == "Mayor's office" and pd.isna(row["why_placed"])  # columns back, empty, edit kept
    reopened.put_analysis(sample, SAMPLE.read_text(encoding="utf-8"), "sample.txt", author="ann")
    row = reopened.event(event.event_id)
    assert row["actor1"] == "Mayor's office" and row["why_placed"] == event.why_placed
    assert "why_placed" in gpd.read_file(store.path, layer="events").columns  # GDAL reads the added column


def test_ids_drop_accents_to_plain_letters_and_file_names_keep_them() -> None:
    from geo.workspace import file_stem, slug_for

    # walkthrough: a downloaded file was named "krak-w-..." for a workspace called "Kraków"
    assert slug_for("Kraków, Poland") == "krakow-poland"
    assert slug_for("São Tomé") == "sao-tome"
    assert slug_for("Київ") == "workspace"  # no Latin letters: the generic id (the name stays the name)
    assert file_stem("Kraków, Poland") == "Kraków-Poland"
    assert file_stem("Київ / Kyiv: 24 Feb") == "Київ-Kyiv-24-Feb"
    assert file_stem("../../etc") == "etc" and file_stem("***") == "workspace"
