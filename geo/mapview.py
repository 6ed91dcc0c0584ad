"""The folium map, built from small layer builders (basemap, labels, areas, events, legend, time control).

Every piece of article text that reaches the map goes through ``safe_html``: HTML-escaped *and*
safe inside the JavaScript template literals folium renders popups and tooltips into.
Assets are served locally (``AssetMode.SERVED``: /app/static/vendor/... for Streamlit) or inlined
(``AssetMode.INLINE``: one self-contained HTML file); no script or stylesheet comes from another host.
"""

from __future__ import annotations

import datetime as dt
import enum
import html
import json
import math
import os
from collections.abc import Collection, Sequence
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path

import folium
import geopandas as gpd
import pandas as pd
import shapely
from branca.element import Element, MacroElement
from folium.map import FitBounds
from jinja2 import Template

from geo.errors import DataNotBuiltError
from geo.frames import hours_label, kind_label
from geo.gazetteer import OfflineGazetteer
from geo.settings import Settings
from geo.sides import UNKNOWN, Side, load_sides, side_of
from geo.workspace import say_state

EVENT_COLORS: dict[str, str] = {
    "Battles": "#d62728",
    "Explosions/Remote violence": "#ff7f0e",
    "Violence against civilians": "#9467bd",
    "Protests": "#2ca02c",
    "Riots": "#8c564b",
    "Strategic developments": "#1f77b4",
    "Statement": "#7f7f7f",
}
#: What the markers' colour says.
COLOR_BY = ("side", "type")
#: The shape of each event type's marker (colour says the side, or the type when coloured by type).
EVENT_SHAPES: dict[str, str] = {
    "Battles": "square",
    "Explosions/Remote violence": "star",
    "Violence against civilians": "triangle",
    "Protests": "circle",
    "Riots": "diamond",
    "Strategic developments": "hexagon",
    "Statement": "ring",
}
#: SVG paths of the shapes in a 20x20 box (drawn at 20 px; the selected event's at 28 px).
SHAPE_PATHS: dict[str, str] = {
    "circle": "M10 2.5a7.5 7.5 0 1 0 0.01 0Z",
    "ring": "M10 4a6 6 0 1 0 0.01 0Z",
    "square": "M3.5 3.5h13v13h-13Z",
    "diamond": "M10 1.5L18.5 10L10 18.5L1.5 10Z",
    "triangle": "M10 18L1.5 3h17Z",
    "hexagon": "M5.5 2.5h9l4.5 7.5l-4.5 7.5h-9l-4.5-7.5Z",
    "star": "M10 1l2.6 5.6l6 .6l-4.5 4.1l1.3 6L10 14.2l-5.4 3.1l1.3-6L1.4 7.2l6-.6Z",
}
AREA_STYLE = {
    "admin1": {"color": "#6a51a3", "fillOpacity": 0.12, "weight": 2, "dashArray": None},
    "area": {"color": "#6a51a3", "fillOpacity": 0.10, "weight": 2, "dashArray": "6 4"},
    "region": {"color": "#6a51a3", "fillOpacity": 0.08, "weight": 1.5, "dashArray": "6 4"},
    "country": {"color": "#54278f", "fillOpacity": 0.04, "weight": 1.5, "dashArray": "2 4"},
    "continent": {"color": "#3f007d", "fillOpacity": 0.02, "weight": 1, "dashArray": "1 6"},
}
SEA = "#dbe9f3"
LAND = "#f4f1ea"


class AssetMode(enum.Enum):
    SERVED = "served"  # URLs under the Streamlit static route
    INLINE = "inline"  # file contents written into the HTML


def safe_html(text: object) -> str:
    """Escape text for HTML and for the JS template literals folium wraps popups and tooltips in."""
    return (html.escape(str(text), quote=True).replace("`", "&#96;").replace("$", "&#36;")
            .replace("\\", "&#92;").replace("\n", " "))


_INNER_QUOTES = str.maketrans({"“": "‘", "”": "’"})


def in_quotes(sentence: object) -> str:
    """A sentence set in quotation marks, its own quotations turned to single marks ("“‘We rebuild,’ she said.”"
    rather than "““We rebuild,” she said.”"), escaped by ``safe_html``."""
    text = str(sentence).strip().translate(_INNER_QUOTES)
    parts = text.split('"')
    if len(parts) > 1:  # straight quotes: opening and closing by turns
        text = parts[0] + "".join(("‘" if k % 2 else "’") + part for k, part in enumerate(parts[1:], start=1))
    return safe_html(f"“{text}”")


# -- assets ------------------------------------------------------------------------------------
VENDOR_JS = [("leaflet", "leaflet/leaflet.js"), ("jquery", "jquery/jquery.min.js"),
             ("markercluster", "leaflet.markercluster/leaflet.markercluster.js")]
VENDOR_CSS = [("leaflet_css", "leaflet/leaflet.css"), ("markercluster_css", "leaflet.markercluster/MarkerCluster.css")]


def _check_vendor(settings: Settings) -> None:
    for _, rel in VENDOR_JS + VENDOR_CSS:
        if not (settings.vendor_dir / rel).exists():
            raise DataNotBuiltError(f"Map asset {rel} is missing from {settings.vendor_dir}. Run `make data`.")


def apply_assets(m: folium.Map, settings: Settings, mode: AssetMode, url_prefix: str = "/app/static/vendor") -> None:
    """Point the map's JS/CSS at local copies (no CDN); INLINE embeds them in the page."""
    _check_vendor(settings)
    if mode is AssetMode.SERVED:
        m.default_js = [(name, f"{url_prefix}/{rel}") for name, rel in VENDOR_JS]
        m.default_css = [(name, f"{url_prefix}/{rel}") for name, rel in VENDOR_CSS]
        return
    m.default_js = []
    m.default_css = []
    header = m.get_root().header
    for name, rel in VENDOR_CSS:
        css = _inline_css_images((settings.vendor_dir / rel).read_text(encoding="utf-8"),
                                 (settings.vendor_dir / rel).parent)
        header.add_child(Element(f"<style>{css}</style>"), name=name)
    for name, rel in VENDOR_JS:
        js = (settings.vendor_dir / rel).read_text(encoding="utf-8").replace("</script", "<\\/script")
        header.add_child(Element(f"<script>{js}</script>"), name=name)


def _inline_css_images(css: str, folder: Path) -> str:
    """Replace url(images/x.png) in a stylesheet by data: URIs (for the one-file HTML map)."""
    import base64
    import re

    def repl(match: re.Match[str]) -> str:
        path = folder / match.group(1)
        if not path.exists():
            return match.group(0)
        return f"url(data:image/png;base64,{base64.b64encode(path.read_bytes()).decode()})"

    return re.sub(r"url\((images/[\w.-]+\.png)\)", repl, css)


# -- layer builders ----------------------------------------------------------------------------
def view_bounds(places: gpd.GeoDataFrame, events: gpd.GeoDataFrame) -> tuple[float, float, float, float]:
    """(south, west, north, east) framing the events (else the local places), at least ~3 degrees wide."""
    geoms = list(events.geometry.dropna()) if len(events) else []
    if not geoms and len(places):
        local = places[(~places["is_area"]) | places["kind"].isin(["admin1", "area"])]
        geoms = list(local.geometry.dropna())
    if not geoms:
        return (20.0, -20.0, 60.0, 60.0)
    minx, miny, maxx, maxy = shapely.GeometryCollection(geoms).bounds
    pad_x = max(1.5 - (maxx - minx) / 2, (maxx - minx) * 0.15)
    pad_y = max(1.0 - (maxy - miny) / 2, (maxy - miny) * 0.15)
    return (max(-85.0, miny - pad_y), max(-180.0, minx - pad_x), min(85.0, maxy + pad_y), min(180.0, maxx + pad_x))


def view_zoom(bounds: tuple[float, float, float, float], width: int = 480, height: int = 560) -> int:
    """The largest web-map zoom (0-18) at which ``bounds`` (south, west, north, east) fits a map of that many
    pixels: the whole view again, e.g. when Play starts from a map zoomed onto one event."""
    south, west, north, east = bounds

    def y(lat: float) -> float:  # web Mercator, as a fraction of the world's height
        lat = max(-85.0, min(85.0, lat))
        return math.log(math.tan(math.pi / 4 + math.radians(lat) / 2)) / (2 * math.pi)

    across = max((east - west) / 360.0, 1e-9)
    up = max(y(north) - y(south), 1e-9)
    return max(0, min(18, math.floor(min(math.log2(width / (256 * across)), math.log2(height / (256 * up))))))


@lru_cache(maxsize=2)
def _basemap_features(path: Path) -> tuple[tuple[str, shapely.Geometry], ...]:
    if not path.exists():
        raise DataNotBuiltError(f"The bundled basemap {path} is missing. Run `make data`.")
    data = json.loads(path.read_text(encoding="utf-8"))
    return tuple((f["properties"]["name"], shapely.geometry.shape(f["geometry"])) for f in data["features"])


def clip_box(bounds: tuple[float, float, float, float]) -> shapely.Polygon:
    """The part of the world worth drawing around a view."""
    south, west, north, east = bounds
    margin = max(3.0, 0.5 * max(east - west, north - south))
    return shapely.box(west - margin, south - margin, east + margin, north + margin)


def _feature(geom: shapely.Geometry, **props: object) -> dict[str, object]:
    return {"type": "Feature", "properties": props, "geometry": shapely.geometry.mapping(geom)}


def basemap_geojson(settings: Settings, box: shapely.Polygon) -> tuple[dict[str, object], dict[str, object]]:
    """Natural Earth land: the world coarse and the story's surroundings fine (drawn over it)."""
    world = [_feature(g, name=n) for n, g in _basemap_features(settings.coarse_basemap_path)]
    # Land is filled without outlines (clipping makes artificial edges); borders come as clipped lines.
    detail = []
    for n, g in _basemap_features(settings.basemap_path):
        if g.intersects(box):
            land = shapely.set_precision(g.intersection(box), DETAIL_PRECISION)
            border = shapely.set_precision(g.boundary.intersection(box), DETAIL_PRECISION)
            for geom, part in ((land, "land"), (border, "border")):
                if not geom.is_empty:  # Leaflet stops the whole script on an empty geometry
                    detail.append(_feature(geom, name=n, part=part))
    return ({"type": "FeatureCollection", "features": world}, {"type": "FeatureCollection", "features": detail})


def admin_lines_geojson(gazetteer: OfflineGazetteer, countries: Sequence[str], box: shapely.Polygon) -> dict[str, object]:
    """Faint admin-1 boundaries of the story's countries (context for oblast names), within the box: only where two
    areas meet. (An area's coast, at the admin-1 data's coarser scale, ran as straight lines across the sea.)"""
    features = []
    minx, _, maxx, _ = box.bounds
    tolerance = max(0.01, (maxx - minx) / 3000)  # (a world-wide view needs no 1 km detail)
    for country in countries:
        parts = [(place.name, shapely.simplify(place.geometry.intersection(box), tolerance))
                 for place in gazetteer.admin1_areas(country)
                 if place.geometry is not None and place.geometry.intersects(box)]
        if not parts:
            continue
        outline = shapely.union_all([g for _, g in parts], grid_size=tolerance / 2).boundary
        near = outline.buffer(max(ADMIN_COAST_KM / 111, tolerance), quad_segs=1)
        for name, geom in parts:
            line = shapely.set_precision(geom.boundary.difference(near), tolerance / 2)
            if not line.is_empty:
                features.append(_feature(line, name=name))
    return {"type": "FeatureCollection", "features": features}


#: how far (km) from the outline of a country's areas together an area's boundary is taken for the outline
ADMIN_COAST_KM = 2.0


#: pixels from an article town's point to the start of its name: past a group count's circle (34 px across)
LABEL_CLEAR = 20


def town_labels(gazetteer: OfflineGazetteer, bounds: tuple[float, float, float, float],
                places: gpd.GeoDataFrame) -> list[tuple[str, float, float, bool]]:
    """Names of the article's towns, sites and counties (strong) and of the larger towns in view, not overprinting
    each other."""
    south, west, north, east = bounds
    span = max(east - west, north - south)
    min_pop = 1_000_000 if span > 30 else (250_000 if span > 8 else 60_000)
    kept: list[tuple[str, float, float, bool]] = []
    gap = span / 10
    named = places[places["kind"].isin(["city", "facility", "landmark", "admin2"])] if len(places) else places
    article_towns = [(row["name"], row.geometry.y, row.geometry.x, True) for _, row in named.iterrows()]
    others = [(p.name, p.lat, p.lon, False) for p in gazetteer.cities_in(south, west, north, east, min_pop)]
    for name, plat, plon, strong in article_towns + others:
        if any(abs(plat - lat) < gap / 2 and abs(plon - lon) < gap for _, lat, lon, _ in kept):
            continue
        kept.append((name, plat, plon, strong))
    return kept


def area_shapes(places: gpd.GeoDataFrame, box: shapely.Polygon | None = None,
                detail: shapely.Polygon | None = None) -> list[tuple[str, dict[str, object], str]]:
    """(kind, GeoJSON geometry, tooltip HTML) of the areas named in the article, at a resolution fit for the view.
    Within ``detail`` (the part of the base map drawn in detail) an area keeps the base map's precision: simplified
    by its whole extent, a country's coast had run as straight lines 7 km out into the sea beside the base map's."""
    areas = places[places["is_area"]] if len(places) else places
    if len(areas):  # the largest first, so that a smaller area inside it is drawn over it and can be pointed at
        areas = areas.iloc[shapely.area(areas.geometry.to_numpy()).argsort()[::-1]]  # (degrees²: an order only)
    out = []
    for _, row in areas.iterrows():
        geom = row.geometry if box is None else row.geometry.intersection(box)
        if geom.is_empty:
            continue
        minx, miny, maxx, maxy = geom.bounds
        tolerance = max(0.005, max(maxx - minx, maxy - miny) / 400)
        if detail is not None and tolerance > DETAIL_PRECISION and geom.intersects(detail):
            parts = [_simplified(geom.intersection(detail), DETAIL_PRECISION),
                     _simplified(geom.difference(detail), tolerance)]
            geom = shapely.union_all([p for p in parts if not p.is_empty], grid_size=DETAIL_PRECISION / 2)
        else:
            geom = _simplified(geom, tolerance)
        tip = f"<b>{safe_html(row['name'])}</b> ({safe_html(kind_label(row['kind']))})<br>"
        # (a place no sentence names, where an event was placed by hand, has no mention and no confidence:
        # walkthrough, "confidence nan")
        said, confidence = row.get("mentions"), row.get("confidence")
        tip += f"named as: {safe_html(said)}" if isinstance(said, str) and said else "not named in the text"
        tip += f"<br>confidence {float(confidence):.2f}" if pd.notna(confidence) else ""
        out.append((str(row["kind"]), shapely.geometry.mapping(geom), tip))
    return out


#: degrees: the precision of the base map's detailed part (``basemap_geojson``), and of the areas drawn over it
DETAIL_PRECISION = 0.01


def _simplified(geom: shapely.Geometry, tolerance: float) -> shapely.Geometry:
    return shapely.set_precision(shapely.simplify(geom, tolerance, preserve_topology=True), tolerance / 2)


@dataclass(frozen=True)
class BaseLayers:
    """Everything the base map draws, as plain data (cheap to cache, quick to turn into folium)."""

    bounds: tuple[float, float, float, float]
    world: dict[str, object]
    detail: dict[str, object]
    detail_box: tuple[float, float, float, float]  # (minx, miny, maxx, maxy) of the detailed part
    admin_lines: dict[str, object]
    labels: list[tuple[str, float, float, bool]]
    areas: list[tuple[str, dict[str, object], str]]
    event_types: list[str]
    events: list[dict[str, object]]
    #: (name, colour) of the sides of the events' acting forces, in the table's order ("not stated" last).
    sides: list[tuple[str, str]] = field(default_factory=list)


def sides_present(names: Collection[str], table: tuple[Side, ...]) -> list[tuple[str, str]]:
    """(name, colour) of the sides named, in the table's order, "not stated" last."""
    return [(s.name, s.color) for s in (*table, UNKNOWN) if s.name in names]


def prepare_base_layers(places: gpd.GeoDataFrame, events: gpd.GeoDataFrame, gazetteer: OfflineGazetteer,
                        settings: Settings) -> BaseLayers:
    bounds = view_bounds(places, events)
    table = load_sides(settings.sides_path)
    records = event_records(events, table)
    box = clip_box(bounds)
    world, detail = basemap_geojson(settings, box)
    return BaseLayers(
        bounds=bounds, world=world, detail=detail, detail_box=tuple(box.bounds),
        admin_lines=admin_lines_geojson(gazetteer, focus_countries(places, events), box),
        labels=town_labels(gazetteer, bounds, places),
        areas=area_shapes(places, box.buffer(10), box),
        event_types=sorted(set(events["event_type"])) if len(events) else [],
        events=records,
        sides=sides_present({html.unescape(str(r["side"])) for r in records}, table),
    )


class FetchedGeoJson(MacroElement):
    """A non-interactive GeoJSON layer the browser fetches from the app's static route (once, then cached),
    instead of receiving it inline with every rerun."""

    _template = Template("""
    {% macro script(this, kwargs) %}
    fetch({{ this.url|tojson }}).then(function (r) { return r.json(); }).then(function (data) {
      L.geoJSON(data, {style: function () { return {{ this.style|tojson }}; }, pane: {{ this.pane|tojson }},
                       interactive: false}).addTo({{ this._parent.get_name() }});
    });
    {% endmacro %}
    """)

    def __init__(self, url: str, style: dict[str, object], pane: str) -> None:
        super().__init__()
        self._name = "FetchedGeoJson"
        self.url, self.style, self.pane = url, style, pane


LAND_STYLE = {"fillColor": LAND, "fillOpacity": 1, "color": "#b9b4a6", "weight": 0.8}


def _detail_style(feature: dict[str, dict[str, object]]) -> dict[str, object]:
    if feature["properties"].get("part") == "border":
        return {"color": LAND_STYLE["color"], "weight": LAND_STYLE["weight"], "fill": False}
    return {"fillColor": LAND, "fillOpacity": 1, "weight": 0}


def base_payload(layers: BaseLayers) -> dict[str, object]:
    """The base map's shapes as plain data, for the file the app serves (``write_event_store``; ``StoredBase``
    draws them): the sea-coloured box, the detailed land, admin lines and the named areas with their tooltips."""
    return {"box": shapely.geometry.mapping(shapely.box(*layers.detail_box)), "detail": layers.detail,
            "admin": layers.admin_lines,
            "areas": [{"group": _area_group(kind), "geometry": geometry, "tip": tip,
                       "style": AREA_STYLE.get(kind, AREA_STYLE["region"])} for kind, geometry, tip in layers.areas]}


def _area_group(kind: str) -> str:
    return "continents" if kind == "continent" else "countries" if kind == "country" else "regions"


ADMIN_LINE_STYLE = {"color": "#c9c2b1", "weight": 0.7, "dashArray": "3 3"}


def _groups_js(groups: dict[str, folium.FeatureGroup]) -> str:
    """The map's area groups as a JavaScript object of their variables, by kind (for the scripts that draw or read
    them)."""
    return "{" + ", ".join(f'"{k}": {g.get_name()}' for k, g in groups.items()) + "}"


class StoredBase(MacroElement):
    """Draws the base map's shapes from the file the events came in (window.smBase), so a rerun of the page does
    not send them again (with a workspace's areas they were ~0.6 MB each time)."""

    _template = Template("""
    {% macro script(this, kwargs) %}
    (function (map, groups, d) {
      if (!d) { return; }
      L.geoJSON(d.box, {style: function () { return {{ this.sea|tojson }}; }, pane: "basemap", interactive: false})
        .addTo(map);
      L.geoJSON(d.detail, {pane: "basemap", interactive: false, style: function (f) {
        return f.properties && f.properties.part === "border" ? {{ this.border|tojson }} : {{ this.fill|tojson }};
      }}).addTo(map);
      if (d.admin && d.admin.features.length) {
        L.geoJSON(d.admin, {style: function () { return {{ this.admin|tojson }}; }, pane: "basemap",
                            interactive: false}).addTo(map);
      }
      d.areas.forEach(function (a) {  // (tooltips were escaped in Python)
        var s = a.style;
        L.geoJSON(a.geometry, {style: function () {
          return {color: s.color, weight: s.weight, fillColor: s.color, fillOpacity: s.fillOpacity,
                  dashArray: s.dashArray};
        }}).bindTooltip(a.tip, {sticky: true}).addTo(groups[a.group]);
      });
    })({{ this._parent.get_name() }}, {{ this.groups }}, window.smBase);
    {% endmacro %}
    """)

    def __init__(self, groups: dict[str, folium.FeatureGroup]) -> None:
        super().__init__()
        self._name = "StoredBase"
        self.groups = _groups_js(groups)
        self.sea = {"fillColor": SEA, "fillOpacity": 1, "weight": 0}
        self.border = _detail_style({"properties": {"part": "border"}})
        self.fill = _detail_style({"properties": {}})
        self.admin = ADMIN_LINE_STYLE


class LabelDeclutter(MacroElement):
    """Town names that would overprint one another at the zoom shown: the later one is hidden, the article's own
    towns (strong) first (walkthrough: "Eldorado do Sul" printed over "Porto Alegre" once zoomed out; the names are
    thinned for the first view only, in ``town_labels``)."""

    _template = Template("""
    {% macro script(this, kwargs) %}
    (function (map) {
      function declutter() {
        var pane = map.getPane("labels");
        if (!pane) { return; }
        var names = Array.prototype.slice.call(pane.querySelectorAll(".sm-label"));
        names.sort(function (a, b) {
          return b.classList.contains("sm-strong") - a.classList.contains("sm-strong");
        });
        var kept = [];
        names.forEach(function (el) {
          el.style.visibility = "";
          var r = el.getBoundingClientRect();
          var clash = kept.some(function (k) {
            return r.left < k.right && k.left < r.right && r.top < k.bottom && k.top < r.bottom;
          });
          if (clash) { el.style.visibility = "hidden"; } else { kept.push(r); }
        });
      }
      map.on("zoomend moveend resize", declutter);
      map.whenReady(function () { setTimeout(declutter, 0); });
    })({{ this._parent.get_name() }});
    {% endmacro %}
    """)

    def __init__(self) -> None:
        super().__init__()
        self._name = "LabelDeclutter"


class AreaInfo(MacroElement):
    """What a named area is, shown in a box in the map's upper left corner, under the zoom buttons, while the
    pointer is over the area (a tap on a touch screen), instead of a tooltip that follows the pointer and covered
    the markers beside it. (In the lower left corner, the Present page's caption hid it.)"""

    _template = Template("""
    {% macro script(this, kwargs) %}
    (function (map, groups) {
      var box = L.control({position: "topleft"});  // (under the zoom buttons: clear of the key and captions)
      box.onAdd = function () {
        var div = L.DomUtil.create("div", "sm-area-info");
        div.style.display = "none";
        return div;
      };
      box.addTo(map);
      var div = box.getContainer();
      var popup = false;  // (while an event's popup is open the box stays hidden: it had covered the popup)
      var timer = null;  // (and it goes after a few seconds at rest: when Play or a step moved the map under a
      // still pointer it had stayed, over the markers)
      var hide = function () { div.style.display = "none"; };
      var show = function (tip) {
        if (popup) { return; }
        div.innerHTML = tip; div.style.display = "";  // (escaped in Python)
        clearTimeout(timer); timer = setTimeout(hide, 4000);
      };
      map.on("popupopen", function () { popup = true; hide(); });
      map.on("popupclose", function () { popup = false; });
      Object.keys(groups).forEach(function (k) {
        groups[k].eachLayer(function (layer) {
          var t = layer.getTooltip && layer.getTooltip();
          if (!t) { return; }
          var tip = t.getContent();
          layer.unbindTooltip();
          layer.on("mouseover mousemove click", function () { show(tip); });
          layer.on("mouseout", hide);
        });
      });
      map.on("zoomstart movestart", hide);
    })({{ this._parent.get_name() }}, {{ this.groups }});
    {% endmacro %}
    """)

    def __init__(self, groups: dict[str, folium.FeatureGroup]) -> None:
        super().__init__()
        self._name = "AreaInfo"
        self.groups = _groups_js(groups)


def add_base_layers(m: folium.Map, layers: BaseLayers, world_url: str | None = None, stored: bool = False) -> None:
    """The coarse world in its own low pane (fetched or inline); over it, around the story, a sea-coloured
    box and the detailed land, so coarse coastlines never show where the detail is drawn. ``stored``: the
    shapes come with the map's event store (``base_payload``), not inline."""
    folium.map.CustomPane("world", z_index=150, pointer_events=False).add_to(m)
    folium.map.CustomPane("basemap", z_index=200, pointer_events=False).add_to(m)
    land = LAND_STYLE
    if world_url:
        FetchedGeoJson(world_url, land, "world").add_to(m)
    else:
        folium.GeoJson(layers.world, style_function=lambda _: land, pane="world", interactive=False,
                       control=False).add_to(m)
    if not stored:
        folium.GeoJson(shapely.geometry.mapping(shapely.box(*layers.detail_box)),
                       style_function=lambda _: {"fillColor": SEA, "fillOpacity": 1, "weight": 0},
                       pane="basemap", interactive=False, control=False).add_to(m)
        folium.GeoJson(layers.detail, style_function=_detail_style, pane="basemap", interactive=False,
                       control=False).add_to(m)
        if layers.admin_lines["features"]:
            folium.GeoJson(layers.admin_lines, style_function=lambda _: ADMIN_LINE_STYLE,
                           pane="basemap", interactive=False, control=False).add_to(m)
    # Town names under the event markers (a group's count must never be covered by a name).
    folium.map.CustomPane("labels", z_index=450, pointer_events=False).add_to(m)
    labels = folium.FeatureGroup(name="Town names")
    for name, lat, lon, strong in layers.labels:
        css = "sm-label sm-strong" if strong else "sm-label"
        # (the article's towns carry markers: their names start past a group's count, which had hidden the start)
        folium.Marker([lat, lon], icon=folium.DivIcon(html=f'<div class="{css}">{safe_html(name)}</div>',
                                                      icon_size=(120, 14), icon_anchor=(-LABEL_CLEAR if strong else -4, 7),
                                                      class_name="sm-label-icon"),
                      interactive=False, pane="labels").add_to(labels)
    labels.add_to(m)
    LabelDeclutter().add_to(m)
    groups = {
        "regions": folium.FeatureGroup(name="Named regions", show=True),
        "countries": folium.FeatureGroup(name="Named countries", show=True),
        "continents": folium.FeatureGroup(name="Named continents", show=False),
    }
    for kind, geometry, tip in [] if stored else layers.areas:
        style = AREA_STYLE.get(kind, AREA_STYLE["region"])
        folium.GeoJson(
            geometry,
            style_function=lambda _, s=style: {"color": s["color"], "weight": s["weight"], "fillColor": s["color"],
                                               "fillOpacity": s["fillOpacity"], "dashArray": s["dashArray"]},
            tooltip=folium.Tooltip(tip, sticky=True),
        ).add_to(groups[_area_group(kind)])
    for group in groups.values():
        group.add_to(m)
    if stored:
        StoredBase(groups).add_to(m)
    AreaInfo(groups).add_to(m)


def popup_fields(row: pd.Series) -> list[str]:
    """The popup's parts, each escaped; ``window.smPopup`` (EventStore) lays them out in the browser."""
    actors = " → ".join(safe_html(a) for a in (row["actor1"], row["actor2"]) if a)
    whys = [_why(row, "why_typed"), _why(row, "why_placed"), _why(row, "why_dated")]
    fatalities = ""
    if pd.notna(row["fatalities"]):
        fatalities = f"{safe_html(row['fatalities_qualifier'])} {int(row['fatalities']):,}".strip()
    return [safe_html(row["event_type"]), safe_html(row["sub_event_type"]), _fmt_interval(row),
            safe_html(row["time_precision"]), safe_html(row["time_text"]), safe_html(row["place_name"]),
            safe_html(row["place_text"]), str(row["geo_precision"]), _extent(row), actors,
            fatalities, f"{row['confidence']:.2f}", in_quotes(row["sentence"]) + _more_tellings(row),
            review_text(row), safe_html(row["trigger"]), *whys, _unrecorded(row, whys)]


def _why(row: pd.Series, column: str) -> str:
    """A provenance column, escaped ('' where a workspace made before it has none)."""
    value = row.get(column)
    return "" if value is None or pd.isna(value) else safe_html(value)


def _unrecorded(row: pd.Series, whys: list[str]) -> str:
    """"1" for an event the machine found before the reasons were kept (a workspace from an older version), so
    the popup says how to get them; "" otherwise (a person's event has no machine reasons to give)."""
    origin = row.get("origin")
    return "1" if not any(whys) and (origin is None or pd.isna(origin) or origin == "machine") else ""


def review_text(row: pd.Series) -> str:
    """Who stands behind the event (a workspace's events carry a state; an article's own are the machine's)."""
    return say_state(row, escape=safe_html)


def _extent(row: pd.Series) -> str:
    """How far the point may be from where it happened: ± km for a point, the area itself for an area."""
    km = row["uncertainty_km"]
    if row["place_kind"] in AREA_KINDS or pd.isna(km):
        return "the whole area"
    return f"±{float(km):.1f} km"


AREA_KINDS = frozenset({"continent", "region", "sea", "country", "admin1", "admin2", "area"})


def _more_tellings(row: pd.Series) -> str:
    more = int(row.get("n_sources", 1) or 1) - 1
    return f" [told {more} more time{'s' if more > 1 else ''} in the text]" if more > 0 else ""


def _fmt_date(value: object, precision: object, end: object = None) -> str:
    if value is None or pd.isna(value):
        return "undated"
    ts = pd.Timestamp(value)
    if precision == "hour":
        return hours_label(ts, end)
    if precision == "week":
        return "week of " + ts.strftime("%Y-%m-%d")
    if precision == "month":
        return ts.strftime("%b %Y") if ts.day == 1 else "from " + ts.strftime("%Y-%m-%d")
    return ts.strftime("%Y-%m-%d")


def _fmt_interval(row: pd.Series) -> str:
    start, end = row["date_start"], row["date_end"]
    if pd.isna(start) and pd.notna(end):
        return f"on or before {pd.Timestamp(end) - pd.Timedelta(days=1):%Y-%m-%d}"
    if row["time_precision"] in {"day", "hour"} or pd.isna(end):
        return _fmt_date(start, row["time_precision"], end)
    return f"{pd.Timestamp(start):%Y-%m-%d} – {pd.Timestamp(end) - pd.Timedelta(days=1):%Y-%m-%d}"


def _json_for_script(data: object) -> str:
    """JSON safe to place inside a <script> element (no '<', '>', '&' that could close it)."""
    return (json.dumps(data, ensure_ascii=False, separators=(",", ":"))
            .replace("<", "\\u003c").replace(">", "\\u003e").replace("&", "\\u0026")
            .replace("\u2028", "\\u2028").replace("\u2029", "\\u2029"))


def event_records(events: gpd.GeoDataFrame, sides: tuple[Side, ...] = ()) -> list[dict[str, object]]:
    """What the browser needs to draw each event: position, colours (its type's; its acting force's side's),
    shape, escaped tooltip and popup, dates. Events at one place share its point: the map groups them."""
    records = []
    for _, row in events.iterrows():
        if row.geometry is None or row.geometry.is_empty:
            continue
        lat, lon = row.geometry.y, row.geometry.x
        side = side_of(row["actor1"], sides)
        ring = 0.0
        if row["place_kind"] in {"city", "facility", "landmark"} and row["uncertainty_km"] and row["uncertainty_km"] > 0.5:
            ring = float(row["uncertainty_km"]) * 1000
        records.append({
            "id": row["event_id"], "tid": safe_html(row["event_id"]), "lat": round(lat, 4), "lon": round(lon, 4),
            "plat": round(row.geometry.y, 4), "plon": round(row.geometry.x, 4), "ring": ring,
            "color": EVENT_COLORS.get(row["event_type"], "#333333"),
            "side": safe_html(side.name), "scolor": side.color, "shape": EVENT_SHAPES.get(row["event_type"], "circle"),
            "op": round(0.35 + 0.6 * float(row["confidence"]), 3),
            "p": popup_fields(row),
            "start": _day_str(row["date_start"]), "end": _day_str(row["date_end"]),
            "st": row.get("state") or "machine",
        })
    return records


class EventStore(MacroElement):
    """All of an article's events, sent to the browser once with the base map (window.smEvents)."""

    _template = Template("""
    {% macro script(this, kwargs) %}
    {% if this.url %}
    (function () {  // synchronous, so that the markers drawn next (and their click handlers) find it
      var request = new XMLHttpRequest();
      request.open("GET", {{ this.url|tojson }}, false);
      request.send();
      var data = JSON.parse(request.responseText);
      window.smEvents = data.events;
      window.smBase = data.base;  // the base map's shapes (StoredBase draws them)
    })();
    {% else %}
    window.smEvents = {{ this.payload }};
    {% endif %}
    // Without tiles the map has no deepest zoom; grouping markers needs one (street level).
    if (!isFinite({{ this._parent.get_name() }}.getMaxZoom())) { {{ this._parent.get_name() }}.setMaxZoom(18); }
    // A closed popup fades out for 0.2 s, still catching clicks: a click on the map just after closing one
    // landed on it and was lost. It lets them through as soon as it closes.
    {{ this._parent.get_name() }}.on("popupclose", function (ev) {
      if (ev.popup && ev.popup._container) { ev.popup._container.style.pointerEvents = "none"; }
    });
    {{ this._parent.get_name() }}.on("popupopen", function (ev) {
      if (ev.popup && ev.popup._container) { ev.popup._container.style.pointerEvents = ""; }
    });
    window.smShapes = {{ this.shapes_json }};
    // A marker: the type's shape, filled with the side's colour (or the type's), outlined by who stands behind it
    // (white: the machine; dark grey: checked by a person; green: verified by a second).
    window.smMarker = function (e, selected, colorBy) {
      var size = selected ? 28 : 20;
      var outline = selected ? "#111" : e.st === "verified" ? "#1b7a34" : e.st === "edited" ? "#555555" : "#ffffff";
      var width = selected ? 2.5 : (e.st === "machine" || !e.st ? 1.5 : 2.5);
      var fill = colorBy === "type" ? e.color : e.scolor;
      var svg = "<svg xmlns='http://www.w3.org/2000/svg' width='" + size + "' height='" + size +
        "' viewBox='0 0 20 20'><path d='" + (window.smShapes[e.shape] || window.smShapes.circle) + "' fill='" +
        fill + "' fill-opacity='" + e.op + "' stroke='" + outline + "' stroke-width='" + width +
        "' stroke-linejoin='round'/></svg>";
      var marker = L.marker([e.lat, e.lon], {
        icon: L.divIcon({html: svg, className: selected ? "sm-event sm-selected-event" : "sm-event",
                         iconSize: [size, size], iconAnchor: [size / 2, size / 2], popupAnchor: [0, -size / 2]}),
        keyboard: false, riseOnHover: true, zIndexOffset: selected ? 1000 : 0,
        smId: e.id, smStart: e.start, smEnd: e.end, smSide: e.side, color: outline});
      marker.bindPopup(function () { return window.smPopup(e); },
                       {maxWidth: Math.min(380, window.innerWidth - 70),  // a phone's map is narrower
                        maxHeight: Math.max(200, window.innerHeight - 180),  // taller: it scrolls, inside the map
                        // clear of the zoom and layer buttons above and of the scale and key below
                        autoPanPaddingTopLeft: [10, 80], autoPanPaddingBottomRight: [10, 52]});
      marker.on("popupopen", function (ev) {  // "Why…" opened: the popup grows upwards; keep it in the map
        var why = ev.popup.getElement() && ev.popup.getElement().querySelector(".sm-why");
        if (!why) { return; }
        why.addEventListener("toggle", function () {
          // (update() would draw the content again, closing it: lay out, place and pan only; Leaflet 1.9.4)
          if (ev.popup._updateLayout) { ev.popup._updateLayout(); ev.popup._updatePosition(); }
          if (ev.popup._adjustPan) { ev.popup._adjustPan(); }
        });
      });
      marker.bindTooltip(window.smTip(e), {direction: "top", offset: [0, -size / 2]});
      return marker;
    };
    // Events at one place (or too close to tell apart at this zoom) are one marker with their count; a click
    // fans them out around it, at any zoom, unless they are far enough apart that zooming in parts them.
    window.smClusterGroup = function (animate) {
      var cluster = L.markerClusterGroup({maxClusterRadius: 28, showCoverageOnHover: false, animate: animate,
        zoomToBoundsOnClick: false, spiderfyOnMaxZoom: true, spiderfyDistanceMultiplier: 1.8,
        iconCreateFunction: function (c) {
          var n = c.getChildCount();
          return L.divIcon({html: "<div><span class='sm-cluster-count'>" + n + "</span></div>",
                            className: "sm-cluster", iconSize: [34, 34]});
        }});
      cluster.on("clusterclick", function (a) {
        var c = a.layer, map = c._map, b = c.getBounds();
        var apart = map.project(b.getNorthWest(), map.getMaxZoom()).distanceTo(
          map.project(b.getSouthEast(), map.getMaxZoom()));
        if (c.getChildCount() <= 12 || apart < 60 || map.getZoom() >= map.getMaxZoom()) { c.spiderfy(); }
        else { c.zoomToBounds({padding: [30, 30]}); }
      });
      return cluster;
    };
    window.smTip = function (e) {  // the app reads the event id back from the hidden "[...]" when a marker is clicked
      return e.p[1] + " · " + e.p[2] + " · " + e.p[5] + "<span hidden>[" + e.tid + "]</span>";
    };
    window.smPopup = function (e) {
      var p = e.p;  // fields escaped in Python (safe_html): concatenating them makes no markup of the article
      return "<div class='sm-popup'><b style='color:" + e.color + "'>" + p[0] + "</b> — " + p[1] +
        (p[14] ? " <i>(from “" + p[14] + "”)</i>" : "") +  // the words it was typed from
        (e.side ? " <span class='sm-side' style='color:" + e.scolor + "'>● " + e.side + "</span>" : "") +
        "<br><b>When:</b> " + p[2] + " <i>(" + p[3] + (p[4] ? ", from “" + p[4] + "”" : ", reference day") +
        ")</i><br><b>Where:</b> " + p[5] + " <i>(“" + p[6] + "”, precision " + p[7] + ", " + p[8] + ")</i><br>" +
        (p[9] ? "<b>Who:</b> " + p[9] + "<br>" : "") + (p[10] ? "<b>Fatalities:</b> " + p[10] + "<br>" : "") +
        "<b>Confidence:</b> " + p[11] + (p[13] ? "<br><b>Checked:</b> " + p[13] : "") +
        (p[15] || p[16] || p[17] ? "<details class='sm-why'><summary>Why this type, place and date</summary>" +
          (p[15] ? "<b>Type:</b> " + p[15] + "<br>" : "") + (p[16] ? "<b>Place:</b> " + p[16] + "<br>" : "") +
          (p[17] ? "<b>Date:</b> " + p[17] : "") + "</details>" :
          // a workspace analysed before the reasons were kept
          (!p[18] ? "" : "<div class='sm-why-missing'>Why this type, place and date: not recorded (found by an " +
           "older version; “Analyse all again”, under Articles in the sidebar, records it)</div>")) +
        "<hr style='margin:4px 0'><span class='sm-sentence'>" + p[12] + "</span>" + smEventLink(e) + "</div>";
    };
    // In the app (the map in a frame of the same origin): a link that opens the app on this event (to keep or
    // send on).
    window.smEventLink = function (e) {
      try {
        if (window.top === window || window.top.location.origin !== window.location.origin) { return ""; }
        var u = new URL(window.top.location.href);
        u.searchParams.set("ev", e.id);
        u.searchParams.delete("me");
        // A new tab: the map's frame may not navigate the page itself (the frame's sandbox).
        return "<br><a class='sm-event-link' target='_blank' rel='noopener' href='" + u.href.replace(/'/g, "%27") +
          "'>Link to this event ↗</a>";
      } catch (err) { return ""; }
    };
    {% endmacro %}
    """)

    def __init__(self, records: list[dict[str, object]], url: str | None = None) -> None:
        """Inline the events, or (``url``) load them from a file written by ``write_event_store``."""
        super().__init__()
        self._name = "EventStore"
        self.shapes_json = _json_for_script(SHAPE_PATHS)
        self.url = url
        self.payload = "" if url else _json_for_script({r["id"]: r for r in records})


def write_event_store(records: list[dict[str, object]], folder: Path, base: dict[str, object] | None = None) -> str:
    """Write the events (and ``base``: the base map's shapes, ``base_payload``) as JSON named by their content:
    the app serves it once instead of sending it with every rerun; returns the file name."""
    import hashlib

    payload = json.dumps({"events": {r["id"]: r for r in records}, "base": base}, ensure_ascii=False,
                         separators=(",", ":"))
    name = f"events-{hashlib.sha1(payload.encode()).hexdigest()[:16]}.json"
    folder.mkdir(parents=True, exist_ok=True)
    target = folder / name
    if not target.exists():
        tmp = target.with_suffix(".tmp")
        tmp.write_text(payload, encoding="utf-8")
        tmp.replace(target)
        prune_event_stores(folder, keep={name})
    return name


def ensure_event_store(name: str, records: list[dict[str, object]], folder: Path,
                       base: dict[str, object] | None = None) -> None:
    """Mark an event store as in use (so pruning spares it), writing it again if it was pruned meanwhile."""
    try:
        os.utime(folder / name)
    except FileNotFoundError:
        write_event_store(records, folder, base)


def prune_event_stores(folder: Path, keep: Collection[str] = (), max_age_s: float = 6 * 3600,
                       max_files: int = 64) -> int:
    """Delete event stores unused for ``max_age_s`` seconds, and the oldest beyond ``max_files`` (a hosted app
    writes one per workspace it draws); returns how many were deleted."""
    import time

    stores = sorted(((p.stat().st_mtime, p) for p in folder.glob("events-*.json")), reverse=True)
    now = time.time()
    deleted = 0
    kept = sum(path.name in keep for _, path in stores)
    for mtime, path in stores:
        if path.name in keep:
            continue
        if kept >= max_files or now - mtime > max_age_s:
            path.unlink(missing_ok=True)
            deleted += 1
        else:
            kept += 1
    return deleted


class EventMarkers(MacroElement):
    """Draws the events whose ids it is given (from window.smEvents) into its parent layer.

    A slider move only sends this list of ids, so the map updates in place quickly even with
    thousands of events. Tooltip and popup strings were escaped by ``safe_html`` in Python.
    """

    _template = Template("""
    {% macro script(this, kwargs) %}
    (function () {
      var group = {{ this._parent.get_name() }};
      var ids = {{ this.ids_json }};
      var selected = {{ this.selected_json }};
      var colorBy = {{ this.color_by_json }};
      document.body.setAttribute("data-sm-color-by", colorBy);  // the legend shows what the colour says
      var cluster = window.smClusterGroup({{ this.animate_json }});
      group.addLayer(cluster);
      var markers = [], byId = {};
      ids.forEach(function (id) {
        var e = window.smEvents[id];
        if (!e) { return; }
        var isSel = id === selected;
        if (e.ring > 0 && (isSel || ids.length <= 300)) {  // a town's extent, while the rings are few enough to read
          L.circle([e.lat, e.lon], {radius: e.ring, color: isSel ? "#111" : (colorBy === "type" ? e.color : e.scolor),
                    weight: 1, dashArray: "4 4", fill: false, interactive: false, smStart: e.start,
                    smEnd: e.end}).addTo(group);
        }
        var marker = window.smMarker(e, isSel, colorBy);
        byId[id] = marker;
        if (isSel) {  // the selected event stands apart from any group, its popup open (also after a redraw,
          marker.addTo(group);  // unless the person closed it: then it stays closed until opened again)
          marker.on("popupclose", function () { if (marker._map) { window.smClosedSelected = id; } });
          marker.on("popupopen", function () { window.smClosedSelected = null; });
          setTimeout(function () {
            if (!marker._map || window.smClosedSelected === id) { return; }
            marker.openPopup();
            // The view chosen for the selection (centred on it) may be set after the popup opened, whose top then
            // sat above the map (walkthrough, after a click on a sentence or a table row): fit it again after
            // the next move, and once more a moment later.
            var map = marker._map;
            // (Leaflet 1.9's own autopan; update() would also redraw the content and close an opened "Why…")
            var refit = function () { if (marker.isPopupOpen()) { marker.getPopup()._adjustPan(); } };
            map.once("moveend", refit);
            setTimeout(function () { map.off("moveend", refit); refit(); }, 700);
          }, 0);
        } else {
          markers.push(marker);
        }
      });
      cluster.addLayers(markers);
      window.smLayer = {cluster: cluster, group: group, markers: byId, selected: selected};
    })();
    {% endmacro %}
    """)

    def __init__(self, ids: list[str], selected: str | None = None, color_by: str = "side",
                 animate: bool = True) -> None:
        super().__init__()
        self._name = "EventMarkers"
        self.animate_json = _json_for_script(bool(animate))
        self.ids_json = _json_for_script(ids)
        self.selected_json = _json_for_script(selected)
        self.color_by_json = _json_for_script(color_by if color_by in COLOR_BY else "side")


def events_layer(events: gpd.GeoDataFrame, name: str = "Events", selected: str | None = None,
                 color_by: str = "side", animate: bool = True) -> folium.FeatureGroup:
    """The layer of event markers (the map must carry an ``EventStore`` with these events); ``color_by``: "side"
    (of the acting force) or "type"; ``animate``: groups fan out and gather with an animation."""
    group = folium.FeatureGroup(name=name)
    EventMarkers([str(i) for i in events["event_id"]] if len(events) else [], selected, color_by,
                 animate).add_to(group)
    return group


class FocusWithoutScroll(MacroElement):
    """Leaflet focuses the map on a mouse press (for keyboard panning); in an embedding frame that focus scrolls
    the map under the pointer, so a visitor's first click on a marker landed beside it. Focus without scrolling."""

    _template = Template("""
    {% macro script(this, kwargs) %}
    (function (map) {
      if (!map.keyboard || !map.keyboard.enabled()) { return; }
      map.keyboard.disable();
      map.keyboard._onMouseDown = function () {
        if (!this._focused) { this._map.getContainer().focus({preventScroll: true}); }
      };
      map.keyboard.enable();
      // A press on a group's count must not focus it either (the same scroll under the pointer).
      map.getPane("markerPane").addEventListener("mousedown", function (ev) { ev.preventDefault(); });
    })({{ this._parent.get_name() }});
    {% endmacro %}
    """)


class WheelAfterClick(MacroElement):
    """A map inside a page that scrolls: the mouse wheel scrolls the page until the map is clicked, then zooms the
    map until the pointer leaves it; a wheel over the map before that says so for a moment. (Walkthrough: one turn
    of the wheel meant to scroll past the map zoomed it out to the whole of Europe.)"""

    _template = Template("""
    {% macro script(this, kwargs) %}
    (function (map) {
      map.scrollWheelZoom.disable();
      var box = map.getContainer();
      var hint = L.DomUtil.create("div", "sm-wheel-hint", box);
      hint.textContent = "Click the map, then the wheel zooms it";
      var timer = null;
      box.addEventListener("wheel", function () {
        if (map.scrollWheelZoom.enabled()) { return; }
        hint.style.opacity = 1;
        clearTimeout(timer);
        timer = setTimeout(function () { hint.style.opacity = 0; }, 1200);
      }, {passive: true});
      map.on("mousedown", function () { map.scrollWheelZoom.enable(); hint.style.opacity = 0; });
      box.addEventListener("mouseleave", function () { map.scrollWheelZoom.disable(); });
    })({{ this._parent.get_name() }});
    {% endmacro %}
    {% macro header(this, kwargs) %}
    <style>
      .sm-wheel-hint { position: absolute; left: 50%; top: 12px; transform: translateX(-50%); z-index: 1200;
        background: rgba(0,0,0,.6); color: #fff; font: 600 14px system-ui, sans-serif; padding: 6px 12px;
        border-radius: 6px; opacity: 0; transition: opacity .2s; pointer-events: none; }
    </style>
    {% endmacro %}
    """)


class TwoFingerPan(MacroElement):
    """On a touch screen, a map inside a longer page: one finger scrolls the page, two fingers move and zoom the
    map (Leaflet's pinch zoom follows the fingers), and a one-finger swipe over the map says so for a moment.
    (Walkthrough: on a phone the map fills the width, so every swipe that began on it panned it, and the text and
    the table under it could hardly be scrolled to.)"""

    _template = Template("""
    {% macro script(this, kwargs) %}
    (function (map) {
      if (!window.matchMedia || !window.matchMedia("(pointer: coarse)").matches) { return; }
      map.dragging.disable();  // (Leaflet then lets the browser scroll on one finger: touch-action pan-x pan-y)
      var box = map.getContainer();
      var hint = L.DomUtil.create("div", "sm-two-fingers", box);
      hint.textContent = "Two fingers move the map";
      var timer = null;
      box.addEventListener("touchmove", function (e) {
        if (e.touches.length !== 1) { hint.style.opacity = 0; return; }
        hint.style.opacity = 1;
        clearTimeout(timer);
        timer = setTimeout(function () { hint.style.opacity = 0; }, 1200);
      }, {passive: true});
    })({{ this._parent.get_name() }});
    {% endmacro %}
    {% macro header(this, kwargs) %}
    <style>
      .sm-two-fingers { position: absolute; inset: 0; z-index: 1200; display: flex; align-items: center;
        justify-content: center; background: rgba(0,0,0,.35); color: #fff; font: 600 18px system-ui, sans-serif;
        opacity: 0; transition: opacity .2s; pointer-events: none; }
    </style>
    {% endmacro %}
    """)

    def __init__(self) -> None:
        super().__init__()
        self._name = "TwoFingerPan"


class Legend(MacroElement):
    """A fixed legend explaining every colour and symbol of the map."""

    _template = Template("""
    {% macro html(this, kwargs) %}
    <details class="sm-legend" id="{{ this.get_name() }}"{% if this.open %} open{% endif %}>
      <summary class="sm-legend-title">Legend</summary>
      <div class="sm-by-side">
        <div class="sm-legend-head">Colour: side of the acting force</div>
        {% for label, color in this.sides %}
          <div><span class="sm-dot" style="background:{{ color }}"></span>{{ label }}</div>
        {% endfor %}
        <div class="sm-legend-head">Shape: type of event</div>
        {% for label, svg in this.shapes_grey %}<div>{{ svg }}{{ label }}</div>{% endfor %}
      </div>
      <div class="sm-by-type">
        <div class="sm-legend-head">Type of event (colour and shape)</div>
        {% for label, svg in this.shapes_colored %}<div>{{ svg }}{{ label }}</div>{% endfor %}
      </div>
      <div><span class="sm-cluster-key">3</span>events at one place: click to fan out</div>
      <div class="sm-legend-sep"></div>
      <div><span class="sm-dot sm-faint"></span>paler = less certain</div>
      <div><span class="sm-dot" style="box-shadow:0 0 0 2px #555"></span>grey ring: checked by a person</div>
      <div><span class="sm-dot" style="box-shadow:0 0 0 2px #1b7a34"></span>green ring: verified by a second</div>
      <div><span class="sm-ring"></span>dashed ring: a town's extent (uncertainty)</div>
      <div><span class="sm-area"></span>shaded: a named area (oblast, region)</div>
      <div><span class="sm-area sm-country"></span>dotted outline: a named country</div>
    </details>
    {% endmacro %}
    {% macro header(this, kwargs) %}
    <style>
      .leaflet-container { background: {{ this.sea }}; }
      .leaflet-interactive:focus { outline: none; }  /* a click on an area drew the browser's focus box */
      .sm-legend { position: absolute; z-index: 1000; bottom: 24px; right: 10px; background: rgba(255,255,255,.92);
        padding: 4px 8px; border-radius: 6px; font: 11px/1.35 system-ui, sans-serif; box-shadow: 0 1px 4px #0004;
        max-width: 230px; }
      .sm-legend-title { font-weight: 600; cursor: pointer; }
      .sm-legend-head { font-weight: 600; color: #444; margin-top: 3px; }
      .sm-legend svg { vertical-align: -2px; margin-right: 5px; }
      .sm-by-type { display: none; }
      body[data-sm-color-by="type"] .sm-by-type { display: block; }
      body[data-sm-color-by="type"] .sm-by-side { display: none; }
      .sm-cluster { background: rgba(40, 40, 40, .78); border: 2px solid #fff; border-radius: 50%;
        box-shadow: 0 0 0 1px #555, 0 1px 4px #0006; color: #fff; text-align: center;
        font: 700 14px/30px system-ui, sans-serif; }
      .sm-cluster-key { display: inline-block; width: 15px; height: 15px; border-radius: 50%; margin-right: 4px;
        background: #333; color: #fff; font: 700 9px/15px system-ui, sans-serif; text-align: center; }
      .sm-event { background: none; border: none; }
      .sm-side { font-size: 12px; white-space: nowrap; }
      .sm-legend-sep { border-top: 1px solid #ddd; margin: 4px 0; }
      .sm-dot { display: inline-block; width: 11px; height: 11px; border-radius: 50%; margin-right: 6px;
        vertical-align: -1px; border: 1px solid #fff; box-shadow: 0 0 0 1px #999; }
      .sm-faint { background: #1f77b4; opacity: .4; }
      .sm-ring { display: inline-block; width: 11px; height: 11px; border-radius: 50%; margin-right: 6px;
        border: 1px dashed #555; vertical-align: -1px; }
      .sm-area { display: inline-block; width: 14px; height: 10px; margin-right: 4px; vertical-align: -1px;
        background: rgba(106,81,163,.25); border: 2px solid #6a51a3; }
      .sm-country { background: rgba(84,39,143,.06); border: 1px dotted #54278f; }
      .sm-area-info { background: rgba(255,255,255,.92); padding: 4px 8px; border-radius: 4px; max-width: 260px;
        font: 12px/1.35 system-ui, sans-serif; color: #333; box-shadow: 0 1px 3px #0003; pointer-events: none; }
      .sm-label { display: inline-block; font: 11px/1.1 system-ui, sans-serif; color: #555; white-space: nowrap;
        text-shadow: 0 0 2px #fff, 0 0 2px #fff; }
      .sm-strong { font-weight: 700; color: #222; font-size: 12px; }
      .sm-popup { font: 13px/1.4 system-ui, sans-serif; }
      .sm-why { margin-top: 3px; } .sm-why summary { cursor: pointer; color: #444; }
      .sm-sentence { color: #333; font-style: italic; }
      .sm-why-missing { color: #666; font-size: 12px; margin-top: 2px; }
      /* a popup taller than the map scrolls inside: a shade at its foot says there is more (walkthrough: on a
         phone its sentence and link were out of sight with no sign of them) */
      .leaflet-popup-scrolled { border-bottom: 1px solid #ccc;
        box-shadow: inset 0 -16px 12px -12px rgba(0,0,0,.28); }
    </style>
    {% endmacro %}
    """)

    def __init__(self, event_types: Sequence[str] | None = None, open_: bool = True,
                 sides: Sequence[tuple[str, str]] = ()) -> None:
        super().__init__()
        self._name = "Legend"
        self.open = open_
        types = [t for t in EVENT_COLORS if t in (event_types or EVENT_COLORS)] or list(EVENT_COLORS)
        self.sides = [(html.escape(n), c) for n, c in sides] or [(UNKNOWN.name, UNKNOWN.color)]
        self.shapes_grey = [(html.escape(t), shape_svg(EVENT_SHAPES.get(t, "circle"), "#9a9a9a")) for t in types]
        self.shapes_colored = [(html.escape(t), shape_svg(EVENT_SHAPES.get(t, "circle"), EVENT_COLORS[t]))
                               for t in types]
        self.sea = SEA


def shape_svg(shape: str, fill: str, size: int = 13) -> str:
    """A marker's shape as inline SVG (for legends)."""
    return (f'<svg xmlns="http://www.w3.org/2000/svg" width="{size}" height="{size}" viewBox="0 0 20 20">'
            f'<path d="{SHAPE_PATHS[shape]}" fill="{fill}" stroke="#555" stroke-width="1.2"/></svg>')


#: The shapes as characters, for keys written in text (the app's line under the map); a statement's "ring" is drawn
#: as a small filled dot (SHAPE_PATHS), so its character is one too (the key said "○": walkthrough).
SHAPE_SYMBOLS = {"circle": "●", "ring": "•", "square": "■", "diamond": "◆", "triangle": "▼", "hexagon": "⬢",
                 "star": "★"}


def event_key_html(event_types: Sequence[str], sides: Sequence[tuple[str, str]] = (), color_by: str = "side") -> str:
    """The key to the markers, in a few wrapped lines beside the map in the app: colours (sides, or types) and
    shapes."""
    item = '<span style="white-space:nowrap">{}</span> '  # (a space between items: the line may wrap there)
    symbol = '<span style="color:{};font-size:15px">{}</span>&nbsp;'
    types = [t for t in EVENT_COLORS if t in event_types]
    if color_by == "type":
        parts = ["<b>Colour and shape</b> = type: ",
                 *(item.format(symbol.format(EVENT_COLORS[t], SHAPE_SYMBOLS[EVENT_SHAPES.get(t, "circle")])
                               + html.escape(t)) for t in types)]
    else:
        parts = ["<b>Colour</b> = side: ", *(item.format(symbol.format(c, "●") + html.escape(n)) for n, c in sides),
                 "<br><b>Shape</b> = type: ",
                 *(item.format(symbol.format("#777", SHAPE_SYMBOLS[EVENT_SHAPES.get(t, "circle")]) + html.escape(t))
                   for t in types)]
    return (f'<div class="sm-key" style="font:13px/1.7 system-ui,sans-serif;color:#444;overflow-wrap:anywhere">'
            f'{"".join(parts)}<br>'
            "<span>a number = events at one place (click it: they fan out) · paler = less certain · dashed ring = "
            "a town's extent · shaded = a named area · grey outline = checked · green outline = verified</span>"
            "</div>")


class TimeControl(MacroElement):
    """A date slider with a play button for the standalone HTML map: shows events in [start, day]."""

    _template = Template("""
    {% macro html(this, kwargs) %}
    <div class="sm-time" id="{{ this.get_name() }}">
      <button type="button" class="sm-play" title="Play through the timeline">▶</button>
      <input type="range" class="sm-range" min="0" max="{{ this.days|length - 1 }}" value="{{ this.days|length - 1 }}">
      <span class="sm-day"></span> <span class="sm-count"></span>
    </div>
    <style>
      .sm-time { position: absolute; z-index: 1000; bottom: 18px; left: 50%; transform: translateX(-50%);
        background: rgba(255,255,255,.95); padding: 6px 10px; border-radius: 6px; font: 13px system-ui, sans-serif;
        box-shadow: 0 1px 4px #0004; display: flex; gap: 8px; align-items: center; }
      .sm-range { width: 260px; }
    </style>
    {% endmacro %}
    {% macro script(this, kwargs) %}
    (function () {
      var map = {{ this._parent.get_name() }};
      var layer = {{ this.layer.get_name() }};
      var days = {{ this.days|tojson }};
      var box = document.getElementById("{{ this.get_name() }}");
      var range = box.querySelector(".sm-range"), label = box.querySelector(".sm-day"),
          count = box.querySelector(".sm-count"), play = box.querySelector(".sm-play");
      L.DomEvent.disableClickPropagation(box);
      var drawn = window.smLayer, markers = Object.keys(drawn.markers).map(function (id) { return drawn.markers[id]; });
      var rings = [];
      layer.eachLayer(function (l) { if (l instanceof L.Circle) { rings.push(l); } });
      function starts(m, day) { var start = m.options.smStart || ""; return !start || start <= day; }
      function show(i) {
        var day = days[i];
        label.textContent = "up to " + day;
        var visible = markers.filter(function (m) { return starts(m, day); });
        drawn.cluster.clearLayers();
        drawn.cluster.addLayers(visible);
        rings.forEach(function (r) {
          if (starts(r, day)) { if (!layer.hasLayer(r)) { layer.addLayer(r); } }
          else if (layer.hasLayer(r)) { layer.removeLayer(r); }
        });
        count.textContent = "(" + visible.length + " of " + markers.length + " events)";
      }
      var timer = null;
      play.addEventListener("click", function () {
        if (timer) { clearInterval(timer); timer = null; play.textContent = "▶"; return; }
        if (+range.value >= days.length - 1) { range.value = 0; }
        play.textContent = "❚❚"; show(+range.value);
        timer = setInterval(function () {
          if (+range.value >= days.length - 1) { clearInterval(timer); timer = null; play.textContent = "▶"; return; }
          range.value = +range.value + 1; show(+range.value);
        }, 700);
      });
      range.addEventListener("input", function () { show(+range.value); });
      show(+range.value);
    })();
    {% endmacro %}
    """)

    def __init__(self, layer: folium.FeatureGroup, events: gpd.GeoDataFrame) -> None:
        super().__init__()
        self._name = "TimeControl"
        self.layer = layer
        self.days = timeline_days(events)


def _day_str(value: object) -> str:
    return "" if value is None or pd.isna(value) else pd.Timestamp(value).strftime("%Y-%m-%d")


def timeline_days(events: gpd.GeoDataFrame) -> list[str]:
    """Every day from the first event start to the last, as ISO strings."""
    starts = pd.to_datetime(events["date_start"]).dropna() if len(events) else pd.Series([], dtype="datetime64[ns]")
    ends = pd.to_datetime(events["date_end"]).dropna() if len(events) else starts
    if starts.empty and ends.empty:
        return [dt.date.today().isoformat()]
    first = min(starts.min() if not starts.empty else ends.min(), ends.min() - pd.Timedelta(days=1)
                if not ends.empty else starts.min()).normalize()
    last = max(starts.max() if not starts.empty else first, (ends.max() - pd.Timedelta(seconds=1))
               if not ends.empty else first).normalize()
    return [d.strftime("%Y-%m-%d") for d in pd.date_range(first, last, freq="D")]


# -- whole maps -----------------------------------------------------------------------------------
def focus_countries(places: gpd.GeoDataFrame, events: gpd.GeoDataFrame) -> list[str]:
    """The country (or two) where the events happen."""
    if not len(events) or not len(places):
        return []
    ids = set(events["place_id"].dropna())
    local = places[places["place_id"].isin(ids) & places["country"].notna()]
    return list(local["country"].value_counts().index[:2])


def base_map(places: gpd.GeoDataFrame, events: gpd.GeoDataFrame, gazetteer: OfflineGazetteer, settings: Settings,
             mode: AssetMode = AssetMode.SERVED, online_tiles: bool = True, layer_control: bool = True) -> folium.Map:
    """Everything but the events: basemap, labels, named areas, legend (the app adds events on top)."""
    return build_base_map(prepare_base_layers(places, events, gazetteer, settings), settings, mode, online_tiles,
                          layer_control)


def build_base_map(layers: BaseLayers, settings: Settings, mode: AssetMode = AssetMode.SERVED,
                   online_tiles: bool = True, layer_control: bool = True, compact: bool = False,
                   events_url: str | None = None, in_page: bool = False) -> folium.Map:
    """The base map; a layer control lists its layers (pass False to add one later, after more layers).

    ``compact`` (a narrow map beside text): the legend starts folded and the view is not padded for it.
    ``in_page`` (a map in a page that scrolls): the mouse wheel zooms it only once it is clicked.
    """
    south, west, north, east = layers.bounds
    m = folium.Map(location=[(south + north) / 2, (west + east) / 2], zoom_start=6, tiles=None,
                   control_scale=True)
    apply_assets(m, settings, mode)
    world_url = "/app/static/derived/basemap-coarse.geojson" if mode is AssetMode.SERVED else None
    EventStore(layers.events, url=events_url).add_to(m)  # (first: the base layers may be in its file)
    add_base_layers(m, layers, world_url, stored=events_url is not None)
    FocusWithoutScroll().add_to(m)
    if compact:
        TwoFingerPan().add_to(m)
    if in_page:
        WheelAfterClick().add_to(m)
    if online_tiles and settings.online_tiles:
        # Optional, off by default: only requested when the user ticks it in the layer control.
        folium.TileLayer(settings.online_tiles, name=f"{settings.online_tiles} tiles (online)", overlay=True,
                         show=False, control=True).add_to(m)
    Legend(layers.event_types or None, open_=not compact, sides=layers.sides).add_to(m)
    if layer_control:
        folium.LayerControl(collapsed=True).add_to(m)
    # Keep the events clear of the legend (bottom right) and the time control (bottom centre). Not animated: a
    # framing zoom still running would end after a view set next (the Present page's first step) and undo it.
    fit = FitBounds([[south, west], [north, east]], padding_top_left=(20, 20) if compact else (30, 30),
                    padding_bottom_right=(20, 20) if compact else (250, 110))
    fit.options["animate"] = False
    m.add_child(fit)
    return m


def standalone_map(places: gpd.GeoDataFrame, events: gpd.GeoDataFrame, gazetteer: OfflineGazetteer,
                   settings: Settings, title: str = "") -> folium.Map:
    """A self-contained map (assets inlined) with events and a playable time control."""
    m = base_map(places, events, gazetteer, settings, mode=AssetMode.INLINE, layer_control=False)
    layer = events_layer(events)
    layer.add_to(m)
    TimeControl(layer, events).add_to(m)
    folium.LayerControl(collapsed=True).add_to(m)
    if title:
        m.get_root().header.add_child(Element(f"<title>{safe_html(title)}</title>"))
    return m


def story_steps(events: gpd.GeoDataFrame, titles: dict[str, str] | None = None) -> list[dict[str, object]]:
    """The events that happened, in time order (undated last), each a step of a story: where to fly, how close,
    and its caption (escaped), with the article it is told in (``titles``: article id -> title)."""
    shown = events[events["event_type"] != "Statement"] if len(events) else events
    if not len(shown):
        return []
    start = pd.to_datetime(shown["date_start"]).fillna(pd.to_datetime(shown["date_end"]) - pd.Timedelta(days=1))
    order = shown.assign(_t=start).sort_values(["_t", "article_id", "sentence_index"], na_position="last",
                                                kind="stable")
    return [{"id": str(row["event_id"]), "lat": round(row.geometry.y, 5), "lon": round(row.geometry.x, 5),
             "zoom": step_zoom(row["place_kind"]), "when": _fmt_interval(row),
             "what": safe_html(row["sub_event_type"]), "type": safe_html(row["event_type"]),
             "where": safe_html(row["place_name"] or "an unknown place"), "sentence": in_quotes(row["sentence"]),
             "source": safe_html((titles or {}).get(row["article_id"]) or row["article_id"] or "")}
            for _, row in order.iterrows() if row.geometry is not None]


def step_zoom(place_kind: object) -> int:
    """How close a story step comes: a site or town close, a region further, a country from afar. Close enough
    to tell the place, not so close that only one shaded area and the sea are in view (walkthrough: a class saw
    nothing it could tell where it was at a site's 10 km scale); the coast and borders around it stay in sight."""
    return {"facility": 8, "landmark": 8, "city": 8, "point": 8, "admin2": 7, "area": 6,
            "admin1": 6}.get(str(place_kind), 5)


class StoryControl(MacroElement):
    """Steps through the events one by one (Next/Previous, the arrow keys): the map flies to each, its popup
    opens, the events so far are on the map, and a caption gives the date, what, where and the sentence with how
    far the story is ("3 / 9" and a bar). Stepping happens in the browser, without a round trip to a server.

    ``start``: the step shown first (0-based). ``in_app``: the map is a frame of the app's Present page — the keys
    work wherever the page has the focus, and the step and its event are written into the page's address (a
    reload or a shared link comes back to it)."""

    _template = Template("""
    {% macro html(this, kwargs) %}
    <div class="sm-story" id="{{ this.get_name() }}">
      <div class="sm-story-bar">
        <button type="button" class="sm-prev" title="Previous event (←)">◀ Previous</button>
        <span class="sm-step-box"><span class="sm-step"></span><span class="sm-keys">or the ← → keys</span></span>
        <button type="button" class="sm-next" title="Next event (→)">Next ▶</button>
      </div>
      <div class="sm-story-progress"><div></div></div>
      <div class="sm-story-when"></div><div class="sm-story-what"></div>
      <div class="sm-story-sentence"></div><div class="sm-story-source"></div>
    </div>
    <style>
      .sm-story { position: absolute; z-index: 1000; left: 12px; right: 12px; bottom: 14px; max-width: 900px;
        margin: 0 auto; background: rgba(255,255,255,.96); border-radius: 8px; padding: 10px 16px;
        box-shadow: 0 2px 8px #0005; font: 20px/1.35 system-ui, sans-serif; }
      .sm-story { display: flex; flex-direction: column; }  /* the buttons last: they stay put as the text varies */
      .sm-story-bar { display: flex; align-items: center; gap: 12px; order: 10; margin-top: 6px; }
      .sm-story-progress { order: 9; }
      .leaflet-tooltip { white-space: normal; width: max-content; max-width: min(320px, 70vw); }  /* a step's label wraps */
      .sm-story-bar button { font: inherit; font-size: 18px; padding: 4px 14px; border-radius: 6px;
        border: 1px solid #999; background: #fff; cursor: pointer; min-height: 40px; }
      .sm-story-bar button:disabled { opacity: .4; cursor: default; }
      .sm-step-box { flex: 1; display: flex; flex-direction: column; align-items: center; line-height: 1.15; }
      .sm-step { font-weight: 600; }
      .sm-keys { font-size: 12px; color: #777; }
      .sm-story-progress { height: 4px; background: #e5e5e5; border-radius: 2px; margin-top: 6px; }
      .sm-story-progress div { height: 4px; background: #c62828; border-radius: 2px; width: 0; }
      .sm-story-when { color: #555; font-size: 17px; margin-top: 6px; }
      .sm-story-what { font-weight: 600; }
      .sm-story-sentence { font: italic 19px/1.4 Georgia, serif; margin-top: 4px; max-height: 5.6em;
        overflow-y: auto; }
      .sm-story-sentence.sm-more { -webkit-mask-image: linear-gradient(to bottom, #000 65%, transparent);
        mask-image: linear-gradient(to bottom, #000 65%, transparent); }
      .sm-story-source { color: #666; font-size: 14px; margin-top: 2px; }
      .sm-time { display: none; }
      .sm-legend { bottom: auto; top: 64px; }
      /* seen from the back of a classroom: markers half as big again (drawn over the 20 px they are clicked in),
         their labels clear of them */
      .sm-event svg { width: 32px; height: 32px; margin: -6px; }
      .sm-event.sm-selected-event svg { width: 40px; height: 40px; margin: -6px; }
      .leaflet-tooltip-top { margin-top: -14px; }
      .leaflet-top.leaflet-left .leaflet-control-scale { margin-top: 10px; }
      @media (max-width: 640px) {
        .sm-story { left: 6px; right: 6px; bottom: 6px; padding: 6px 10px; font-size: 16px; }
        .sm-story-bar button { font-size: 15px; padding: 4px 8px; }
        .sm-keys { display: none; }  /* (a phone has no arrow keys) */
        .sm-story-when { font-size: 14px; } .sm-story-sentence { font-size: 15px; max-height: 4.2em; }
      }
    </style>
    {% endmacro %}
    {% macro script(this, kwargs) %}
    (function () {
      var map = {{ this._parent.get_name() }};
      var steps = {{ this.steps_json }};
      var inApp = {{ this.in_app_json }};
      var box = document.getElementById("{{ this.get_name() }}");
      L.DomEvent.disableClickPropagation(box);
      L.DomEvent.disableScrollPropagation(box);
      var at = -1;
      // the scale beside the zoom buttons: in its corner below, the caption hid it
      var scale = map.getContainer().querySelector(".leaflet-control-scale");
      var topLeft = map.getContainer().querySelector(".leaflet-top.leaflet-left");
      if (scale && topLeft) { topLeft.appendChild(scale); }
      function marker(id) { return window.smLayer ? window.smLayer.markers[id] : null; }
      function soFar(i) {  // the events up to this step on the map; the others (and statements) not yet
        if (!window.smLayer) { return; }
        var shown = steps.slice(0, i + 1).map(function (s) { return marker(s.id); }).filter(Boolean);
        window.smLayer.cluster.clearLayers();
        window.smLayer.cluster.addLayers(shown);
      }
      function remember(s) {  // the step in the page's address: a reload or a link comes back to it
        if (!inApp) { return; }
        try {
          var u = new URL(window.parent.location.href);
          u.searchParams.set("step", String(at + 1));
          u.searchParams.set("ev", s.id);
          window.parent.history.replaceState(window.parent.history.state, "", u.href);
        } catch (err) { /* not the app's own page */ }
      }
      // A sentence longer than its box scrolls; until its end is in view its last line fades out (a touch screen
      // shows no scroll bar).
      var sentence = box.querySelector(".sm-story-sentence");
      function more() {
        sentence.classList.toggle("sm-more", sentence.scrollHeight - sentence.scrollTop - sentence.clientHeight > 2);
      }
      sentence.addEventListener("scroll", more);
      window.addEventListener("resize", more);
      function show(i) {
        if (!steps.length) { box.querySelector(".sm-step").textContent = "No events"; return; }
        at = Math.max(0, Math.min(steps.length - 1, i));
        var s = steps[at];
        box.querySelector(".sm-step").textContent = (at + 1) + " / " + steps.length;
        box.querySelector(".sm-story-progress div").style.width = (100 * (at + 1) / steps.length) + "%";
        box.querySelector(".sm-story-when").innerHTML = s.when;
        box.querySelector(".sm-story-what").innerHTML = s.what + " — " + s.where;
        sentence.innerHTML = s.sentence;
        sentence.scrollTop = 0;
        more();
        box.querySelector(".sm-story-source").innerHTML = s.source ? "From: " + s.source : "";
        box.querySelector(".sm-prev").disabled = at === 0;
        box.querySelector(".sm-next").disabled = at === steps.length - 1;
        map.closePopup();
        map.eachLayer(function (l) { if (l instanceof L.Tooltip) { map.removeLayer(l); } });
        soFar(at);
        remember(s);
        map.once("moveend", function () {  // its marker shows (a group it is in fans out) with a short label;
          var m = marker(s.id);            // the caption says the rest, a click on the marker its details
          if (!m || steps[at].id !== s.id) { return; }  // (stepped on meanwhile)
          var label = function () { if (steps[at].id === s.id) { m.openTooltip(); } };
          var cluster = window.smLayer.cluster, group = cluster.getVisibleParent(m);
          if (group === m) { label(); }
          else if (group && group.spiderfy) {  // fan its group out where it is (zooming in on one point is slow)
            cluster.once("spiderfied", label);
            group.spiderfy();
            setTimeout(label, 600);  // (no event when it was fanned out already, or a zoom was still running)
          } else { cluster.zoomToShowLayer(m, label); }
        });
        centre(s, shown);
        shown = true;
      }
      var shown = false;  // the first step is set at once, later ones flown to
      function centre(s, fly) {  // the event in the middle of the map above the caption, not under it
        var lift = box.offsetHeight / 2;
        var target = map.unproject(map.project([s.lat, s.lon], s.zoom).add([0, lift]), s.zoom);
        if (fly && map.getSize().x > 0) { map.flyTo(target, s.zoom, {duration: 0.2}); }
        else { map.setView(target, s.zoom, {animate: false}); }
      }
      map.on("resize", function () { if (at >= 0) { centre(steps[at], false); } });  // a resized window too
      box.querySelector(".sm-prev").addEventListener("click", function () { show(at - 1); });
      box.querySelector(".sm-next").addEventListener("click", function () { show(at + 1); });
      function onKey(e) {
        var t = e.target && e.target.tagName;
        if (t === "INPUT" || t === "TEXTAREA") { return; }
        if (e.key === "ArrowRight" || e.key === "PageDown" || e.key === " ") { show(at + 1); e.preventDefault(); }
        if (e.key === "ArrowLeft" || e.key === "PageUp") { show(at - 1); e.preventDefault(); }
      }
      document.addEventListener("keydown", onKey);
      if (inApp) {  // the keys work wherever the presenter's page has the focus (one listener, this map's)
        try {
          var host = window.parent;
          if (host.smStoryKeys) { host.document.removeEventListener("keydown", host.smStoryKeys); }
          host.smStoryKeys = onKey;
          host.document.addEventListener("keydown", onKey);
        } catch (err) { /* not the app's own page */ }
      }
      show({{ this.start }});
    })();
    {% endmacro %}
    """)

    def __init__(self, steps: list[dict[str, object]], start: int = 0, in_app: bool = False) -> None:
        super().__init__()
        self._name = "StoryControl"
        self.steps_json = _json_for_script(steps)
        self.start = max(0, min(int(start), len(steps) - 1)) if steps else 0
        self.in_app_json = _json_for_script(bool(in_app))


def present_map(layers: BaseLayers, events: gpd.GeoDataFrame, settings: Settings, start: int = 0,
                color_by: str = "side", events_url: str | None = None,
                titles: dict[str, str] | None = None) -> folium.Map:
    """The Present page's map: the story of ``events`` (statements left out), stepped in the browser."""
    m = build_base_map(layers, settings, compact=True, events_url=events_url, layer_control=False)
    events_layer(events[events["event_type"] != "Statement"] if len(events) else events,  # (a step shows at once)
                 color_by=color_by, animate=False).add_to(m)
    StoryControl(story_steps(events, titles), start=start, in_app=True).add_to(m)
    folium.LayerControl(collapsed=True).add_to(m)  # (after the layers it lists)
    return m


def story_map(places: gpd.GeoDataFrame, events: gpd.GeoDataFrame, gazetteer: OfflineGazetteer,
              settings: Settings, title: str = "", titles: dict[str, str] | None = None) -> folium.Map:
    """The story as one offline HTML file: the standalone map with every event, stepped through one by one
    (``titles``: article id -> title, named under each step's sentence)."""
    m = standalone_map(places, events, gazetteer, settings, title)
    StoryControl(story_steps(events, titles)).add_to(m)
    return m
