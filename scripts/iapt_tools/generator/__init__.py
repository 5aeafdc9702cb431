"""Synthetic IAPT data generator (record-level submissions and KPI returns).

Entry point: ``scripts/generate_data.py``; see ``docs/synthetic-data.md``.
"""

# Bumped whenever the same arguments give different output, so that caches of generated
# data (bench/cache) are never reused across versions. 2: commissioners per provider.
GENERATOR_VERSION = 2

# Written at the root of every generated raw folder; the build reads it (raw_synthetic_marker).
SYNTHETIC_MARKER = "SYNTHETIC_DATA.json"
