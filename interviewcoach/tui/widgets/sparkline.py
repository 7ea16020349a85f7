"""Text sparklines for score trends: one block character per attempt, scaled 0-1 (not to the data)."""

from __future__ import annotations

from collections.abc import Sequence

BLOCKS = "▁▂▃▄▅▆▇█"


def sparkline(values: Sequence[float], width: int | None = None) -> str:
    """Scores in 0-1 as blocks; a fixed scale so 0.5 always looks like 0.5. Keeps the latest `width`."""
    if width is not None:
        values = values[-width:]
    out = []
    for value in values:
        clamped = min(1.0, max(0.0, value))
        out.append(BLOCKS[min(len(BLOCKS) - 1, int(clamped * len(BLOCKS)))])
    return "".join(out)
