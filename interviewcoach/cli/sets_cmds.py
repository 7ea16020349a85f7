"""CLI commands: sets."""

from __future__ import annotations
