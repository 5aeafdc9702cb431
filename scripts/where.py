"""Print what `make run` built and where it is (the last step of `make run`)."""

from __future__ import annotations

from pathlib import Path

from iapt_tools.settings import Settings
from iapt_tools.warehouse import connect


def _latest_publication(output_dir: Path) -> Path | None:
    versions = sorted(
        (output_dir / "publications").glob("*/v*"),
        key=lambda p: (p.parent.name, int(p.name[1:]) if p.name[1:].isdigit() else 0),
    )
    return versions[-1] if versions else None


def main() -> None:
    settings = Settings.from_env()
    print("\nIAPT warehouse: done.")
    print(f"  raw input          {settings.raw_dir}")
    if settings.engine == "spark":
        print(f"  warehouse (Spark)  {settings.warehouse}")
    else:
        print(f"  warehouse (DuckDB) {settings.warehouse}")
    with connect(settings.warehouse) as con:
        rows = con.execute(
            "select source, period_type, count(*), min(reporting_period_start),"
            " max(reporting_period_start) from marts.measures group by all order by all"
        ).fetchall()
        episodes = con.execute("select count(*) from marts.fct_referral_episodes").fetchone()
    print(f"  referral episodes  {episodes[0]:,} rows in marts.fct_referral_episodes")
    for source, period_type, n, first, last in rows:
        print(f"  marts.measures     {n:,} {source} {period_type} rows, {first} .. {last}")
    publication = _latest_publication(settings.output_dir)
    if publication is not None:
        print(f"  publication        {publication}")
        for name in ("measures.csv", "executive_summary.html", "data_quality_statement.html"):
            print(f"                     {publication / name}")
    if settings.engine == "spark":
        print(
            '  query it:          PYTHONPATH=scripts .venv-spark/bin/python -c "from pathlib'
            " import Path; from iapt_tools.warehouse import connect; print(connect(Path("
            f"'{settings.warehouse}')).sql('from marts.measures limit 5'))\""
        )
        return
    print(
        '  query it:          .venv/bin/python -c "import duckdb; print(duckdb.connect('
        f"'{settings.warehouse}', read_only=True).sql('from marts.measures limit 5'))\""
    )


if __name__ == "__main__":
    from iapt_tools.warehouse_lock import exit_if_in_use

    exit_if_in_use(read_only=True)
    main()
