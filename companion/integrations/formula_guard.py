"""The formula guard of our CSV exports, shared by the writer (integrations/export_csv.py) and the importer."""

from __future__ import annotations

import re

#: Put in front of a text cell a spreadsheet would run as a formula (see integrations/export_csv.py): a no-break
#: space, which spreadsheet apps keep, so the cell stays text. Stored names never hold one (whitespace is folded).
GUARD = "\u00a0"
#: Where a spreadsheet may start a cell: the start of the text, or after a separator of some locale (`,` in
#: English, `;` in much of Europe, tab, `|`) or a line break, spaces allowed before the cell's text.
_CELL_START = r"(^|[,;\t|\r\n] *)"
#: A cell that starts with one of these runs as a formula in Excel, LibreOffice or Google Sheets.
_FORMULA = r"[=+\-@\t\r]"
NEEDS_GUARD = re.compile(_CELL_START + f"(?={_FORMULA})")
_GUARDED = re.compile(_CELL_START + GUARD + f"(?={_FORMULA})")


def unguard(text: str) -> str:
    """A cell as our export wrote it → the name it stands for (each formula guard taken out again)."""
    return _GUARDED.sub(r"\1", text) if GUARD in text else text
