"""Issue 15: table headers say what their column holds; an action column's header is hidden text, not empty
(axe ``empty-table-header``: a screen reader announces nothing for the column)."""

from __future__ import annotations

import re
from pathlib import Path

TEMPLATES = Path(__file__).resolve().parents[2] / "templates"
EMPTY_HEADER = re.compile(r"<th\b[^>]*>\s*</th>")


def test_no_template_has_an_empty_table_header():
    found = [
        f"{path.relative_to(TEMPLATES)}: {m.group(0)}"
        for path in sorted(TEMPLATES.rglob("*.html"))
        for m in EMPTY_HEADER.finditer(path.read_text(encoding="utf-8"))
    ]
    assert found == []
