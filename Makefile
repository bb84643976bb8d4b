# The two commands a fresh machine needs: `make run` and `make test` (see README.md).
PYTHON ?= python3.11
VENV := .venv
PY := $(VENV)/bin/python
PG_URL := postgres://annotator:annotator@127.0.0.1:5432/annotator
DEV := DEBUG=1

.PHONY: run test test-sqlite test-postgres bench eval install install-dev browser lexicon clean

$(VENV)/installed: requirements.txt
	$(PYTHON) -m venv $(VENV)
	$(PY) -m pip install -q --upgrade pip
	$(PY) -m pip install -q -r requirements.txt
	touch $@

$(VENV)/installed-dev: requirements-dev.txt $(VENV)/installed
	$(PY) -m pip install -q -r requirements-dev.txt
	touch $@

install: $(VENV)/installed
install-dev: $(VENV)/installed-dev

# Playwright drives Debian's chromium; it cannot download a browser of its own here.
browser:
	@command -v /usr/bin/chromium >/dev/null || { apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium >/dev/null; }

# WordNet 3.0 for related-passage search's synonyms (annotator/corpus/lexicon.py), pinned.
WORDNET_BASE := 1:3.0-37
lexicon:
	@test -f /usr/share/wordnet/index.noun || { apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends wordnet-base=$(WORDNET_BASE) >/dev/null; }

run: install lexicon
	$(DEV) $(PY) manage.py migrate --noinput
	$(DEV) $(PY) manage.py import_articles seeds/
	$(DEV) $(PY) manage.py load_demo
	$(DEV) $(PY) manage.py runserver 127.0.0.1:8000

test: install-dev browser lexicon
	./scripts/postgres.sh start
	$(MAKE) --no-print-directory test-sqlite test-postgres; status=$$?; ./scripts/postgres.sh stop; exit $$status

test-sqlite:
	@echo "== test suite on SQLite"
	$(PY) -m pytest -q

test-postgres:
	@echo "== test suite on PostgreSQL"
	DATABASE_URL=$(PG_URL) $(PY) -m pytest -q

bench: install-dev browser lexicon
	./scripts/postgres.sh start
	$(PY) bench/run.py; status=$$?; ./scripts/postgres.sh stop; exit $$status

eval: install-dev lexicon
	$(PY) bench/eval_related.py
	$(PY) bench/eval_assist.py

clean:
	rm -rf $(VENV) var
