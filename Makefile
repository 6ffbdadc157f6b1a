# Quick start: `make build` (set up, then typeset issue 23) and `make test`.
SHELL := /bin/bash
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed
ISSUE ?= 23
# Libraries WeasyPrint loads at run time; libharfbuzz-subset0 makes font subsetting fast.
DEB_PACKAGES := libpango-1.0-0 libpangoft2-1.0-0 libharfbuzz-subset0
# Only for the tests: a real browser for the preview, poppler for page images, Ghostscript
# (the interpreter of many a print shop's RIP) to draw the PDFs once more.
DEB_TEST_PACKAGES := chromium poppler-utils ghostscript

.PHONY: build test bench bench-tex lint-workflows publish setup bytecode system-deps test-deps install-debs clean

build: setup
	$(BIN)/bulletin build $(ISSUE)

test: setup test-deps lint-workflows
	$(BIN)/pytest

# Speed and memory figures (a script that prints numbers, not a test), with two anchors
# compiling the same text: Typst (the `bench` extra) and xelatex (TeX Live from apt, when
# missing and apt works; otherwise run.py leaves that anchor out and says so). The preview's
# save → refresh needs chromium (test-deps); without it that row is left out too.
BENCH_STAMP := $(VENV)/.bench-installed
DEB_BENCH_PACKAGES := texlive-xetex texlive-lang-chinese

bench: setup $(BENCH_STAMP) bench-tex
	@$(MAKE) --no-print-directory install-debs PACKAGES="$(DEB_TEST_PACKAGES)" \
	  || echo "注意：未装 chromium，跳过预览延迟（save → refresh）。"
	$(BIN)/python bench/run.py

$(BENCH_STAMP): pyproject.toml $(STAMP)
	$(BIN)/pip install --quiet -e '.[test,bench]'
	touch $@

bench-tex:
	@if ! command -v xelatex >/dev/null; then \
	  if [ "$$(id -u)" = 0 ]; then sudo=""; elif sudo -n true 2>/dev/null; then sudo="sudo"; \
	  else sudo="none"; fi; \
	  if [ "$$sudo" = none ]; then \
	    echo "注意：没有 xelatex，也无权用 apt 安装：跳过 xelatex 对照。"; \
	  else \
	    echo "安装 xelatex 对照所需：$(DEB_BENCH_PACKAGES)（约 5 分钟）"; \
	    $$sudo timeout 900 apt-get update -qq && \
	    $$sudo env DEBIAN_FRONTEND=noninteractive timeout 1200 apt-get install -y -qq \
	      --no-install-recommends $(DEB_BENCH_PACKAGES) >/dev/null \
	    || echo "注意：texlive 安装失败（无网络或超时）：跳过 xelatex 对照。"; \
	  fi; \
	fi

lint-workflows: setup
	$(BIN)/actionlint .github/workflows/*.yml

# Every issue's PDF and web edition, the annual indexes and an index page, in build/site/.
publish: setup
	$(BIN)/bulletin publish --output build/site

setup: system-deps $(STAMP) bytecode

# bulletin's bytecode (__pycache__/ beside the sources: the install is editable). Where
# PYTHONDONTWRITEBYTECODE is set, or the checkout is read-only to the user who runs it,
# Python would compile every module a command imports again each time: 60 ms of a cold
# build, 55 ms of a check. compileall rewrites only what changed (a few ms otherwise).
bytecode: $(STAMP)
	@$(BIN)/python -m compileall -q bulletin

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
