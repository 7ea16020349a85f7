"""Build `noun_senses.tsv` from WordNet 3.0: how concrete each English noun is, by its senses' supersenses.

Run once at development time on a machine with WordNet's database (Debian: `wordnet-base`):

    python -m interviewcoach.core.scoring.data.build_noun_senses /usr/share/wordnet > noun_senses.tsv

WordNet files every noun sense under one of 26 lexicographer files ("supersenses"): physical things
(noun.artifact, noun.body, noun.person, noun.substance, ...) and abstractions (noun.attribute,
noun.cognition, noun.feeling, noun.state, ...). Supersenses are a standard route to word
concreteness (Tsvetkov et al., 2013). Each lemma's score is the weighted mean over its senses,
+1 for a concrete supersense, -1 for an abstract one and 0 for the mixed ones (acts, events,
communication, groups, time, quantities, places), the n-th sense weighted 1/n because WordNet lists
senses by frequency. Only single-word lemmas with a score other than 0 are kept. The table ships
with WordNet's licence (`WORDNET-LICENSE`); nothing here runs in the app.
"""

from __future__ import annotations

import sys
from pathlib import Path

CONCRETE = {"artifact", "animal", "body", "food", "object", "person", "plant", "substance"}
ABSTRACT = {
    "attribute", "cognition", "feeling", "motive", "phenomenon", "possession", "process", "relation",
    "shape", "state", "Tops",
}  # fmt: skip
LEXNAMES = [
    "adj.all", "adj.pert", "adv.all", "noun.Tops", "noun.act", "noun.animal", "noun.artifact",
    "noun.attribute", "noun.body", "noun.cognition", "noun.communication", "noun.event",
    "noun.feeling", "noun.food", "noun.group", "noun.location", "noun.motive", "noun.object",
    "noun.person", "noun.phenomenon", "noun.plant", "noun.possession", "noun.process",
    "noun.quantity", "noun.relation", "noun.shape", "noun.state", "noun.substance", "noun.time",
]  # fmt: skip


def supersenses(wordnet: Path) -> dict[int, str]:
    out: dict[int, str] = {}
    with (wordnet / "data.noun").open("rb") as f:
        for line in f:
            if line.startswith(b"  "):
                continue
            offset, lexfile = line.split(b" ", 2)[:2]
            out[int(offset)] = LEXNAMES[int(lexfile)].split(".", 1)[1]
    return out


def main(argv: list[str]) -> int:
    wordnet = Path(argv[1] if len(argv) > 1 else "/usr/share/wordnet")
    senses = supersenses(wordnet)
    rows = []
    for line in (wordnet / "index.noun").read_text(encoding="utf-8").splitlines():
        if line.startswith(" "):
            continue
        parts = line.split()
        lemma, synset_cnt, p_cnt = parts[0], int(parts[2]), int(parts[3])
        if "_" in lemma or "-" in lemma or not lemma.isalpha():
            continue
        offsets = [int(o) for o in parts[6 + p_cnt : 6 + p_cnt + synset_cnt]]
        total = weight = 0.0
        for rank, offset in enumerate(offsets, start=1):
            name = senses[offset]
            value = 1.0 if name in CONCRETE else -1.0 if name in ABSTRACT else 0.0
            total += value / rank
            weight += 1 / rank
        score = total / weight
        # Mixed nouns (0) are what the reader assumes for a noun it does not find: leave them out.
        if abs(score) >= 0.005:
            rows.append(f"{lemma}\t{score:.2f}")
    print("# noun\tconcreteness (-1 abstract .. +1 concrete), from WordNet 3.0 supersenses")
    print("\n".join(rows))
    return 0


if __name__ == "__main__":
    raise SystemExit(main(sys.argv))
