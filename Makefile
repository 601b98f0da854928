# Steward — two commands on a fresh machine: `make run` and `make test`.
PYTHON_VERSION := $(shell cat .python-version)
PYTHON ?= $(shell command -v pyenv >/dev/null 2>&1 && pyenv prefix $(PYTHON_VERSION) >/dev/null 2>&1 && echo $$(pyenv prefix $(PYTHON_VERSION))/bin/python3 || command -v python3.13 || echo python3)
VENV := .venv
PY := $(VENV)/bin/python
STAMP := $(VENV)/.installed
export STEWARD_DATA_DIR ?= $(CURDIR)/var

.PHONY: run test test-fast e2e bench lint install assets migrate demo clean soak battery system-deps

# Debian packages of the real counterparts that tests start on loopback (one package per line,
# so each feature adds its own). Installed only when missing; needs root, as on CI.
DEBIAN_PACKAGES :=
DEBIAN_PACKAGES += slapd ldap-utils
DEBIAN_PACKAGES += sqlmap
DEBIAN_PACKAGES += wapiti
DEBIAN_PACKAGES += nmap
DEBIAN_PACKAGES += fusioninventory-agent

DEBIAN_PACKAGES += prometheus-alertmanager
DEBIAN_PACKAGES += dovecot-imapd

$(STAMP): pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(PY) -m pip install --quiet --upgrade pip
	$(PY) -m pip install --quiet -e ".[dev]"
	touch $(STAMP)

install: $(STAMP)

node_modules/.package-lock.json: package.json package-lock.json
	npm ci --no-audit --no-fund

src/steward/static/dist/.built: node_modules/.package-lock.json frontend/build.mjs
	node frontend/build.mjs
	touch $@

assets: src/steward/static/dist/.built

migrate: install
	$(PY) -m steward.cli migrate --noinput

demo: migrate
	$(PY) -m steward.cli demo --if-empty

## Install everything, build assets, migrate, load demo data once, serve http://127.0.0.1:8000 with a job worker.
run: install assets demo
	STEWARD_DEBUG=$${STEWARD_DEBUG:-false} $(PY) -m steward.cli run

## The full suite (parallel), on SQLite unless STEWARD_DATABASE_URL says otherwise.
test: install assets system-deps
	$(PY) -m ruff check src $(wildcard bench e2e)
	PYTHONPATH=src $(VENV)/bin/lint-imports --config pyproject.toml --no-cache
	$(VENV)/bin/bandit -q -c pyproject.toml -r src/steward 2>/dev/null
	STEWARD_DATA_DIR=$(CURDIR)/var/test $(PY) -m steward.cli makemigrations --check --dry-run
	STEWARD_DATA_DIR=$(CURDIR)/var/test $(PY) -m pytest -n auto -q src

## Browser tests: Playwright driving Debian's Chromium.
e2e: install assets
	STEWARD_DATA_DIR=$(CURDIR)/var/test DJANGO_ALLOW_ASYNC_UNSAFE=true $(PY) -m pytest -q e2e

bench: install assets
	STEWARD_DATA_DIR=$(CURDIR)/var/bench $(PY) -m bench

## The live reliability battery, bounded for CI (bandit runs in `make test`): 60 s of load, scale-out on PostgreSQL +
## Redis, sqlmap and wapiti. (Crash safety, fuzzing, the permission matrix and the rest run in `make test`.)
battery: install assets system-deps
	PYTHONPATH=src:. $(PY) -m bench.load --duration $${LOAD_SECONDS:-60}
	PYTHONPATH=src:. $(PY) -m bench.scaleout --jobs 200 --duration 10 --rounds 2
	PYTHONPATH=src:. $(PY) -m bench.attack --endpoints 3 --params 3 --wapiti-seconds 60

## The reliability and security battery with long settings (fuzzing, concurrency, crash safety,
## 10 min of load, a longer scale-out, every endpoint through sqlmap); `make test`/`battery` run it bounded.
soak: install assets system-deps
	STEWARD_DATA_DIR=$(CURDIR)/var/soak STEWARD_FUZZ_EXAMPLES=$${STEWARD_FUZZ_EXAMPLES:-100} \
	STEWARD_CONCURRENCY_CLIENTS=$${STEWARD_CONCURRENCY_CLIENTS:-100} STEWARD_CONCURRENCY_WRITERS=$${STEWARD_CONCURRENCY_WRITERS:-20} \
	STEWARD_CONCURRENCY_INCREMENTS=$${STEWARD_CONCURRENCY_INCREMENTS:-10} \
	$(PY) -m pytest -n auto -q src/steward/core/tests/test_api_fuzz.py src/steward/core/tests/test_concurrency.py \
	  src/steward/core/tests/test_permission_matrix.py src/steward/core/tests/test_hardening.py src/steward/core/tests/test_backup.py \
	  src/steward/core/tests/test_crash_safety.py src/steward/core/tests/test_worker_processes.py
	$(VENV)/bin/bandit -q -c pyproject.toml -r src/steward
	PYTHONPATH=src:. $(PY) -m bench.load --duration $${LOAD_SECONDS:-600} --users 16 --demo-scale 1
	PYTHONPATH=src:. $(PY) -m bench.scaleout --jobs 2000 --writers 20 --increments 10 --duration 60 --rounds 3 --users 16
	PYTHONPATH=src:. $(PY) -m bench.attack --soak

system-deps:
	@missing=""; for p in $(DEBIAN_PACKAGES); do dpkg -s $$p >/dev/null 2>&1 || missing="$$missing $$p"; done; \
	if [ -n "$$missing" ]; then echo "installing Debian packages:$$missing"; \
	  (apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq $$missing >/dev/null) \
	  || echo "warning: could not install$$missing; tests that need them will fail"; fi

lint:
	$(PY) -m ruff check src $(wildcard bench e2e)
	$(PY) -m ruff format --check src $(wildcard bench e2e)

clean:
	rm -rf $(VENV) node_modules src/steward/static/dist var
