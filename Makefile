# The two commands: `make demo` builds the example audiobook into output/, `make test` runs
# every test. Both set themselves up: a virtual environment in .venv with the package and its
# dependencies, including wheels that ship eSpeak NG (espeakng-loader) and an MP3 encoder
# (imageio-ffmpeg), so nothing needs root or a system package.

VENV   ?= .venv
BIN    := $(VENV)/bin
# The first Python 3.11 or newer on PATH.
PYTHON ?= $(shell for p in python3 python3.13 python3.12 python3.11; do \
	command -v $$p >/dev/null 2>&1 && $$p -c 'import sys; sys.exit(sys.version_info < (3, 11))' \
	2>/dev/null && echo $$p && break; done)
STAMP  := $(VENV)/.installed

.PHONY: demo test bench venv clean

demo: $(STAMP)
	$(BIN)/audiobook build examples/harbour-lights.txt --voices voices.yaml --out output \
		--title "Harbour Lights" --author "Audiobook Examples" \
		--description "A storm, a lighthouse keeper, and the lanterns on the harbour wall."
	$(BIN)/audiobook check "output/Audiobook Examples/Harbour Lights"

test: $(STAMP)
	$(BIN)/python -m pytest -q

bench: $(STAMP)
	$(BIN)/python benchmarks/segment_speed.py
	$(BIN)/python benchmarks/build_speed.py
	$(BIN)/python benchmarks/long_line.py

venv: $(STAMP)

$(STAMP): pyproject.toml
	@test -n "$(PYTHON)" || { echo "error: Python 3.11 or newer is needed on PATH" >&2; exit 1; }
	@test -x $(BIN)/python || $(PYTHON) -m venv $(VENV) || { \
		echo "venv unavailable; trying virtualenv" >&2; \
		$(PYTHON) -m pip install --user --quiet virtualenv && $(PYTHON) -m virtualenv $(VENV); }
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -e '.[test]'
	@touch $@

clean:
	rm -rf $(VENV) output/*/ .pytest_cache
