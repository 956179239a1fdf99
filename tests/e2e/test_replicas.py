"""Two `serve` replicas on one PostgreSQL under a bounded load, with faults injected: slow
Slack, connections killed by the server, a replica killed with SIGKILL. Afterwards every
acknowledged write is in the export and every exactly-once rule held.

The load is releases from a template, assets, freelancer assignments, approval rounds with
three people of each department clicking at once, and digests: three schedules already due
when both replicas start (their start-up sweeps race for them), and one scheduled by a
command during the load, posted by the next sweep. Faults come in phases set by progress
(units done), not by the clock, so a faster or slower machine sees the same phases.
"""

from __future__ import annotations

import json
import os
import random
import re
import subprocess
import sys
import threading
import time
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import quote

from sqlalchemy import create_engine, text

from bot.devtools.fake_slack import FakeSlack
from bot.slack import outbox
from tests.e2e.support import (
    add_due_digests,
    app_env,
    command_form,
    digest_posts,
    send,
    start_serve,
    stop,
    wait_healthy,
)
from tests.interactions.approval_support import button, payload_message

CLIENTS = 6
UNITS_EACH = 6
TIME_LIMIT_S = 240  # room for a dead replica's claims to expire (outbox.LEASE)
FREELANCERS = 3
SLOW_SLACK_S = 6  # long enough for every kind of request; short enough to drain after
DUE_DIGESTS = ("C0DIGEST1", "C0DIGEST2", "C0DIGEST3")  # due when the replicas start
LATE_DIGEST = "C0DIGEST4"  # scheduled by a command under load
DEPTS = ("merch", "marketing", "management")  # the poster route
MEMBERS = {dept: [f"U0{dept[:2].upper()}{n:02d}" for n in range(4)] for dept in DEPTS}


@dataclass
class Load:
    ports: list[int]
    fake: FakeSlack
    url: str = ""  # the shared database, to say why a message never came
    statuses: list[int] = field(default_factory=list)
    latencies: list[float] = field(default_factory=list)
    slow_latencies: list[float] = field(default_factory=list)
    failovers: int = 0
    errors_shown: list[str] = field(default_factory=list)
    releases: list[str] = field(default_factory=list)
    assets: dict[int, str] = field(default_factory=dict)
    assigned: dict[int, int] = field(default_factory=dict)  # asset id -> freelancer id
    freelancers: list[int] = field(default_factory=list)
    units_done: int = 0
    slow: bool = False
    failures: list[str] = field(default_factory=list)
    lock: threading.Lock = field(default_factory=threading.Lock)

    def post(self, body: str) -> tuple[int, str]:
        """Like a load balancer: a replica that is gone is skipped, the other one answers."""
        ports = random.sample(self.ports, len(self.ports))
        for port in ports:
            status, answer, seconds = send(port, body)
            if status == 0:
                with self.lock:
                    self.failovers += 1
                continue
            with self.lock:
                self.statuses.append(status)
                (self.slow_latencies if self.slow else self.latencies).append(seconds)
                if "reference ERR-" in answer:
                    self.errors_shown.append(answer)
            return status, answer
        raise AssertionError("no replica answered")

    def command(self, command: str, text: str, user: str = "U0CORA") -> str:
        status, answer = self.post(command_form(command, text, user))
        assert status == 200, (status, answer)
        return json.loads(answer).get("text", "") if answer else ""


def round_message(fake: FakeSlack, asset_id: int):  # type: ignore[no-untyped-def]
    # A round whose replica died before posting it is sent by the other one's outbox sweep,
    # once the dead one's claim on it (if it had one) has expired.
    deadline = time.monotonic() + outbox.LEASE.total_seconds() + 30
    while time.monotonic() < deadline:
        for message in fake.messages():
            if message.text.startswith(f"Approval needed for A-{asset_id} "):
                return message
        time.sleep(0.05)
    return None


def why_unposted(url: str, asset_id: int) -> str:
    """Lost or late: the round's row and the outbox rows still unsent, from the database."""
    engine = create_engine(url)
    try:
        with engine.connect() as conn:
            rounds = conn.execute(
                text("SELECT id, status, message_ts FROM approval_requests WHERE asset_id = :a"),
                {"a": asset_id},
            ).all()
            unsent = conn.execute(
                text(
                    "SELECT id, claimed_by, attempts, retry_at, sending_at, last_error "
                    "FROM outbox WHERE sent_at IS NULL ORDER BY id"
                )
            ).all()
    finally:
        engine.dispose()
    return f"rounds {rounds}; {len(unsent)} outbox rows unsent: {unsent[:5]}"


def unit(load: Load, client: int, n: int) -> None:
    if n % 2 == 0:
        catno = f"E2E-{client}{n:02d}"
        if load.command(
            "/release", f'new "Load {catno}" artist:X date:2027-09-01 format:digital catno:{catno}'
        ).startswith("Created"):
            with load.lock:
                load.releases.append(catno)
    title = f"Load poster {client}-{n}"
    created = load.command("/asset", f'new "{title}" kind:poster due:+7d')
    match = re.match(r"Created \*A-(\d+)\*", created)
    if not match:
        return
    asset_id = int(match.group(1))
    with load.lock:
        load.assets[asset_id] = title
    if n % 2 == 1:
        freelancer = load.freelancers[(client + n) % len(load.freelancers)]
        if " is now assigned to " in load.command("/asset", f"assign A-{asset_id} F-{freelancer}"):
            with load.lock:
                load.assigned[asset_id] = freelancer
    if client == 0 and n == 1:
        scheduled = load.command("/digest", f"schedule 00:00 channel:<#{LATE_DIGEST}> tz:UTC")
        assert scheduled.startswith("Scheduled"), scheduled
    load.command("/approval", f"request A-{asset_id}")
    message = round_message(load.fake, asset_id)
    assert message is not None, (
        f"the round of A-{asset_id} was never posted: {why_unposted(load.url, asset_id)}"
    )
    clickers = []
    for dept in DEPTS:
        block_id, value = button(message, dept)
        for user in MEMBERS[dept][:3]:  # three people of each department click at once
            payload = {
                "type": "block_actions",
                "user": {"id": user},
                "api_app_id": "A0SLEEVE",
                "team": {"id": "T0SLEEVE"},
                "trigger_id": "1.2.3",
                "container": {
                    "type": "message",
                    "message_ts": message.ts,
                    "channel_id": message.channel,
                },
                "channel": {"id": message.channel},
                "message": payload_message(message),
                "response_url": "http://127.0.0.1:9/r",
                "actions": [
                    {
                        "type": "button",
                        "action_id": "approval.approve",
                        "block_id": block_id,
                        "value": value,
                    }
                ],
            }
            body = "payload=" + quote(json.dumps(payload))
            clickers.append(threading.Thread(target=load.post, args=(body,)))
    for thread in clickers:
        thread.start()
    for thread in clickers:
        thread.join()


def test_two_replicas_under_load_and_faults_lose_nothing(
    fake: FakeSlack,
    pg_database_url: str,
    tmp_path: Path,
) -> None:
    app_name = f"sleeve-e2e-{os.getpid()}"
    url = f"{pg_database_url}&application_name={app_name}"
    for channel in (*DUE_DIGESTS, LATE_DIGEST):
        fake.add_channel(channel, channel.lower())
    add_due_digests(url, DUE_DIGESTS)  # both replicas' start-up sweeps race for these
    replica_a, port_a = start_serve(fake, url, tmp_path, workers=1, threads=8)
    replica_b, port_b = start_serve(fake, url, tmp_path, workers=1, threads=8, migrate=False)
    load = Load([port_a, port_b], fake, url)
    total_units = CLIENTS * UNITS_EACH
    outputs = []

    def wait_for_units(share: float) -> None:
        deadline = time.monotonic() + TIME_LIMIT_S
        while load.units_done < total_units * share and time.monotonic() < deadline:
            time.sleep(0.02)

    try:
        wait_healthy(port_a, replica_a)
        wait_healthy(port_b, replica_b)
        for dept in DEPTS:
            mentions = ",".join(f"<@{u}|{u.lower()}>" for u in MEMBERS[dept])
            assert load.command("/dept", f"set {dept} members:{mentions}").startswith("Updated")
        for k in range(FREELANCERS):
            added = load.command("/freelancer", f'add "Load Designer {k}" email:d{k}@example.com')
            found = re.search(r"F-(\d+)", added)
            assert found, added
            load.freelancers.append(int(found.group(1)))
        started = time.monotonic()

        def client(c: int) -> None:
            for n in range(UNITS_EACH):
                if time.monotonic() - started > TIME_LIMIT_S:
                    return
                try:
                    unit(load, c, n)
                except Exception as exc:
                    with load.lock:
                        load.failures.append(f"client {c} unit {n}: {exc!r}")
                with load.lock:
                    load.units_done += 1

        threads = [threading.Thread(target=client, args=(c,)) for c in range(CLIENTS)]
        for thread in threads:
            thread.start()
        wait_for_units(0.2)
        load.slow = True
        fake.latency(2.0)  # every Web API call now takes two seconds
        time.sleep(SLOW_SLACK_S)
        fake.latency(0)
        load.slow = False
        admin = create_engine(
            os.environ.get(
                "SLEEVE_TEST_PG_URL", "postgresql+psycopg://postgres@127.0.0.1:5432/test"
            )
        )
        with admin.begin() as conn:
            killed = conn.execute(
                text(
                    "SELECT count(pg_terminate_backend(pid)) FROM pg_stat_activity "
                    "WHERE application_name = :name"
                ),
                {"name": app_name},
            ).scalar()
        admin.dispose()
        wait_for_units(0.7)
        replica_b.kill()  # SIGKILL: no clean-up of any kind
        for thread in threads:
            thread.join(timeout=TIME_LIMIT_S)
        assert not any(thread.is_alive() for thread in threads)
        # The digest scheduled under load is due now: a sweep (the CLI's, racing replica A's
        # minute sweep) posts it; the ones posted at start-up are not posted again.
        swept = run_cli(fake, url, tmp_path, "digest")
        assert swept.returncode == 0, swept.stderr
    finally:
        outputs.append(stop(replica_a))
        outputs.append(stop(replica_b))

    document = export(fake, url, tmp_path)
    stats = {
        "units": load.units_done,
        "requests": len(load.statuses),
        "assigned": len(load.assigned),
        "failovers": load.failovers,
        "non_200": sum(s != 200 for s in load.statuses),
        "errors_shown": len(load.errors_shown),
        "pg_connections_killed": killed,
        "p99_ack_ms": p99(load.latencies) * 1000,
        "p99_ack_slow_slack_ms": p99(load.slow_latencies) * 1000,
    }
    print("replica load:", json.dumps(stats))
    logs = "\n".join(f"--- replica log tail ---\n{out[-3000:]}" for out in outputs)
    assert load.failures == [], f"{load.failures}\n{logs}"
    assert stats["non_200"] == 0
    assert stats["units"] == total_units
    assert killed and killed > 0
    assert load.slow_latencies and p99(load.slow_latencies) < 1.0
    assert "Traceback" not in "".join(load.errors_shown)
    # Every acknowledged write is in the export, whole.
    exported_releases = {r["catno"]: r for r in document["releases"]}
    assert set(load.releases) <= set(exported_releases)
    for catno in load.releases:
        release_id = exported_releases[catno]["id"]
        assert sum(a["release_id"] == release_id for a in document["assets"]) == 3  # cover + 2
    titles = {a["id"]: a["title"] for a in document["assets"]}
    for asset_id, title in load.assets.items():
        assert titles[asset_id] == title
    created = {
        e["entity_id"]
        for e in document["audit"]
        if e["action"] == "create" and e["entity"] == "asset"
    }
    assert {f"A-{a['id']}" for a in document["assets"]} == created
    # Exactly once: one decision per department, one "all approved" reply per approved round.
    for request in document["approvals"]:
        decided = [d for d in request["decisions"] if d["status"] != "pending"]
        assert len({d["department_key"] for d in decided}) == len(decided)
        replies = [
            m
            for m in fake.messages()
            if f"A-{request['asset_id']} " in m.text and "approved by every department" in m.text
        ]
        assert len(replies) == (1 if request["status"] == "approved" else 0), request
    # Every acknowledged assignment holds, with one open assignment row per assigned asset.
    holder = {a["id"]: a["freelancer_id"] for a in document["assets"]}
    open_rows = [
        (row["asset_id"], person["id"])
        for person in document["freelancers"]
        for row in person["assignments"]
        if row["unassigned_at"] is None
    ]
    for asset_id, freelancer in load.assigned.items():
        assert holder[asset_id] == freelancer
        assert open_rows.count((asset_id, freelancer)) == 1
    assert len(open_rows) == len({asset_id for asset_id, _ in open_rows})
    # One digest per schedule per day, whichever process swept first.
    for channel in (*DUE_DIGESTS, LATE_DIGEST):
        assert len(digest_posts(fake, channel)) == 1, channel
    decisions = [
        e for e in document["audit"] if e["entity"] == "approval" and e["action"] == "approve"
    ]
    assert len(decisions) == sum(
        d["status"] == "approved" for r in document["approvals"] for d in r["decisions"]
    )


def p99(values: list[float]) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(len(ordered) * 0.99))] if ordered else 0.0


def run_cli(
    fake: FakeSlack, url: str, tmp_path: Path, *args: str
) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "bot", *args],
        env=app_env(fake, url),
        capture_output=True,
        text=True,
        timeout=60,
        cwd=tmp_path,
    )


def export(fake: FakeSlack, url: str, tmp_path: Path) -> dict:  # type: ignore[type-arg]
    result = run_cli(fake, url, tmp_path, "export", "--out", str(tmp_path / "x"))
    assert result.returncode == 0, result.stderr
    return json.loads(Path(result.stdout.strip()).read_text())
