"""The talking-points detector: which of an advisor's talking points the answer covered."""

from __future__ import annotations
