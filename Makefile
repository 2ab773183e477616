# Panoh: `make run` serves the demo camp, `make test` runs the whole suite, `make bench` measures.
PYTHON ?= python3
VENV := .venv
PY := $(VENV)/bin/python
PANOH := $(VENV)/bin/panoh
HOST ?= 127.0.0.1
PORT ?= 5000
DEMO_HOUSEHOLDS ?= 2000
ONLY ?=
SIZE ?= 100000
TRANSLATIONS := app/i18n/translations

.PHONY: run test lint bench install install-test translations system-deps fonts messages clean

$(VENV)/.installed-app: setup.cfg pyproject.toml
	test -x $(PY) || $(PYTHON) -m venv $(VENV)
	$(PY) -m pip install -q --upgrade pip
	$(PY) -m pip install -q -e .
	touch $@

$(VENV)/.installed-test: $(VENV)/.installed-app
	$(PY) -m pip install -q -e '.[test,bench]'
	touch $@

install: $(VENV)/.installed-app translations
install-test: $(VENV)/.installed-test translations

translations: $(VENV)/.installed-app
	$(VENV)/bin/pybabel compile -d $(TRANSLATIONS) -D "messages residents" >/dev/null

# Debian packages: Noto fonts for ID cards (also needed by `make run`), espeak-ng for spoken announcements,
# and for the tests Chromium, poppler (pdftoppm, pdftotext) and zbar; installed only when missing and root.
SYSTEM_PACKAGES := chromium fonts-noto-core poppler-utils zbar-tools espeak-ng
system-deps:
	@if ! command -v chromium >/dev/null 2>&1 || ! command -v pdftoppm >/dev/null 2>&1 \
	    || ! command -v zbarimg >/dev/null 2>&1 || ! command -v espeak-ng >/dev/null 2>&1 \
	    || [ ! -d /usr/share/fonts/truetype/noto ]; then \
	  if [ "$$(id -u)" = 0 ]; then \
	    apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq $(SYSTEM_PACKAGES) >/dev/null; \
	  else echo 'Missing: sudo apt-get install $(SYSTEM_PACKAGES)'; fi; \
	fi

# ID cards need Debian's Noto fonts (Arabic script, Tajik letters).
fonts:
	@if [ ! -d /usr/share/fonts/truetype/noto ]; then \
	  if [ "$$(id -u)" = 0 ]; then apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq fonts-noto-core >/dev/null; \
	  else echo 'ID cards need: sudo apt-get install fonts-noto-core'; fi; \
	fi

run: install fonts
	$(PANOH) db upgrade
	$(PANOH) demo --if-empty --households $(DEMO_HOUSEHOLDS)
	$(PANOH) serve --host $(HOST) --port $(PORT)

lint: $(VENV)/.installed-test
	$(VENV)/bin/pre-commit run --all-files --show-diff-on-failure

test: install-test system-deps lint
	$(PY) -m pytest

bench: install-test
	$(PY) -m benchmarks.run --size $(SIZE) $(if $(ONLY),--only $(ONLY),)

# Re-extract translatable strings after changing them, then translate the .po files.
messages: $(VENV)/.installed-app
	$(VENV)/bin/pybabel extract -F app/i18n/babel.cfg -k _l -o $(TRANSLATIONS)/messages.pot --sort-output app camps registration templates
	$(VENV)/bin/pybabel update -i $(TRANSLATIONS)/messages.pot -d $(TRANSLATIONS) --no-fuzzy-matching
	$(VENV)/bin/pybabel extract -F app/i18n/babel.cfg --no-default-keywords -k R_:1c,2 -o $(TRANSLATIONS)/residents.pot --sort-by-file app camps registration
	$(VENV)/bin/pybabel update -D residents -i $(TRANSLATIONS)/residents.pot -d $(TRANSLATIONS) --no-fuzzy-matching

clean:
	rm -rf $(VENV) instance benchmarks/results benchmarks/cache
