"""Server start-up: warm what every visitor shares (the pipeline, the sample's analysis and map layers) before the
first visitor arrives, so the first map comes as fast as later ones. ``app.py`` runs ``warm`` from the server's
lifespan hook (``st.App``), in a thread, so the server answers at once while the resources load."""

from __future__ import annotations

import logging
import threading
import time
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager

log = logging.getLogger(__name__)


def warm() -> None:
    """Load the shared pipeline, and lay out the workspace a first visitor opens (the last one, or the sample's,
    made now) into the shared caches."""
    started = time.perf_counter()
    # Cached functions called outside a session log "missing ScriptRunContext" each time; expected here.
    logging.getLogger("streamlit.runtime.scriptrunner_utils.script_run_context").setLevel(logging.ERROR)
    try:
        from pages import common  # not pages.map: a component imported outside a session is never registered

        common.get_pipeline()
        folder = common.get_folder()
        slug = common.ensure_sample()
        view = common.workspace_view(slug, folder.open(slug))
        layers, events_url = common.base_layers(view, view.key)
        # Draw the map once: folium's and branca's templates are compiled on first use.
        from geo.highlight import article_html
        from geo.mapview import build_base_map, events_layer

        m = build_base_map(layers, common.get_pipeline().settings, compact=True, events_url=events_url, in_page=True)
        events_layer(view.events_gdf).add_to(m)
        m.get_root().render()
        shown = view.articles["article_id"].iloc[-1] if len(view.articles) else None
        analysis = common.stored_analysis(folder.open(slug), shown) if shown else None
        if analysis is not None:
            article_html(analysis)
    except Exception:  # a visitor will meet the same error with a message; the server must start anyway
        log.exception("warming the shared resources failed; the first visitor loads them")
        return
    log.info("shared resources warm in %.1f s", time.perf_counter() - started)


@asynccontextmanager
async def lifespan(_app: object) -> AsyncIterator[None]:
    threading.Thread(target=warm, name="situation-map-warm-up", daemon=True).start()
    yield
