"""The pipeline's stages as the benchmark times them (dbt selectors by model folder)."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class Stage:
    name: str
    dbt_select: str | None = None  # "" = the whole project
    scripts: tuple[tuple[str, ...], ...] = ()

    def commands(self, python: str) -> list[list[str]]:
        """The commands of this stage, in order."""
        cmds: list[list[str]] = []
        if self.dbt_select is not None:
            dbt = python.rsplit("/", 1)[0] + "/dbt"
            # A production build: unit tests check the SQL on fixtures, which is CI's job
            # (make test); the data tests run on the data.
            cmd = [dbt, "build", "--exclude-resource-type", "unit_test"]
            if self.dbt_select:
                cmd += ["--indirect-selection", "buildable", "--select", *self.dbt_select.split()]
            cmds.append(cmd)
        cmds.extend([python, *script] for script in self.scripts)
        return cmds


STAGES: list[Stage] = [
    Stage(
        "staging",
        "resource_type:seed path:models/staging path:models/intermediate/selection "
        "path:models/marts/ingest",
    ),
    Stage("episodes", "path:models/intermediate/episodes path:models/marts/episodes"),
    Stage(
        "measures",
        "path:models/intermediate/organisations path:models/intermediate/measures "
        "path:models/marts/measures",
    ),
    Stage(
        "data_quality",
        "path:models/intermediate/data_quality path:models/marts/data_quality "
        "path:models/marts/reports",
        (("scripts/run_data_quality.py",),),
    ),
    Stage("publication", None, (("scripts/publish.py",),)),
]

# Adding a month, as a data engineer runs it (make build dq publish): one dbt build of
# the whole project, then the data-quality suites and the release.
INCREMENTAL_STAGES: list[Stage] = [
    Stage("dbt build", ""),
    Stage("data_quality", None, (("scripts/run_data_quality.py",),)),
    Stage("publication", None, (("scripts/publish.py",),)),
]
