"""Benchmarks of Sleeve against a bare Bolt app measured in the same run.

``python -m bench`` runs every scenario of issue 8 (SQLite and PostgreSQL) and writes
``bench/RESULTS.md``; ``python -m bench --quick`` runs them with small counts, to prove they
work, and enforces no bar.
"""
