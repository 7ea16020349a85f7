# Two entry points for a fresh Debian/Ubuntu machine with Python 3.11: `make run` and `make test`.

PYTHON ?= python3.11
VENV ?= .venv
BIN := $(VENV)/bin
SUDO := $(shell [ "$$(id -u)" = 0 ] || echo sudo)
# PortAudio for the microphone; sox, espeak-ng and PulseAudio make speech and fake microphones in tests;
# Festival's voices are a second synthesiser family for the speech benchmarks.
APT_RUN := libportaudio2
APT_TEST := libportaudio2 sox libsox-fmt-all espeak-ng pulseaudio pulseaudio-utils alsa-utils \
	libasound2-plugins ffmpeg tmux festival festvox-us-slt-hts festvox-kallpc16k festvox-kdlpc16k chromium
OPENAI_WHISPER := openai-whisper==20250625

.PHONY: run install install-test test lint bench

run: install
	$(BIN)/interviewcoach

install: $(BIN)/python
	$(SUDO) apt-get install -y -qq --no-install-recommends $(APT_RUN) >/dev/null || \
		{ $(SUDO) apt-get update -qq && $(SUDO) apt-get install -y -qq --no-install-recommends $(APT_RUN); }
	$(BIN)/pip install -q -e .

$(BIN)/python:
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install -q --upgrade pip

# The openai-whisper engine: torch first (a CPU build), then openai-whisper without its declared
# dependencies, which would pull triton (about 1 GB, useless on CPU); the `openai` extra lists the
# ones it really needs.
install-test: $(BIN)/python
	$(SUDO) apt-get update -qq
	$(SUDO) env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends $(APT_TEST) >/dev/null
	$(BIN)/pip install -q torch==2.13.0
	$(BIN)/pip install -q -e '.[test,openai]'
	$(BIN)/pip install -q --no-deps $(OPENAI_WHISPER)

# The habits CI enforces come first: lint, format and strict types, then the whole suite.
test: install-test
	$(BIN)/ruff check interviewcoach tests bench
	$(BIN)/ruff format --check interviewcoach tests bench
	$(BIN)/mypy
	$(BIN)/python -m pytest

lint:
	$(BIN)/ruff check interviewcoach tests bench
	$(BIN)/ruff format --check interviewcoach tests bench
	$(BIN)/mypy

# Speed and accuracy targets live here, never in timed unit tests. score_eval.py reads ../shared/eval
# when present; every bench runs on a fresh clone otherwise.
bench:
	$(BIN)/python bench/score_eval.py bench/data/heldout.jsonl
	-$(BIN)/python bench/score_eval.py
	$(BIN)/python bench/score_rank.py bench/data/heldout_rank.jsonl
	-$(BIN)/python bench/score_rank.py
	-$(BIN)/python bench/follow_ups.py
	$(BIN)/python bench/score_speed.py
	$(BIN)/python bench/transcribe.py
	$(BIN)/python bench/fillers.py
	$(BIN)/python bench/recording.py
	$(BIN)/python bench/history.py
	$(BIN)/python bench/startup.py
	$(BIN)/python bench/time_to_feedback.py
	$(BIN)/python bench/hostile.py
