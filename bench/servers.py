"""Starting ``python -m bot serve`` and the bare-Bolt server as subprocesses, and reading their
memory from /proc."""

from __future__ import annotations

import os
import signal
import socket
import subprocess
import sys
import time
from dataclasses import dataclass, field
from pathlib import Path

from bench import loadgen

REPO = Path(__file__).resolve().parent.parent
WORKERS = 2
THREADS = 8


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def base_env() -> dict[str, str]:
    """The environment of every child: ours without Slack/Sleeve settings, the repo importable."""
    env = {k: v for k, v in os.environ.items() if not k.startswith(("SLACK_", "SLEEVE_"))}
    env.pop("DATABASE_URL", None)
    env["PYTHONPATH"] = str(REPO) + (
        os.pathsep + env["PYTHONPATH"] if env.get("PYTHONPATH") else ""
    )
    return env


@dataclass
class Server:
    name: str
    proc: subprocess.Popen[bytes]
    port: int
    log: Path
    started: float = field(default_factory=time.perf_counter)
    healthy_after: float | None = None

    def wait_healthy(self, timeout: float = 30.0) -> float:
        """Seconds from launch to the first 200 from /healthz."""
        deadline = time.perf_counter() + timeout
        while time.perf_counter() < deadline:
            if self.proc.poll() is not None:
                raise RuntimeError(f"{self.name} exited: {self.log.read_text()[-2000:]}")
            try:
                status, _ = loadgen.get(self.port, "/healthz", timeout=1.0)
                if status == 200:
                    self.healthy_after = time.perf_counter() - self.started
                    return self.healthy_after
            except OSError:
                pass
            time.sleep(0.01)
        raise RuntimeError(f"{self.name} was not healthy within {timeout} s")

    def stop(self) -> int:
        if self.proc.poll() is None:
            self.proc.send_signal(signal.SIGTERM)
            try:
                self.proc.wait(timeout=20)
            except subprocess.TimeoutExpired:
                self.proc.kill()
                self.proc.wait()
        return self.proc.returncode

    def rss_kb(self) -> dict[int, int]:
        """VmRSS (kB) of the master and each of its child processes, by pid."""
        return {pid: _status_kb(pid, "VmRSS") for pid in [self.proc.pid, *children(self.proc.pid)]}

    def pss_kb(self) -> dict[int, int]:
        """Proportional set size (shared pages split between sharers), by pid."""
        return {pid: _pss_kb(pid) for pid in [self.proc.pid, *children(self.proc.pid)]}


def _status_kb(pid: int, key: str) -> int:
    try:
        for line in Path(f"/proc/{pid}/status").read_text().splitlines():
            if line.startswith(key + ":"):
                return int(line.split()[1])
    except OSError:
        pass
    return 0


def _pss_kb(pid: int) -> int:
    try:
        for line in Path(f"/proc/{pid}/smaps_rollup").read_text().splitlines():
            if line.startswith("Pss:"):
                return int(line.split()[1])
    except OSError:
        pass
    return 0


def _parent(pid: int) -> int | None:
    """The parent pid from /proc/<pid>/stat, or None once the process has gone."""
    try:
        stat = Path(f"/proc/{pid}/stat").read_text()
    except OSError:
        return None
    # pid (comm) state ppid …: comm may hold spaces, so split after the last ')'.
    return int(stat.rsplit(")", 1)[1].split()[1])


def children(pid: int) -> list[int]:
    found = []
    for entry in Path("/proc").iterdir():
        if not entry.name.isdigit():
            continue
        if _parent(int(entry.name)) == pid:
            found.append(int(entry.name))
    return sorted(found)


def _launch(name: str, argv: list[str], env: dict[str, str], workdir: Path) -> Server:
    port = int(argv[argv.index("--port") + 1])
    log = workdir / f"{name}-{port}.log"
    with log.open("wb") as out:
        proc = subprocess.Popen(argv, env=env, cwd=workdir, stdout=out, stderr=subprocess.STDOUT)
    return Server(name=name, proc=proc, port=port, log=log)


def start_sleeve(
    *, database_url: str, api_url: str, token: str, secret: str, workdir: Path
) -> Server:
    env = base_env()
    env.update(
        SLACK_BOT_TOKEN=token,
        SLACK_SIGNING_SECRET=secret,
        SLACK_API_URL=api_url,
        DATABASE_URL=database_url,
        SLEEVE_COORDINATORS="U0CORA",
        # This fake Slack does not rate-limit; pacing is measured by scenario 6.
        SLEEVE_POST_INTERVAL="0",
    )
    argv = [sys.executable, "-m", "bot", "serve", "--host", "127.0.0.1", "--port"]
    argv += [str(free_port()), "--workers", str(WORKERS), "--threads", str(THREADS)]
    return _launch("sleeve", argv, env, workdir)


def start_bare(*, api_url: str, token: str, secret: str, workdir: Path) -> Server:
    argv = [sys.executable, "-m", "bench.bare", "--port", str(free_port())]
    argv += ["--workers", str(WORKERS), "--threads", str(THREADS), "--token", token]
    argv += ["--secret", secret, "--api-url", api_url]
    return _launch("bare", argv, base_env(), workdir)
