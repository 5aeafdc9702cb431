"""The pipeline's stages as the benchmark times them (dbt selectors by model folder)."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class Stage:
    name: str
    dbt_select: str | None = None
    scripts: tuple[tuple[str, ...], ...] = ()
    in_incremental: bool = True

    def commands(self, python: str) -> list[list[str]]:
        """The commands of this stage, in order."""
        cmds: list[list[str]] = []
        if self.dbt_select:
            dbt = python.rsplit("/", 1)[0] + "/dbt"
            cmds.append(
                [
                    dbt,
                    "build",
                    "--indirect-selection",
                    "buildable",
                    "--select",
                    *self.dbt_select.split(),
                ]
            )
        cmds.extend([python, *script] for script in self.scripts)
        return cmds


STAGES: list[Stage] = [
    Stage(
        "staging",
        "resource_type:seed path:models/staging path:models/intermediate/selection "
        "path:models/marts/ingest",
    ),
    Stage("episodes", "path:models/intermediate/episodes path:models/marts/episodes"),
    Stage("measures", "path:models/intermediate/measures path:models/marts/measures"),
    Stage(
        "data_quality",
        "path:models/marts/data_quality",
        (("scripts/run_data_quality.py",),),
    ),
    Stage("publication", None, (("scripts/publish.py",),), in_incremental=False),
]
