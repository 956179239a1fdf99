"""Digest scheduling: the sweep that posts due digests, and the APScheduler job running it."""

from bot.scheduler.jobs import DigestScheduler
from bot.scheduler.sweep import DigestSweeper, SweepReport, sweep_now

__all__ = ["DigestScheduler", "DigestSweeper", "SweepReport", "sweep_now"]
