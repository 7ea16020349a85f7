"""The app's warm-up loads everything the first answer would otherwise wait for."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

SCRIPT = """
import sys
from interviewcoach.core import session
from interviewcoach.core.scoring import embeddings
from interviewcoach.core.scoring.detectors import substance

services = session.build_services(data_dir=sys.argv[1], with_store=False)
assert not embeddings.loaded()
session.warm_up(services)
# Every answer is checked against the bank's other questions with the sentence model.
assert embeddings.loaded()
# ... read as their text and tips: each question's profile is worked out already.
tipped = [q for q in services.bank if q.tips]
profiles = {(q.text, tuple(q.tips)) for q in tipped}
assert tipped and substance._profile_of.cache_info().currsize == len(profiles)
"""


@pytest.mark.slow
def test_warm_up_loads_the_sentence_model_and_the_questions_profiles(tmp_path: Path) -> None:
    # A fresh process: in this one another test may have loaded the model already.
    done = subprocess.run(
        [sys.executable, "-c", SCRIPT, str(tmp_path)], capture_output=True, text=True, timeout=300
    )
    assert done.returncode == 0, done.stderr[-2000:]
