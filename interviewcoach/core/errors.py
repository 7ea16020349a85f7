"""Errors a user can act on; the CLI prints them in one line and exits 2."""

from __future__ import annotations

from pathlib import Path

from interviewcoach.core.safetext import escape


class UserError(Exception):
    """Bad input or a missing resource that the user can fix; never shown as a traceback."""

    exit_code = 2


class DataFileError(UserError):
    """A question-bank, rubric or set file that does not load, with every problem found in it."""

    def __init__(self, path: Path | str, problems: list[FileProblem]) -> None:
        self.path = Path(path)
        self.problems = problems
        super().__init__("\n".join(str(p) for p in problems))


class FileProblem:
    """One problem in a data file: `FILE:LINE: field path: what is wrong`."""

    def __init__(self, path: Path | str, line: int | None, field: str, message: str) -> None:
        self.path = Path(path)
        self.line = line
        self.field = field
        self.message = message

    def __str__(self) -> str:

        # One line, and no control character from a file name, key or value reaches the terminal.
        where = f"{self.path}:{self.line}" if self.line is not None else f"{self.path}"
        field = f" {self.field}:" if self.field else ""
        return escape(f"{where}:{field} {self.message}", keep_newlines=False)

    def __repr__(self) -> str:
        return f"FileProblem({str(self)!r})"


class UnknownQuestionError(UserError):
    """A question id that is not in the bank, with the closest ids to suggest."""

    def __init__(self, question_id: str, suggestions: list[str]) -> None:
        self.question_id = question_id
        self.suggestions = suggestions
        hint = f"; did you mean {', '.join(suggestions)}?" if suggestions else ""
        super().__init__(f"unknown question id {question_id!r}{hint}")


class NoSpeechError(UserError):
    """The audio held no speech: nothing to transcribe or score."""

    def __init__(self, detail: str = "") -> None:
        msg = "no speech detected"
        if detail:
            msg += f" ({detail})"
        msg += ": check the microphone is on and close enough, then answer again"
        super().__init__(msg)


class Cancelled(UserError):
    """The user cancelled transcription or scoring (Esc); the audio is kept."""

    def __init__(self) -> None:
        super().__init__("cancelled; the recording is kept")
