# Medverk — every command the README and CI use lives here, so docs cannot drift.
# `make run` and `make test` set up everything they need on a fresh machine.

SHELL := /bin/bash
.DEFAULT_GOAL := help

# Python 3.10 (rasa 3.6.21 runs only on 3.10): PATH, then pyenv, then the usual places.
PYTHON310 ?= $(shell for p in python3.10 $$HOME/.pyenv/versions/3.10*/bin/python3.10 /usr/local/bin/python3.10 /usr/bin/python3.10; do \
	command -v $$p >/dev/null 2>&1 && $$p -c 'import sys; sys.exit(sys.version_info[:2] != (3, 10))' 2>/dev/null && { command -v $$p; break; }; done)

RASA_VENV := .venv/rasa
APP_VENV := .venv/app
RASA := $(RASA_VENV)/bin/rasa
APP_PY := $(APP_VENV)/bin/python
RASA_PY := $(RASA_VENV)/bin/python

# endpoints.yml reads these; any rasa command (train, test, shell) needs them set.
export MEDVERK_ACTION_SERVER_URL ?= http://127.0.0.1:5055
export MEDVERK_RASA_TRACKER_DB ?= $(CURDIR)/var/rasa_tracker.db
# Rasa's header to the action server (endpoints.yml); `make run` derives the real one from
# the secret key (medverk/stack_secrets.py). Offline rasa commands only need it to be set.
export MEDVERK_ACTION_TOKEN ?= set-by-the-runner

# Nothing leaves this machine that the municipality did not choose.
export RASA_TELEMETRY_ENABLED := false
export PYTHONPATH := $(CURDIR)
# pip and npm keep their download caches between runs, so a second install is fast.
export PIP_DISABLE_PIP_VERSION_CHECK := 1

TRAIN_DATA := data/nlu data/rules data/stories

# Local settings (see .env.example), exported to every process `make run` starts.
ifneq (,$(wildcard .env))
include .env
export $(shell sed -n 's/^\([A-Z_][A-Z0-9_]*\)=.*/\1/p' .env)
endif

.PHONY: help install install-rasa install-app browser-deps train run run-cluster test lint typecheck unit \
	unit-app unit-nlu test-dates system-deps validate test-stories test-browser test-resilience \
	nlu-report retrieval-report bench bench-triage bench-load bench-smoke unit-engine \
	clean audit audit-ci

help:
	@echo "make run      set up (first time), train if needed, start everything"
	@echo "make test     lint, unit tests, data validation, training, conversation and browser tests"
	@echo "make install  create the two Python environments (.venv/rasa, .venv/app)"
	@echo "make train    train the Rasa model if the data changed"
	@echo "make run-cluster  two Rasa engines behind HAProxy (PostgreSQL, Redis; docs/deployment.md)"

python310:
	@if [ -z "$(PYTHON310)" ]; then \
		echo "Python 3.10 was not found, and rasa 3.6.21 runs only on Python 3.10."; \
		echo "Install it, for example:  pyenv install 3.10.13   (or: apt-get install python3.10 python3.10-venv)"; \
		echo "or point to it:  make install PYTHON310=/path/to/python3.10"; \
		exit 1; fi

install: install-rasa install-app

install-rasa: $(RASA_VENV)/.installed
install-app: $(APP_VENV)/.installed

$(RASA_VENV)/.installed: requirements/rasa.lock.txt | python310
	@echo "== Rasa environment ($(RASA_VENV)) with $(PYTHON310)"
	@$(RASA_PY) -m pip --version >/dev/null 2>&1 || $(PYTHON310) -m venv --clear $(RASA_VENV)
	$(RASA_PY) -m pip install --quiet --upgrade "pip<25"
	$(RASA_PY) -m pip install --quiet -r requirements/rasa.lock.txt
	@touch $@

$(APP_VENV)/.installed: requirements/app.lock.txt pyproject.toml | python310
	@echo "== App environment ($(APP_VENV)) with $(PYTHON310)"
	@$(APP_PY) -m pip --version >/dev/null 2>&1 || $(PYTHON310) -m venv --clear $(APP_VENV)
	$(APP_PY) -m pip install --quiet --upgrade "pip<25"
	$(APP_PY) -m pip install --quiet -r requirements/app.lock.txt
	$(APP_PY) -m pip install --quiet --no-deps --no-build-isolation -e .
	@touch $@

# Debian packages the tests use (each checked by a file it installs); apt runs only when one is missing.
DEBIAN_PACKAGES := chromium:/usr/bin/chromium faketime:/usr/bin/faketime apertium:/usr/bin/apertium \
	apertium-nno-nob:/usr/share/apertium/modes/nob-nno_e.mode haproxy:/usr/sbin/haproxy
system-deps:
	@missing=$$(for entry in $(DEBIAN_PACKAGES); do test -e $${entry#*:} || echo $${entry%%:*}; done); \
	if [ -n "$$missing" ]; then echo "== installing Debian packages:" $$missing; \
		(apt-get update -qq && apt-get install -y -qq $$missing) >/dev/null; fi

# Debian's chromium and the npm test tools (playwright-core, axe-core); no browser download.
browser-deps: node_modules/.installed system-deps

# Debian's Apertium with the Nynorsk–Bokmål pair: the case sync translates case texts with it.
node_modules/.installed: package.json package-lock.json
	npm ci --no-audit --no-fund --loglevel=error
	@touch $@

train: install
	@echo "== training (skipped by Rasa when nothing changed since the last model)"
	$(RASA) train --domain domain --config config.yml --data $(TRAIN_DATA) --out models

run: install train
	$(APP_PY) -m medverk.runner

# Scale-out on this machine: two Rasa engines (Redis lock store, PostgreSQL tracker store),
# two action servers, HAProxy, the gateway; PostgreSQL and Redis must be running
# (MEDVERK_CLUSTER_POSTGRES_URL, MEDVERK_CLUSTER_REDIS; docs/deployment.md).
run-cluster: install train system-deps
	$(APP_PY) -m medverk.runner --cluster

test: install browser-deps lint typecheck audit-ci validate train unit test-dates test-stories test-browser \
	test-resilience bench-smoke

# Known vulnerabilities in both lock files and package-lock.json fail the build (policy:
# docs/threat-model.md). Without the vulnerability database `make audit` exits 3;
# in `make test` (CI may be offline) it warns loudly instead and never claims a pass.
audit: install-app
	$(APP_PY) scripts/dependency_audit.py

audit-ci: install-app
	MEDVERK_AUDIT_UNREACHABLE=warn $(APP_PY) scripts/dependency_audit.py

lint: install-app
	$(APP_VENV)/bin/ruff check .
	$(APP_VENV)/bin/ruff format --check .

# mypy, configured in pyproject.toml [tool.mypy]: strict on medverk/, default checks on bot/ and
# actions/. nlu/ is not checked yet: it runs in the rasa env, which has no mypy installed.
# nlu/ imports rasa, which only the rasa env has: the same mypy checks it against that env.
typecheck: install-app install-rasa
	$(APP_VENV)/bin/mypy
	$(APP_VENV)/bin/mypy --python-executable $(RASA_PY) nlu

validate: install-rasa
	$(RASA) data validate --domain domain --config config.yml --data $(TRAIN_DATA) --fail-on-warnings

unit: unit-nlu unit-engine unit-app

unit-nlu: install-rasa
	$(RASA_PY) -m pytest -q -p no:cacheprovider tests/nlu

# The Rasa launcher (medverk/rasa_launcher.py) against Rasa's own RemoteAction.
unit-engine: install-rasa
	$(RASA_PY) -m pytest -q -p no:cacheprovider tests/engine

# Two pytest runs at once: the real-stack suites and the rest (scripts/unit_app.sh).
unit-app: install-app
	scripts/unit_app.sh $(APP_PY)

# The date and time tests (marker `calendar`) again at the dates where calendars break
# (scripts/test_dates.sh):
# On SQLite (PostgreSQL runs them on the real date in unit-app); the stack suites run there too.
test-dates: install-app system-deps
	scripts/test_dates.sh $(APP_PY) -k "not postgresql"

test-stories: train
	$(RASA) test core --model models --stories tests/stories --fail-on-prediction-errors --out results

# http://localhost:9 stands in for a municipality's own site embedding the widget.
test-browser: install browser-deps train
	MEDVERK_ALLOWED_ORIGINS=http://localhost:9 \
		$(APP_PY) -m medverk.runner --test-ports -- node --test tests/browser/

# Parts killed and restarted, faults in the store and the case source, fuzzed input,
# load with faults (tests/resilience; a few minutes, see docs/resilience.md).
test-resilience: install train system-deps
	$(APP_PY) -m pytest -q -p no:cacheprovider tests/resilience

# NLU scores of config.yml on the development set F (tests/nlu_heldout/dev-2026-12-f.tsv: for
# tuning, never trained on) and the sets already trained on: per-intent precision/recall,
# confusion matrix, costly confusions (models cached in var/nlu-report); ERRORS=1 lists F's
# misclassified messages. `make nlu-report CV=3` adds 3-fold cross-validation (also per målform);
# BASELINE=1 adds Rasa's default config side by side (20+ minutes of training on 2 cores).
# Sealed sets are never in it: score them in summary only with scripts/nlu_score.py.
CV ?= 0
BASELINE ?=
nlu-report: install-rasa
	$(RASA_PY) -W ignore scripts/nlu_report.py --cv $(CV) $(if $(BASELINE),--baseline) $(if $(ERRORS),--errors)

# Recall@1/@3 of case search on the labelled everyday phrasings (docs/retrieval.md).
retrieval-report: install-app
	MEDVERK_TODAY=2026-12-02 $(APP_PY) -m medverk.cases.retrieval_eval

# Rerunnable benchmarks (not part of `make test`); each prints its numbers as JSON or a table.
bench: install train
	$(APP_PY) bench/stack_startup.py
	$(APP_PY) bench/case_lookup.py
	$(APP_PY) bench/input_submit.py
	$(APP_PY) bench/officer_inbox.py
	$(RASA_PY) bench/nlu_parse.py

# Triage 200 inputs in the officer app before and after the workflow change, in
# Chromium, counting page loads and clicks (docs/officer-workflow.md); ~10 min.
bench-triage: install-app browser-deps
	$(APP_PY) bench/officer_triage.py

# Load benchmark: N simulated chat users through /api/chat, next to stock Rasa's moodbot and
# Rasa's default config on our data, same run (docs/performance.md). QUICK=1: a few minutes.
QUICK ?=
bench-load: install train
	$(APP_PY) bench/load.py $(if $(QUICK),--quick)

# A 10-second run of the load benchmark with 2 users, closed loop and class mode (in `make test`:
# the bench keeps working).
bench-smoke: install train
	$(APP_PY) bench/load.py --users 2 --seconds 10 --targets medverk --stored 100 --long 10 --check \
		--class-users 2 --think 1 3 \
		--json results/bench-smoke.json

clean:
	rm -rf results .pytest_cache .ruff_cache .mypy_cache
