# Quick start: `make build` (set up, then typeset issue 23) and `make test`.
SHELL := /bin/bash
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed
ISSUE ?= 23
# Libraries WeasyPrint loads at run time; libharfbuzz-subset0 makes font subsetting fast.
DEB_PACKAGES := libpango-1.0-0 libpangoft2-1.0-0 libharfbuzz-subset0
# Only for the tests: a real browser for the preview, poppler for page images.
DEB_TEST_PACKAGES := chromium poppler-utils

.PHONY: build test bench lint-workflows publish setup system-deps test-deps install-debs clean

build: setup
	$(BIN)/bulletin build $(ISSUE)

test: setup test-deps lint-workflows
	$(BIN)/pytest

# Speed and memory figures (a script that prints numbers, not a test).
bench: setup
	$(BIN)/python bench/run.py

lint-workflows: setup
	$(BIN)/actionlint .github/workflows/*.yml

# Every issue's PDF and web edition, the annual indexes and an index page, in build/site/.
publish: setup
	$(BIN)/bulletin publish --output build/site

setup: system-deps $(STAMP)

$(STAMP): pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --upgrade pip
	$(BIN)/pip install --quiet -e '.[test]'
	touch $@

system-deps:
	@$(MAKE) --no-print-directory install-debs PACKAGES="$(DEB_PACKAGES)"

test-deps:
	@$(MAKE) --no-print-directory install-debs PACKAGES="$(DEB_TEST_PACKAGES)"

install-debs:
	@missing=""; \
	for pkg in $(PACKAGES); do \
	  dpkg-query -W -f='$${Status}' $$pkg 2>/dev/null | grep -q "ok installed" || missing="$$missing $$pkg"; \
	done; \
	if [ -n "$$missing" ]; then \
	  if [ "$$(id -u)" = 0 ]; then sudo=""; elif sudo -n true 2>/dev/null; then sudo="sudo"; \
	  else sudo="none"; fi; \
	  if [ "$$sudo" != none ]; then \
	    echo "安装系统库：$$missing"; \
	    $$sudo apt-get update -qq && \
	    $$sudo env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq $$missing >/dev/null; \
	  else \
	    echo "缺少系统库：$$missing"; \
	    echo "请运行：sudo apt-get install$$missing，然后重新运行 make。"; \
	    exit 1; \
	  fi; \
	fi

clean:
	rm -rf build
