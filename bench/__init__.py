"""Steward's benchmarks: each workload against a comparator measured in the same run.

Run ``python -m bench`` (or ``make bench``); see ``bench/README.md``.
"""
