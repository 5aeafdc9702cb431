"""Locations shared by every entry point, read from the environment (see README)."""

from __future__ import annotations

import os
from dataclasses import dataclass
from pathlib import Path

PROJECT_ROOT = Path(__file__).resolve().parents[2]


def _project_path(env_name: str, default: str) -> Path:
    """An environment path; relative paths are relative to the project root."""
    path = Path(os.environ.get(env_name) or default)
    return path if path.is_absolute() else PROJECT_ROOT / path


@dataclass(frozen=True)
class Settings:
    raw_dir: Path
    warehouse: Path
    output_dir: Path

    @classmethod
    def from_env(cls) -> Settings:
        return cls(
            raw_dir=_project_path("IAPT_RAW_DIR", "data/raw"),
            warehouse=_project_path("IAPT_WAREHOUSE", "warehouse.duckdb"),
            output_dir=_project_path("IAPT_OUTPUT_DIR", "output"),
        )


# Release furniture, from the environment so that a real publisher sets its own.
CONTACT_PLACEHOLDER = "Contact not configured: set IAPT_PUBLICATION_CONTACT (e.g. a team mailbox)"
DEFAULT_STATISTICS_STATUS = "Management information (not accredited official statistics)"


def publication_contact() -> str:
    return os.environ.get("IAPT_PUBLICATION_CONTACT") or CONTACT_PLACEHOLDER


def statistics_status() -> str:
    return os.environ.get("IAPT_STATISTICS_STATUS") or DEFAULT_STATISTICS_STATUS
