"""Filling a DataTable with every column as wide as its widest cell, measured when it is filled.

Textual's DataTable measures auto-width columns when it is next idle; a paint before then keeps its
cells cut to the column label's width ("Ada Lov" under "Student") until something else redraws the
table. Sizing the columns here, from the cells in hand, leaves nothing to that race.
"""

from __future__ import annotations

from collections.abc import Sequence

from rich.text import Text
from textual.widgets import DataTable

Cell = Text | str


def cell_width(cell: Cell) -> int:
    """The terminal cells `cell` takes on one line."""
    return cell.cell_len if isinstance(cell, Text) else Text(cell).cell_len


def fill_sized(
    table: DataTable[Cell],
    columns: Sequence[tuple[str, str]],
    rows: Sequence[tuple[str, Sequence[Cell]]],
) -> None:
    """Replace the table's columns (label, key) and rows (key, cells), each column as wide as its
    label or its widest cell."""
    table.clear(columns=True)
    for index, (label, key) in enumerate(columns):
        width = max([cell_width(label), *(cell_width(cells[index]) for _, cells in rows)])
        table.add_column(label, width=width, key=key)
    for key, cells in rows:
        table.add_row(*cells, key=key)
