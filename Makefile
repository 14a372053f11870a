# Set-up and everyday commands. `make serve` and `make test` work on a fresh machine:
# they create .venv when it is missing and (re)install the project when pyproject.toml changes.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
PIP := $(BIN)/python -m pip
PYTEST_ARGS ?=

.PHONY: serve test token bench lint-extension system-packages

serve: $(VENV)/.installed
	$(BIN)/sourcelight serve

# The browsers and Node the tests need: installed when run as root, else the exact command.
test: system-packages $(VENV)/.installed-test
	$(BIN)/python -m pytest $(PYTEST_ARGS)

system-packages:
	@bash .ci/system-packages

# The pairing token to paste in the extension's options (`sourcelight token` from the venv).
token: $(VENV)/.installed
	@$(BIN)/sourcelight token

# bench/extraction.py first, then every other bench script (helpers start with "_").
bench: $(VENV)/.installed-bench
	$(BIN)/python bench/extraction.py
	@for script in bench/*.py; do \
		case "$$(basename $$script)" in extraction.py|_*) continue ;; esac; \
		echo "$(BIN)/python $$script"; \
		$(BIN)/python "$$script" || exit 1; \
	done

$(BIN)/python:
	$(PYTHON) -m venv $(VENV)

# Stamp files in .venv: a re-run skips pip unless pyproject.toml changed (or .venv is new).
# pip is upgraded first because pip 23.2's resolver fails on lxml's extras.
# serve and token need only the runtime dependencies (no test, Dask or browser packages).
$(VENV)/.installed: pyproject.toml | $(BIN)/python
	$(PIP) install --quiet --upgrade pip
	$(PIP) install -e .
	touch $@

$(VENV)/.installed-test: pyproject.toml | $(BIN)/python
	$(PIP) install --quiet --upgrade pip
	$(PIP) install -e '.[test]'
	touch $@

$(VENV)/.installed-bench: pyproject.toml | $(BIN)/python
	$(PIP) install --quiet --upgrade pip
	$(PIP) install -e '.[test,bench]'
	touch $@

# The extension as Firefox's add-on linter sees it (npm's web-ext; only the extension's files).
WEB_EXT_IGNORE := "server/**" "tests/**" "bench/**" ".venv/**" ".ci/**" "test-artifacts/**" \
	".hypothesis/**" ".pytest_cache/**" "build/**" "dist/**" "*.egg-info/**" "Makefile" \
	"pyproject.toml" "*.md"
lint-extension:
	npx --yes web-ext@10 lint --source-dir . --ignore-files $(WEB_EXT_IGNORE)
