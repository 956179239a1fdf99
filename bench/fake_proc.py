"""The fake Slack Web API in a process of its own, steered over its standard input.

``python -m bench.fake_proc --token T`` prints ``{"api_url": …, "base_url": …}`` and then
answers one JSON line per command line: ``latency SECONDS``, ``calls`` (how many calls each
method has had, by status), ``posted TEXT`` (accepted posts whose text holds TEXT), ``share
JSON`` (a local file shared in a thread: the Events API event), ``quit``. A process of its own keeps its CPU and its GIL away from the load
client.
"""

from __future__ import annotations

import argparse
import contextlib
import json
import subprocess
import sys
from pathlib import Path
from typing import IO, Any

from bot.devtools import demo
from bot.devtools.fake_slack import FakeSlack

REPO = Path(__file__).resolve().parent.parent


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--token", required=True)
    args = parser.parse_args(argv)
    fake = FakeSlack(bot_token=args.token, team_name=demo.TEAM_NAME)
    fake.trigger_ttl = None
    demo.install_directory(fake)
    with fake:
        print(json.dumps({"api_url": fake.api_url, "base_url": fake.base_url}), flush=True)
        for line in sys.stdin:
            command, _, arg = line.strip().partition(" ")
            answer: dict[str, Any] = {"ok": True}
            if command == "latency":
                fake.latency(float(arg))
            elif command == "calls":
                with fake.state.lock:
                    for call in fake.state.calls:
                        key = f"{call.method}:{call.status}"
                        answer[key] = answer.get(key, 0) + 1
            elif command == "posted":  # accepted chat.postMessage calls whose text holds arg
                with fake.state.lock:
                    answer["count"] = sum(
                        1
                        for call in fake.state.calls
                        if call.method == "chat.postMessage"
                        and call.status == 200
                        and arg in str(call.args.get("text", ""))
                    )
            elif command == "share":  # {"path", "user", "channel", "thread_ts", "text"}
                answer["event"] = _share(fake, json.loads(arg))
            elif command == "quit":
                break
            else:
                answer = {"ok": False, "error": f"unknown command {command!r}"}
            print(json.dumps(answer), flush=True)
    return 0


def _share(fake: FakeSlack, spec: dict[str, Any]) -> dict[str, Any]:
    path = Path(spec["path"])
    file = fake.add_file(spec["user"], path.name, path.read_bytes())
    _, event = fake.share_file(
        spec["channel"], spec["user"], file, text=spec["text"], thread_ts=spec["thread_ts"]
    )
    return event


class FakeSlackProcess:
    """The bench's handle on a ``bench.fake_proc`` subprocess."""

    def __init__(self, token: str, env: dict[str, str]) -> None:
        self.token = token
        self.proc = subprocess.Popen(
            [sys.executable, "-m", "bench.fake_proc", "--token", token],
            stdin=subprocess.PIPE,
            stdout=subprocess.PIPE,
            text=True,
            cwd=REPO,
            env=env,
        )
        first = json.loads(self._out.readline())
        self.api_url: str = first["api_url"]
        self.base_url: str = first["base_url"]

    @property
    def _out(self) -> IO[str]:
        assert self.proc.stdout is not None
        return self.proc.stdout

    def _ask(self, line: str) -> dict[str, Any]:
        assert self.proc.stdin is not None
        self.proc.stdin.write(line + "\n")
        self.proc.stdin.flush()
        return json.loads(self._out.readline())

    def latency(self, seconds: float) -> None:
        self._ask(f"latency {seconds}")

    def calls(self) -> dict[str, int]:
        answer = self._ask("calls")
        answer.pop("ok", None)
        return answer

    def posted(self, text: str) -> int:
        return int(self._ask(f"posted {text}")["count"])

    def share(
        self, path: Path, *, user: str, channel: str, thread_ts: str, text: str
    ) -> dict[str, Any]:
        spec = {"path": str(path), "user": user, "channel": channel, "thread_ts": thread_ts}
        return dict(self._ask("share " + json.dumps(spec | {"text": text}))["event"])

    def stop(self) -> None:
        if self.proc.poll() is None:
            with contextlib.suppress(OSError, ValueError):
                self._ask("quit")
            try:
                self.proc.wait(timeout=10)
            except subprocess.TimeoutExpired:
                self.proc.kill()
                self.proc.wait()


if __name__ == "__main__":
    sys.exit(main())
