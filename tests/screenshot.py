"""Take a headless-Chromium screenshot of a URL or file (for the README and for looking at the map).

    python tests/screenshot.py URL OUT.png [--wait-for SELECTOR] [--width 1400 --height 900]
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from playwright.sync_api import sync_playwright

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))  # run as a script from anywhere
from geo.bench import CHROMIUM, CHROMIUM_ARGS  # noqa: E402


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("url")
    parser.add_argument("out")
    parser.add_argument("--width", type=int, default=1400)
    parser.add_argument("--height", type=int, default=900)
    parser.add_argument("--wait-ms", type=int, default=1500)
    parser.add_argument("--frame-selector", default="", help="wait for this selector in any frame")
    args = parser.parse_args()
    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        page = browser.new_page(viewport={"width": args.width, "height": args.height})
        outside: list[str] = []
        page.on("request", lambda r: outside.append(r.url) if not r.url.startswith(
            ("http://localhost", "http://127.0.0.1", "file://", "data:", "blob:", "about:")) else None)
        page.goto(args.url)
        if args.frame_selector:
            for _ in range(100):
                if any(f.query_selector(args.frame_selector) for f in page.frames):
                    break
                page.wait_for_timeout(200)
        page.wait_for_timeout(args.wait_ms)
        page.screenshot(path=args.out, full_page=False)
        browser.close()
    print(f"screenshot -> {args.out}; requests off localhost: {len(outside)} {outside[:5]}")


if __name__ == "__main__":
    main()
