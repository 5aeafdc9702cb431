"""Python tooling around the dbt project: data generation, data quality, publication."""
