"""The README's pictures of each mode, taken in headless Debian chromium from a server on the sample (real clicks):

    python tests/readme_pictures.py        # writes data/readme/*.png
"""

from __future__ import annotations

import sys
import tempfile
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))  # run as a script from anywhere

from playwright.sync_api import sync_playwright  # noqa: E402

from geo.bench import CHROMIUM, CHROMIUM_ARGS  # noqa: E402
from tests.browser.conftest import _serve  # noqa: E402
from tests.browser.test_app_browser import _count_markers, _map_frame, _settled, _wait_for, fan_out  # noqa: E402

OUT = Path(__file__).resolve().parents[1] / "data" / "readme"


def main() -> None:
    with tempfile.TemporaryDirectory() as folder, sync_playwright() as p:
        server = _serve("app.py", env={"SITMAP_WORKSPACES": folder})
        url = next(server)
        browser = p.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        try:
            page = browser.new_page(viewport={"width": 1400, "height": 950})
            page.goto(url)
            _wait_for(page, lambda: _count_markers(page) > 0, 90, "markers")
            _wait_for(page, lambda: "z=" in page.url, 30, "the map settled")
            _settled(page)
            _map_frame(page).locator(".sm-event, .sm-cluster").first.scroll_into_view_if_needed()
            page.locator(".st-key-sm_map_column iframe").first.scroll_into_view_if_needed()
            page.mouse.wheel(0, 250)
            page.wait_for_timeout(500)
            fan_out(page)  # the events at Mariupol, fanned out by a click on their group
            page.screenshot(path=str(OUT / "screenshot.png"))
            phone = browser.new_page(viewport={"width": 390, "height": 844})
            phone.goto(url)
            _wait_for(phone, lambda: _count_markers(phone) > 0, 90, "markers on the phone")
            _settled(phone)
            phone.screenshot(path=str(OUT / "phone.png"))
            projector = browser.new_page(viewport={"width": 1024, "height": 768})
            projector.goto(f"{url}/present?step=3")
            _wait_for(projector, lambda: projector.locator(".sm-present-title").count() == 1, 90, "the presentation")
            projector.wait_for_timeout(3000)
            projector.screenshot(path=str(OUT / "present.png"))
        finally:
            browser.close()
            server.close()


if __name__ == "__main__":
    main()
