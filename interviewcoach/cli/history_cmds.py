"""CLI commands: history."""

from __future__ import annotations
