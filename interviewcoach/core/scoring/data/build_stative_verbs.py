"""Build `stative_verbs.txt` from WordNet 3.0: the verbs whose most frequent sense names a state.

Run once at development time on a machine with WordNet's database (Debian: `wordnet-base`):

    python -m interviewcoach.core.scoring.data.build_stative_verbs /usr/share/wordnet > stative_verbs.txt

WordNet files every verb sense under a lexicographer file ("supersense"); verb.stative holds the
senses that name a state rather than an event ("differ", "contain", "depend", "lack", "equal"),
Vendler's states. Senses are listed by frequency, so a verb is taken as stative when its first
sense is. Only single-word lemmas are kept. The list ships with WordNet's licence
(`WORDNET-LICENSE`); nothing here runs in the app.
"""

from __future__ import annotations

import sys
from pathlib import Path

STATIVE_LEXFILE = 42  # verb.stative in WordNet's lexnames


def main(argv: list[str]) -> int:
    wordnet = Path(argv[1] if len(argv) > 1 else "/usr/share/wordnet")
    lexfile: dict[str, int] = {}
    for line in (wordnet / "data.verb").read_text(encoding="utf-8").splitlines():
        if not line.startswith(" "):
            offset, number = line.split(" ", 2)[:2]
            lexfile[offset] = int(number)
    lemmas = []
    for line in (wordnet / "index.verb").read_text(encoding="utf-8").splitlines():
        if line.startswith(" "):
            continue
        parts = line.split()
        lemma, p_cnt = parts[0], int(parts[3])
        if "_" in lemma or "-" in lemma or not lemma.isalpha():
            continue
        first = parts[6 + p_cnt]
        if lexfile[first] == STATIVE_LEXFILE:
            lemmas.append(lemma)
    print("# verbs whose most frequent sense is a state (verb.stative), from WordNet 3.0")
    print("\n".join(lemmas))
    return 0


if __name__ == "__main__":
    raise SystemExit(main(sys.argv))
