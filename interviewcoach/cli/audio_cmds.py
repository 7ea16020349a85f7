"""CLI commands: audio."""

from __future__ import annotations
