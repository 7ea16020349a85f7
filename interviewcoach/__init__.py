"""interviewcoach: an offline mock-interview trainer for Interventional Radiology applicants."""

__version__ = "0.1.0"
