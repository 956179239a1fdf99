"""A small HTTP/1.1 load client: threads, each with one keep-alive connection.

Requests are pre-built bytes (signed before the run), so the client's work per request is a
``sendall`` and reading one response: a few tens of microseconds, far below what the server
spends. Every run has a fixed request count and a time limit; each latency is the time from
sending the first byte of a request to reading the last byte of its response.
"""

from __future__ import annotations

import itertools
import socket
import threading
import time
from collections.abc import Callable, Mapping, Sequence

from bench.stats import LoadRun

HOST = "127.0.0.1"


def http_request(path: str, body: str, headers: Mapping[str, str], *, port: int) -> bytes:
    data = body.encode()
    lines = [
        f"POST {path} HTTP/1.1",
        f"Host: {HOST}:{port}",
        "Connection: keep-alive",
        f"Content-Length: {len(data)}",
        *(f"{name}: {value}" for name, value in headers.items()),
    ]
    return ("\r\n".join(lines) + "\r\n\r\n").encode() + data


class Connection:
    def __init__(self, port: int) -> None:
        self.port = port
        self.sock: socket.socket | None = None
        self.buffer = b""

    def open(self) -> None:
        self.close()
        self.sock = socket.create_connection((HOST, self.port), timeout=30)
        self.sock.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)
        self.buffer = b""

    def close(self) -> None:
        if self.sock is not None:
            self.sock.close()
            self.sock = None

    def _fill(self) -> None:
        assert self.sock is not None
        chunk = self.sock.recv(65536)
        if not chunk:
            raise ConnectionError("server closed the connection")
        self.buffer += chunk

    def roundtrip(self, request: bytes) -> tuple[int, bytes]:
        """Send one request and read its response; (status, body)."""
        if self.sock is None:
            self.open()
        assert self.sock is not None
        self.sock.sendall(request)
        while b"\r\n\r\n" not in self.buffer:
            self._fill()
        head, _, rest = self.buffer.partition(b"\r\n\r\n")
        status = int(head[9:12])
        length = 0
        close = False
        for line in head.split(b"\r\n")[1:]:
            name, _, value = line.partition(b":")
            key = name.strip().lower()
            if key == b"content-length":
                length = int(value)
            elif key == b"connection" and value.strip().lower() == b"close":
                close = True
        self.buffer = rest
        while len(self.buffer) < length:
            self._fill()
        body, self.buffer = self.buffer[:length], self.buffer[length:]
        if close:
            self.close()
        return status, body


def get(port: int, path: str, timeout: float = 1.0) -> tuple[int, bytes]:
    """One GET on a fresh connection (health checks)."""
    with socket.create_connection((HOST, port), timeout=timeout) as sock:
        sock.sendall(f"GET {path} HTTP/1.1\r\nHost: {HOST}\r\nConnection: close\r\n\r\n".encode())
        data = b""
        while chunk := sock.recv(65536):
            data += chunk
    head, _, body = data.partition(b"\r\n\r\n")
    return int(head[9:12]), body


def run(
    port: int,
    requests: Sequence[bytes],
    *,
    concurrency: int,
    time_limit: float,
    warmup: Sequence[bytes] = (),
    on_start: Callable[[], object] = lambda: None,
) -> LoadRun:
    """Send every request once (in order, shared by ``concurrency`` connections).

    ``on_start`` runs when the warm-up is over and the timed requests begin."""
    counter = itertools.count()
    latencies: list[list[float]] = [[] for _ in range(concurrency)]
    statuses: list[dict[int, int]] = [{} for _ in range(concurrency)]
    errors = [0] * concurrency
    barrier = threading.Barrier(concurrency + 1)
    deadline = [0.0]

    def worker(slot: int) -> None:
        conn = Connection(port)
        try:
            conn.open()
            for request in warmup[slot::concurrency]:
                conn.roundtrip(request)
        except OSError:
            errors[slot] += 1
        barrier.wait()
        mine, seen = latencies[slot], statuses[slot]
        while True:
            index = next(counter)
            if index >= len(requests) or time.perf_counter() > deadline[0]:
                break
            start = time.perf_counter()
            try:
                status, _ = conn.roundtrip(requests[index])
            except OSError:
                errors[slot] += 1
                conn.close()
                continue
            mine.append((time.perf_counter() - start) * 1000)
            seen[status] = seen.get(status, 0) + 1
        conn.close()

    threads = [
        threading.Thread(target=worker, args=(slot,), daemon=True) for slot in range(concurrency)
    ]
    for thread in threads:
        thread.start()
    deadline[0] = time.perf_counter() + 3600
    barrier.wait()
    on_start()
    cpu0 = time.process_time()
    started = time.perf_counter()
    deadline[0] = started + time_limit
    for thread in threads:
        thread.join()
    elapsed = time.perf_counter() - started
    return _merged(latencies, statuses, errors, elapsed, time.process_time() - cpu0, len(requests))


def _merged(
    latencies: list[list[float]],
    statuses: list[dict[int, int]],
    errors: list[int],
    elapsed: float,
    cpu_s: float,
    wanted: int,
) -> LoadRun:
    """One run's record from what each connection saw."""
    merged: dict[int, int] = {}
    for seen in statuses:
        for status, n in seen.items():
            merged[status] = merged.get(status, 0) + n
    done = sum(len(lat) for lat in latencies)
    return LoadRun(
        latencies_ms=[value for lat in latencies for value in lat],
        elapsed_s=elapsed,
        errors=sum(errors),
        statuses=merged,
        client_cpu_s=cpu_s,
        timed_out=done + sum(errors) < wanted,
    )
