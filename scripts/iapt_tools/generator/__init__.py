"""Synthetic IAPT data generator (record-level submissions and KPI returns).

Entry point: ``scripts/generate_data.py``; see ``docs/synthetic-data.md``.
"""
