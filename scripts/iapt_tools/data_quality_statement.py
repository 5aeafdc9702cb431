# PLACEHOLDER: replaced by the dq branch
"""Data-quality statement (placeholder with the agreed signature)."""

from __future__ import annotations

from pathlib import Path


def write_data_quality_statement(warehouse: Path, out_dir: Path) -> list[Path]:
    """Write the data-quality statement into out_dir and return the files written."""
    text = "Data-quality statement: placeholder, replaced by the dq branch.\n"
    md = out_dir / "data_quality_statement.md"
    md.write_text(text, encoding="utf-8")
    html = out_dir / "data_quality_statement.html"
    html.write_text(f"<!doctype html><html><body><p>{text}</p></body></html>\n", encoding="utf-8")
    return [md, html]
