"""CLI commands: transcribe."""

from __future__ import annotations
