# Casework: `make run` serves the demo at http://127.0.0.1:8000, `make test` runs every test.
PYTHON ?= $(shell command -v python3.11 || command -v python3)
VENV := .venv
BIN := $(VENV)/bin
APP_PACKAGES := fonts-noto-cjk libharfbuzz-subset0
TEST_PACKAGES := $(APP_PACKAGES) chromium poppler-utils
HOST ?= 127.0.0.1
PORT ?= 8000

.PHONY: run test install system-deps test-system-deps lint format messages clean

$(BIN)/python:
	$(PYTHON) -m venv $(VENV)

$(VENV)/.installed: pyproject.toml | $(BIN)/python
	$(BIN)/pip install --quiet --upgrade pip
	$(BIN)/pip install --quiet -e '.[dev]'
	touch $@

install: $(VENV)/.installed

# Debian packages: installed when running as root and missing, otherwise named.
define apt_ensure
	@missing=""; for p in $(1); do dpkg -s $$p >/dev/null 2>&1 || missing="$$missing $$p"; done; \
	if [ -n "$$missing" ]; then \
	  if [ "$$(id -u)" = 0 ]; then apt-get update -q && DEBIAN_FRONTEND=noninteractive apt-get install -y -q $$missing; \
	  else echo "Missing Debian packages:$$missing (run 'sudo apt-get install$$missing')"; fi; \
	fi
endef

system-deps:
	$(call apt_ensure,$(APP_PACKAGES))

test-system-deps:
	$(call apt_ensure,$(TEST_PACKAGES))

run: install system-deps
	DJANGO_DEBUG=1 $(BIN)/python manage.py migrate --noinput
	DJANGO_DEBUG=1 $(BIN)/python manage.py seed_demo
	DJANGO_DEBUG=1 $(BIN)/python manage.py runserver $(HOST):$(PORT)

test: install test-system-deps
	CASEWORK_TESTING=1 $(BIN)/pytest

lint: install
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .
	$(BIN)/lint-imports

format: install
	$(BIN)/ruff check --fix .
	$(BIN)/ruff format .

messages: install
	DJANGO_DEBUG=1 $(BIN)/python manage.py makemessages -l zh_Hans -l en --no-obsolete -i '.venv/*' -i 'tests/*' -i 'bench/*'
	DJANGO_DEBUG=1 $(BIN)/python manage.py compilemessages -i .venv

clean:
	rm -rf $(VENV) staticfiles .pytest_cache
