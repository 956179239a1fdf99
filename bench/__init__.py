"""Benchmarks of what Sleeve's users feel, against a bare Bolt app measured in the same run.

``python -m bench`` runs every scenario (SQLite and PostgreSQL), prints each bar as met or
missed and writes ``bench/RESULTS.md``; ``python -m bench --quick`` runs them with small
counts, to prove they work, and enforces no bar.
"""
