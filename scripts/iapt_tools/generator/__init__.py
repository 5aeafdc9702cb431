"""Synthetic IAPT data generator (record-level submissions and KPI returns).

Entry point: ``scripts/generate_data.py``; see ``docs/synthetic-data.md``.
"""

# Bumped whenever the same arguments give different output, so that caches of generated
# data (bench/cache) are never reused across versions. 2: commissioners per provider.
# 3: OrgIDComm from the era's list (2021/22 CCGs from 2021-04, Sub-ICB locations from 2022-07).
# 4: format faults (ragged rows, unterminated quotes, bad bytes) and re-delivered folders.
GENERATOR_VERSION = 4

# Written at the root of every generated raw folder; the build reads it (raw_synthetic_marker).
SYNTHETIC_MARKER = "SYNTHETIC_DATA.json"
