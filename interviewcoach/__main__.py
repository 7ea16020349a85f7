"""Allow `python -m interviewcoach`."""

from interviewcoach.cli import main

main()
