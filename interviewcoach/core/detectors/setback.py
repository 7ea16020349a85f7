"""Detectors for the setback rubric (low score, failed attempt): tone, improvement, pivot."""

from __future__ import annotations
