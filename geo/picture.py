"""Pictures for slides, drawn offline: the map of some events as a PNG, and the playback (events appearing day by
day) as an animated GIF. matplotlib draws the same layers as the interactive map (Natural Earth land, named areas,
town names, markers coloured by side or type and shaped by type); events at one place are fanned out around it,
as a click on their group does on the map. Web Mercator, like the map."""

from __future__ import annotations

import io
import math
from collections import defaultdict
from collections.abc import Sequence

import geopandas as gpd
import matplotlib

matplotlib.use("Agg")  # no display: a server or a notebook

import matplotlib.pyplot as plt  # noqa: E402
import pandas as pd  # noqa: E402
import shapely  # noqa: E402
from matplotlib.lines import Line2D  # noqa: E402
from PIL import Image  # noqa: E402
from pyproj import Transformer  # noqa: E402

from geo.frames import happenings  # noqa: E402
from geo.gazetteer import OfflineGazetteer  # noqa: E402
from geo.mapview import (  # noqa: E402
    AREA_STYLE,
    EVENT_COLORS,
    EVENT_SHAPES,
    LAND,
    SEA,
    BaseLayers,
    prepare_base_layers,
    timeline_days,
)
from geo.settings import Settings  # noqa: E402

#: matplotlib's marker for each shape of the map's markers.
MARKERS = {"circle": "o", "ring": "o", "square": "s", "diamond": "D", "triangle": "v", "hexagon": "h", "star": "*"}
_TO_METRES = Transformer.from_crs("EPSG:4326", "EPSG:3857", always_xy=True)


def _xy(lon: float, lat: float) -> tuple[float, float]:
    return _TO_METRES.transform(lon, max(-85.0, min(85.0, lat)))


def _frame(layers: BaseLayers, aspect: float, bounds: tuple[float, float, float, float] | None = None
           ) -> tuple[float, float, float, float]:
    """(x0, y0, x1, y1) in metres around ``bounds`` (south, west, north, east; default: the layers' own),
    widened to the picture's aspect ratio."""
    south, west, north, east = bounds or layers.bounds
    x0, y0 = _xy(west, south)
    x1, y1 = _xy(east, north)
    w, h = x1 - x0, y1 - y0
    if w / h < aspect:
        grow = (h * aspect - w) / 2
        x0, x1 = x0 - grow, x1 + grow
    else:
        grow = (w / aspect - h) / 2
        y0, y1 = y0 - grow, y1 + grow
    return x0, y0, x1, y1


def _draw_base(ax: plt.Axes, layers: BaseLayers) -> None:
    ax.set_facecolor(SEA)
    for collection, part in ((layers.world, None), (layers.detail, "land")):
        features = [f for f in collection["features"] if part is None or f["properties"].get("part") == part]
        if features:
            gpd.GeoDataFrame.from_features(features, crs="EPSG:4326").to_crs("EPSG:3857").plot(
                ax=ax, color=LAND, linewidth=0)
    borders = [f for f in layers.detail["features"] if f["properties"].get("part") == "border"]
    if borders:
        gpd.GeoDataFrame.from_features(borders, crs="EPSG:4326").to_crs("EPSG:3857").plot(
            ax=ax, color="#9b9282", linewidth=0.8)
    if layers.admin_lines["features"]:
        gpd.GeoDataFrame.from_features(layers.admin_lines["features"], crs="EPSG:4326").to_crs("EPSG:3857").plot(
            ax=ax, color="#c9c2b1", linewidth=0.6, linestyle=(0, (3, 3)))
    for kind, geometry, _ in layers.areas:
        if kind == "continent":
            continue
        style = AREA_STYLE.get(kind, AREA_STYLE["region"])
        shape = gpd.GeoSeries([shapely.geometry.shape(geometry)], crs="EPSG:4326").to_crs("EPSG:3857")
        if kind != "country":  # a country is outlined only (its shade would cover the whole picture)
            shape.plot(ax=ax, color=style["color"], alpha=style["fillOpacity"], linewidth=0)
        shape.boundary.plot(ax=ax, color=style["color"], linewidth=style["weight"] * 0.7,
                            linestyle="--" if style["dashArray"] else "-")


def _draw_labels(ax: plt.Axes, layers: BaseLayers, box: tuple[float, float, float, float]) -> None:
    x0, y0, x1, y1 = box
    for name, lat, lon, strong in layers.labels:
        x, y = _xy(lon, lat)
        if x0 <= x <= x1 and y0 <= y <= y1:
            ax.plot([x], [y], marker=".", color="#555", markersize=3, zorder=3)
            ax.annotate(name, (x, y), xytext=(4, 2), textcoords="offset points", fontsize=10 if strong else 8,
                        fontweight="bold" if strong else "normal", color="#222" if strong else "#555", zorder=3)


def _event_points(events: pd.DataFrame, box: tuple[float, float, float, float]) -> list[tuple[float, float, dict]]:
    """(x, y, row) of each event; those at one place fanned out on a small circle around it (as the map's click
    on their group does), so that each one shows."""
    x0, y0, x1, y1 = box
    radius = (x1 - x0) / 45
    by_place: dict[tuple[float, float], list[dict]] = defaultdict(list)
    for row in events.to_dict("records"):
        geom = row.get("geometry")
        if geom is None or geom.is_empty:
            continue
        by_place[_xy(geom.x, geom.y)].append(row)
    out = []
    for (x, y), rows in by_place.items():
        if len(rows) == 1:
            out.append((x, y, rows[0]))
            continue
        for i, row in enumerate(rows):
            angle = 2 * math.pi * i / len(rows) + math.pi / 2
            out.append((x + radius * math.cos(angle), y + radius * math.sin(angle), row))
    return out


def _colour(record: dict, color_by: str) -> str:
    return str(record["color"] if color_by == "type" else record["scolor"])


def draw(layers: BaseLayers, events: pd.DataFrame, title: str = "", subtitle: str = "", color_by: str = "side",
         size: tuple[int, int] = (1280, 800), dpi: int = 100,
         bounds: tuple[float, float, float, float] | None = None) -> plt.Figure:
    """The figure of ``events`` (a subset of those the layers were prepared from) over the base layers, framed on
    ``bounds`` (south, west, north, east: what a screen showed) or on the events."""
    fig = plt.figure(figsize=(size[0] / dpi, size[1] / dpi), dpi=dpi, facecolor=SEA)  # (the axes' own is hidden)
    ax = fig.add_axes((0, 0, 1, 1))
    box = _frame(layers, size[0] / size[1], bounds)
    _draw_base(ax, layers)
    _draw_labels(ax, layers, box)
    records = {r["id"]: r for r in layers.events}
    for x, y, row in _event_points(events, box):
        record = records.get(row["event_id"])
        if record is None:
            continue
        shape = str(record["shape"])
        colour = _colour(record, color_by)
        edge = {"verified": "#1b7a34", "edited": "#555555"}.get(str(record.get("st")), "#ffffff")
        ax.plot([x], [y], marker=MARKERS.get(shape, "o"), markersize=13 if shape != "star" else 17,
                markerfacecolor="none" if shape == "ring" else colour, markeredgecolor=colour if shape == "ring"
                else edge, markeredgewidth=2 if shape == "ring" else 1.4, alpha=float(record["op"]), zorder=5)
    ax.set_xlim(box[0], box[2])
    ax.set_ylim(box[1], box[3])
    ax.set_axis_off()
    _legend(ax, layers, events, color_by)
    if title or subtitle:
        ax.text(0.015, 0.975, title, transform=ax.transAxes, fontsize=17, fontweight="bold", va="top",
                bbox={"facecolor": "white", "alpha": 0.88, "edgecolor": "none", "pad": 4}, zorder=10)
        ax.text(0.015, 0.915, subtitle, transform=ax.transAxes, fontsize=12, va="top", color="#333",
                bbox={"facecolor": "white", "alpha": 0.88, "edgecolor": "none", "pad": 3}, zorder=10)
    ax.text(0.995, 0.005, "Situation Map · land: Natural Earth · places: GeoNames (CC BY 4.0)", transform=ax.transAxes,
            fontsize=7, ha="right", va="bottom", color="#555", zorder=10)
    return fig


def _legend(ax: plt.Axes, layers: BaseLayers, events: pd.DataFrame, color_by: str) -> None:
    types = [t for t in EVENT_COLORS if t in set(events["event_type"])] if len(events) else []
    handles = []
    if color_by == "side":
        handles += [Line2D([], [], marker="o", linestyle="", markersize=9, markerfacecolor=c, markeredgecolor="#fff",
                           label=n) for n, c in layers.sides]
        colour_of = dict.fromkeys(types, "#9a9a9a")
    else:
        colour_of = {t: EVENT_COLORS[t] for t in types}
    for t in types:
        shape = EVENT_SHAPES.get(t, "circle")
        handles.append(Line2D([], [], marker=MARKERS[shape], linestyle="", markersize=9,
                              markerfacecolor="none" if shape == "ring" else colour_of[t], markeredgecolor="#555",
                              label=t))
    if handles:
        ax.legend(handles=handles, loc="lower left", fontsize=9, framealpha=0.9,
                  title="colour: side · shape: type" if color_by == "side" else "type of event", title_fontsize=9)


def _png(fig: plt.Figure) -> bytes:
    out = io.BytesIO()
    fig.savefig(out, format="png")
    plt.close(fig)
    return out.getvalue()


def map_png(places: gpd.GeoDataFrame, events: gpd.GeoDataFrame, gazetteer: OfflineGazetteer, settings: Settings,
            title: str = "", subtitle: str = "", color_by: str = "side", with_statements: bool = False,
            size: tuple[int, int] = (1280, 800), bounds: tuple[float, float, float, float] | None = None) -> bytes:
    """The events as a PNG (statements left out unless asked for, as on the map), framed on ``bounds`` (south,
    west, north, east: the area a screen shows) or on the events."""
    shown = events if with_statements else happenings(events)
    layers = prepare_base_layers(places, shown, gazetteer, settings)
    return _png(draw(layers, shown, title, subtitle, color_by, size, bounds=bounds))


def playback_gif(places: gpd.GeoDataFrame, events: gpd.GeoDataFrame, gazetteer: OfflineGazetteer,
                 settings: Settings, title: str = "", color_by: str = "side", with_statements: bool = False,
                 size: tuple[int, int] = (960, 600), ms_per_frame: int = 1200, max_frames: int = 60) -> bytes:
    """The playback as an animated GIF: one frame per day with events (empty days skipped, as Play does), the
    events so far on the map and the day in the caption; the last frame stays longer."""
    shown = events if with_statements else happenings(events)
    layers = prepare_base_layers(places, shown, gazetteer, settings)
    days = _event_days(shown)[-max_frames:] or timeline_days(shown)[-1:]
    frames = []
    for n, day in enumerate(days, start=1):
        so_far = shown[pd.to_datetime(shown["date_start"]).dt.strftime("%Y-%m-%d").fillna("") <= day] \
            if len(shown) else shown
        fig = draw(layers, so_far, title, f"up to {day} · {len(so_far)} of {len(shown)} events · {n}/{len(days)}",
                   color_by, size)
        frames.append(Image.open(io.BytesIO(_png(fig))).convert("P", palette=Image.Palette.ADAPTIVE, colors=128))
    out = io.BytesIO()
    durations = [ms_per_frame] * (len(frames) - 1) + [ms_per_frame * 3]
    frames[0].save(out, format="GIF", save_all=True, append_images=frames[1:], duration=durations, loop=0,
                   optimize=True)
    return out.getvalue()


def _event_days(events: pd.DataFrame) -> Sequence[str]:
    if not len(events):
        return []
    starts = pd.to_datetime(events["date_start"]).dropna().dt.strftime("%Y-%m-%d")
    return sorted(set(starts))
