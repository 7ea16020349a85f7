"""The core of interviewcoach: plain Python that never imports Textual.

Submodules load heavy libraries (spaCy, Whisper, PortAudio) lazily, so importing the core is cheap.
"""
