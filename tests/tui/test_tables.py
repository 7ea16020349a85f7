"""Tables filled with every column as wide as its widest cell, as soon as they are filled."""

from __future__ import annotations

from typing import Any

from rich.text import Text
from textual.app import App, ComposeResult
from textual.widgets import DataTable

from interviewcoach.tui.widgets.tables import fill_sized


class TableApp(App[None]):
    def compose(self) -> ComposeResult:
        yield DataTable[Any]()


async def test_columns_fit_their_widest_cell_before_the_table_is_next_idle() -> None:
    app = TableApp()
    async with app.run_test(size=(80, 12)):
        table = app.query_one(DataTable)
        rows: list[tuple[str, list[Text | str]]] = [
            ("1", [Text("Ada Lovelace", "bold"), "80/80  2x"]),
            ("2", ["Eve", Text("not yet")]),
        ]
        fill_sized(table, [("Student", "student"), ("Q1", "q1")], rows)
        # No pause: the table has had no idle moment to measure its cells itself.
        widths = [column.get_render_width(table) - 2 * table.cell_padding for column in table.ordered_columns]
        assert widths == [len("Ada Lovelace"), len("80/80  2x")]
        assert table.row_count == 2
        # Filled again with fewer, shorter rows, the columns narrow to them (or to their labels).
        fill_sized(table, [("Student", "student"), ("Q1", "q1")], [("3", ["Bo", "1"])])
        widths = [column.get_render_width(table) - 2 * table.cell_padding for column in table.ordered_columns]
        assert widths == [len("Student"), len("Q1")]
