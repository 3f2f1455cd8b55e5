# Creator Companion — `make run` starts the app, `make test` runs the checks, `make dist` builds the installers;
# each sets up .venv first.

PYTHON ?= python3
VENV := .venv
VPY := $(VENV)/bin/python
ARGS ?=
PYTEST_ARGS ?=

# bench/ is linted once it holds Python files.
LINT_PATHS := companion tests $(if $(shell find bench -name '*.py' -print -quit 2>/dev/null),bench)

.DEFAULT_GOAL := help
# PyInstaller's work folder and output: never build/, which holds the tracked recipes.
DIST := dist
BUILD_WORK := .build-work

.PHONY: help run test lint selftest dist bench clean

help:
	@echo "make run        set up $(VENV) and start the app (pass options with ARGS='...')"
	@echo "make test       set up $(VENV) with the test extra, lint, type-check and run pytest (PYTEST_ARGS='...')"
	@echo "make lint       ruff, mypy and the layer contracts (lint-imports) only"
	@echo "make selftest   start the app offscreen with --self-test and save selftest.png"
	@echo "make dist       build the app bundle in $(DIST)/ (PyInstaller); on Linux also the .deb and .tar.gz"
	@echo "make bench      run every benchmark (bench/) and write its result tables"
	@echo "make clean      remove $(VENV), caches and build output"

# Create (or refresh) the venv with an interpreter that is new enough; shared by both stamps.
define make-venv
	@$(PYTHON) -c 'import sys; sys.exit(sys.version_info < (3, 11))' 2>/dev/null || { \
	  found=$$($(PYTHON) --version 2>/dev/null) || found="not found or not runnable"; \
	  echo "error: Creator Companion needs Python >= 3.11; '$(PYTHON)' is $$found." >&2; \
	  echo "       Install Python 3.11+ and run e.g.: make $(MAKECMDGOALS) PYTHON=python3.11" >&2; \
	  exit 1; }
	$(PYTHON) -m venv $(VENV) || { \
	  echo "error: could not create $(VENV). On Debian/Ubuntu: sudo apt-get install python3-venv" >&2; exit 1; }
	$(VPY) -m pip install --quiet --disable-pip-version-check --upgrade pip
endef

# The run stamp: runtime dependencies only.
$(VENV)/.stamp-run: pyproject.toml
	$(make-venv)
	$(VPY) -m pip install --quiet --disable-pip-version-check -e .
	@touch $@

# The test extra includes everything `run` needs, so it refreshes the run stamp too:
# `make run` after `make test` installs nothing.
$(VENV)/.stamp-test: pyproject.toml
	$(make-venv)
	$(VPY) -m pip install --quiet --disable-pip-version-check -e '.[test]'
	@touch $(VENV)/.stamp-run $@

# The build extra (PyInstaller) on top of the runtime dependencies.
$(VENV)/.stamp-build: pyproject.toml
	$(make-venv)
	$(VPY) -m pip install --quiet --disable-pip-version-check -e '.[build]'
	@touch $(VENV)/.stamp-run $@

run: $(VENV)/.stamp-run
	$(VPY) -m companion.qtdeps
	$(VPY) -m companion $(ARGS)

lint: $(VENV)/.stamp-test
	$(VENV)/bin/ruff check $(LINT_PATHS)
	$(VENV)/bin/mypy companion/domain companion/services
	$(VENV)/bin/lint-imports

test: lint
	QT_QPA_PLATFORM=offscreen LANG=C.UTF-8 $(VPY) -m pytest $(PYTEST_ARGS)

selftest: $(VENV)/.stamp-run
	@rm -f selftest.png
	QT_QPA_PLATFORM=offscreen LANG=C.UTF-8 $(VPY) -m companion --data-dir "$$(mktemp -d)" --self-test --screenshot selftest.png
	@test -s selftest.png || { echo "error: the self-test did not write selftest.png" >&2; exit 1; }

dist: $(VENV)/.stamp-build
	$(VPY) -m PyInstaller --noconfirm --log-level WARN --workpath $(BUILD_WORK)/pyinstaller --distpath $(DIST) \
	  build/companion.spec
	@case "$$(uname -s)" in Linux) bash build/linux/package.sh ;; esac

bench: $(VENV)/.stamp-test
	QT_QPA_PLATFORM=$${QT_QPA_PLATFORM:-offscreen} LANG=C.UTF-8 $(VPY) -m bench

clean:
	rm -rf $(VENV) .pytest_cache .mypy_cache .ruff_cache .hypothesis dist .build-work *.egg-info selftest.png
	find . -name __pycache__ -type d -prune -exec rm -rf {} +
