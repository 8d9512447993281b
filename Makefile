# newsweave developer commands. `make help` lists them.
PY ?= python
PIP ?= $(PY) -m pip

.PHONY: help install install-test demo test lint format bench bench-quality bench-stories eval-stories browser

help:
	@grep -E '^[a-z-]+:.*## ' $(MAKEFILE_LIST) | sed 's/:.*## /\t/'

install: ## install newsweave (CPU torch pinned in pyproject)
	$(PIP) install -e .

install-test: ## install newsweave with test, eval, web and dask extras
	$(PIP) install -e '.[test]'

demo: install ## install and summarise the bundled sample story
	newsweave demo

test: install-test ## install test dependencies (and Chromium when possible) and run the whole default suite
	-@bash scripts/install-browser.sh || echo "Chromium could not be installed: browser tests will be skipped"
	$(PY) -m pytest

lint: ## ruff lint and format check
	ruff check newsweave tests scripts
	ruff format --check newsweave tests scripts

format: ## apply ruff formatting and safe fixes
	ruff check --fix newsweave tests scripts
	ruff format newsweave tests scripts

bench: ## speed and memory figures
	$(PY) scripts/bench_speed.py

bench-quality: ## ROUGE table: newsweave and peers on ../shared/data
	bash scripts/bench_quality.sh

bench-stories: ## stories at scale: 10k and 100k articles ingested and reclustered (~5 min)
	$(PY) scripts/bench_stories.py --sizes 10000,100000 --recluster

eval-stories: ## story clustering B-cubed on the labelled ../shared/data mix, with baselines
	$(PY) scripts/eval_clustering.py --thresholds 0.14,0.15,0.16,0.17,0.18,0.2

browser: ## Debian chromium + chromedriver for the browser tests (needs root)
	bash scripts/install-browser.sh
