"""Preflights off the request threads: a bounded pool of worker processes per replica.

Acks never wait: a listener records the proof and hands its id here after the ack. At most
``2 × workers`` preflights are queued per process; beyond that a proof stays pending in the
database and the housekeeping sweep (any replica) starts it later, as it does for one whose
process died. The result is stored once (a conditional update), and its findings and preview
go through the outbox under a key, so nothing is posted twice.
"""

from __future__ import annotations

import base64
import logging
import multiprocessing
import os
import threading
from concurrent.futures import ProcessPoolExecutor
from concurrent.futures import TimeoutError as FutureTimeout
from concurrent.futures.process import BrokenProcessPool

from slack_sdk import WebClient
from sqlalchemy import select
from sqlalchemy.orm import joinedload

from bot.proofs import jobs
from bot.proofs import messages as views
from bot.proofs import service as proofs
from bot.proofs.download import allowed_hosts
from bot.proofs.preflight.spec import PrintSpecs, load_print_specs
from bot.proofs.reference import TEXT_BEARING, reference_for
from bot.runtime import Runtime
from bot.slack.delivery import hold, send_held
from bot.slack.replies import Outgoing, Post, Upload
from bot.storage.asset_models import Asset
from bot.storage.proof_models import Proof

logger = logging.getLogger("sleeve.proofs")
JOB_TIMEOUT_S = 300  # a download of 200 MB and its checks; beyond, the file is not checked
TASKS_PER_WORKER = 25
WORKER_NICENESS = 10  # a fresh worker now and then returns what a big file left behind


def runner_for(runtime: Runtime, client: WebClient) -> PreflightRunner:
    """One runner (one pool) per runtime, shared by the listeners and the sweep."""
    with runtime.shared_lock:
        runner = runtime.shared.get("preflight")
        if runner is None:
            runner = runtime.shared["preflight"] = PreflightRunner(runtime, client)
        return runner  # type: ignore[no-any-return]


class PreflightRunner:
    def __init__(self, runtime: Runtime, client: WebClient) -> None:
        self.runtime, self.client = runtime, client
        self.specs: PrintSpecs = load_print_specs(runtime.settings.print_specs_path)
        self.workers = runtime.settings.preflight_workers
        self._slots = threading.BoundedSemaphore(max(self.workers, 1) * 2)
        self._pool: ProcessPoolExecutor | None = None
        self._lock = threading.Lock()

    def submit(self, proof_id: int) -> bool:
        """Start a preflight after the ack; False when the queue is full (the sweep will)."""
        if not self._slots.acquire(blocking=False):
            return False
        self.runtime.executor.submit(self._run, proof_id)
        return True

    def shutdown(self) -> None:
        with self._lock:
            if self._pool is not None:
                self._pool.shutdown(wait=False, cancel_futures=True)
                self._pool = None

    def _run(self, proof_id: int) -> None:
        try:
            job = self._claim(proof_id)
            if job is not None:
                self._finish(proof_id, self._check(job))
        except Exception:
            logger.exception("preflight of proof %s failed; the sweep tries it again", proof_id)
        finally:
            self._slots.release()

    def _claim(self, proof_id: int) -> jobs.Job | None:
        settings = self.runtime.settings
        with self.runtime.db.write() as session:
            if not proofs.claim_preflight(session, proof_id, now=self.runtime.now()):
                return None
            proof = session.scalar(
                select(Proof)
                .where(Proof.id == proof_id)
                .options(joinedload(Proof.asset).joinedload(Asset.release))
            )
            if proof is None:
                return None
            asset = proof.asset
            if asset.format:
                formats: list[str] = [asset.format]
            else:
                formats = asset.release.format_keys if asset.release is not None else []
            token = settings.slack_bot_token
            return jobs.Job(
                url=proof.download_url,
                token=token.get_secret_value() if token else "",
                hosts=allowed_hosts(settings.slack_api_url),
                name=proof.name,
                size=proof.size,
                spec=self.specs.for_asset(asset.kind, formats),
                reference=(
                    reference_for(session, asset.release)
                    if asset.release is not None and asset.kind in TEXT_BEARING
                    else None
                ),
            )

    def _check(self, job: jobs.Job) -> jobs.JobResult:
        if self.workers == 0:
            return jobs.run(job)
        try:
            return self._process_pool().submit(jobs.run, job).result(timeout=JOB_TIMEOUT_S)
        except BrokenProcessPool:
            self.shutdown()  # the next preflight starts a fresh pool
            reason = "The checker stopped on this file: it may be corrupt. Export it again."
        except FutureTimeout:
            self.shutdown()
            reason = f"Checking it took over {JOB_TIMEOUT_S} s; export a lighter file."
        return jobs.JobResult("not_checked", job.spec.label if job.spec else None, reason=reason)

    def _process_pool(self) -> ProcessPoolExecutor:
        with self._lock:
            if self._pool is None:
                self._pool = ProcessPoolExecutor(
                    max_workers=self.workers,
                    # spawn: a worker starts clean, without the parent's threads and sockets.
                    mp_context=multiprocessing.get_context("spawn"),
                    max_tasks_per_child=TASKS_PER_WORKER,
                    initializer=_background_priority,
                )
            return self._pool

    def _finish(self, proof_id: int, result: jobs.JobResult) -> None:
        stored = proofs.Result(
            result.status, result.spec, result.checks, result.reason, result.sha256
        )
        with self.runtime.db.write() as session:
            proof = proofs.record_result(session, proof_id, stored, now=self.runtime.now())
            if proof is None:
                return  # another process stored it, and said so
            items = _findings_items(proof, result.preview_jpeg)
            held = hold(self.runtime, session, items, key=f"preflight:{proof_id}")
        send_held(self.runtime, self.client, held)


def _background_priority() -> None:
    """A preflight is background work: on a busy machine the processes answering Slack
    get the CPU first, so acks stay fast while files are checked."""
    os.nice(WORKER_NICENESS)


def _findings_items(proof: Proof, preview: bytes | None) -> list[Outgoing]:
    if not proof.channel_id:
        return []
    text, blocks = views.findings_message(proof.asset, proof)
    items: list[Outgoing] = [
        Post(channel=proof.channel_id, thread_ts=proof.thread_ts, text=text, blocks=blocks)
    ]
    if preview:
        items.append(
            Upload(
                channel=proof.channel_id,
                thread_ts=proof.thread_ts,
                filename=f"A-{proof.asset_id}-{proof.label}-preview.jpg",
                title=f"A-{proof.asset_id} {proof.label} preview",
                content_b64=base64.b64encode(preview).decode("ascii"),
                alt_text=f"Preview of A-{proof.asset_id} {proof.label} with trim and bleed",
                comment=views.preview_comment(proof.asset, proof),
            )
        )
    return items


def sweep(runtime: Runtime, client: WebClient) -> int:
    """Start the preflights no process is working on; how many were started."""
    runner = runner_for(runtime, client)
    with runtime.db.read() as session:
        waiting = proofs.abandoned_preflights(session, now=runtime.now())
    return sum(runner.submit(proof_id) for proof_id in waiting)
