"""Reading an answer and judging it: the language analysis, the story reading, pattern matching, the
detectors and the scoring engine.
"""
