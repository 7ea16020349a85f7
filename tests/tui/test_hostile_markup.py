"""Set text with Textual markup and control characters is shown as text, never run or parsed.

`[/]` in an imported set's title used to crash the app on every start; `[@click=app.quit]` and
`[link=...]` were live; escape sequences reached the terminal.
"""

from __future__ import annotations

import re
from pathlib import Path

from textual.widgets import OptionList

from interviewcoach.core.content.sets import import_set
from interviewcoach.core.session import Services
from tests.tui.conftest import make_app, wait_until
from tests.tui.test_flows import SIZE, choose, interview
from tests.unit.test_hostile_text import CONTROL, toml_string

INSTRUCTIONS = "Read [/] this [@click=app.quit]now[/]\x1b]0;x\x07"
QUESTION = "Why IR? [/] [@click=app.quit]q[/]"
TITLE = "Mentor [/] set [@click=app.quit]quit[/] [link=https://example.com]x[/link] [b\x1b[2J\u202e"


def _set(tmp_path: Path) -> Path:
    path = tmp_path / "hostile.toml"
    path.write_text(
        f"""\
[set]
id = "hostile"
title = {toml_string(TITLE)}
author = "Dr [/]"
instructions = {toml_string(INSTRUCTIONS)}

[[questions]]
id = "why-ir"
text = {toml_string(QUESTION)}
category = "motivation"
rubric = "motivation"
""",
        encoding="utf-8",
    )
    return path


async def test_markup_in_a_set_is_text_on_home_and_in_its_instructions(
    services: Services, tmp_path: Path
) -> None:
    import_set(_set(tmp_path), services.data_dir)
    app = make_app(services, load_sets=True)
    async with app.run_test(size=SIZE) as pilot:
        choices = app.screen.query_one("#choices", OptionList)
        await wait_until(pilot, lambda: _has(choices, "set:hostile"), "the set on home")
        prompt = str(choices.get_option("set:hostile").prompt)
        assert "Mentor [/] set [@click=app.quit]quit[/]" in prompt
        assert not CONTROL.search(prompt)
        await choose(pilot, "set:hostile")
        assert interview(app).plan.set_id == "hostile"
        await pilot.pause(0.1)
        assert app.is_running
        [note] = [n for n in app._notifications if "Read" in n.message]
        assert not note.markup and "[@click=app.quit]now[/]" in note.message
        assert not CONTROL.search(note.message)
        assert re.search(r"Why IR\? \[/\]", str(interview(app).question.text))


def _has(options: OptionList, option_id: str) -> bool:
    try:
        options.get_option(option_id)
    except Exception:
        return False
    return True
