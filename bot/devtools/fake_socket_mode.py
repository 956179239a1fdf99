"""The WebSocket end of Socket Mode, for the fake Slack: enough of RFC 6455 to serve Bolt.

``apps.connections.open`` (called with the app-level token) hands out this server's
``ws://`` URL. A connecting app gets Slack's ``hello``; a test then sends envelopes with
``send`` and reads the app's acknowledgements with ``wait_ack``. Server frames go out
unmasked, client frames are unmasked, pings get pongs and a close gets a close, as Slack's
servers do. Plain TCP on loopback: ``slack_sdk`` connects without TLS to any port but 443.
"""

from __future__ import annotations

import base64
import contextlib
import hashlib
import json
import socket
import socketserver
import struct
import threading
import time
from typing import Any

GUID = "258EAFA5-E914-47DA-95CA-C5AB0DC85B11"  # RFC 6455 §1.3
TEXT, CLOSE, PING, PONG = 0x1, 0x8, 0x9, 0xA


def accept_key(key: str) -> str:
    return base64.b64encode(hashlib.sha1((key + GUID).encode()).digest()).decode()


def frame(opcode: int, payload: bytes) -> bytes:
    """One unmasked, final frame (servers never mask)."""
    head = bytes([0x80 | opcode])
    size = len(payload)
    if size < 126:
        return head + bytes([size]) + payload
    if size < 1 << 16:
        return head + bytes([126]) + struct.pack("!H", size) + payload
    return head + bytes([127]) + struct.pack("!Q", size) + payload


def _exactly(sock: socket.socket, count: int) -> bytes:
    data = b""
    while len(data) < count:
        chunk = sock.recv(count - len(data))
        if not chunk:
            raise ConnectionError("closed")
        data += chunk
    return data


def read_frame(sock: socket.socket) -> tuple[int, bytes]:
    """The opcode and unmasked payload of the next frame from a client."""
    first, second = _exactly(sock, 2)
    size = second & 0x7F
    if size == 126:
        size = struct.unpack("!H", _exactly(sock, 2))[0]
    elif size == 127:
        size = struct.unpack("!Q", _exactly(sock, 8))[0]
    mask = _exactly(sock, 4) if second & 0x80 else b"\0\0\0\0"
    payload = _exactly(sock, size)
    return first & 0x0F, bytes(b ^ mask[i % 4] for i, b in enumerate(payload))


class _Link(socketserver.BaseRequestHandler):
    server: _Server

    def handle(self) -> None:
        sock: socket.socket = self.request
        if not self._handshake(sock):
            return
        owner = self.server.owner
        owner.joined(sock)
        try:
            while True:
                opcode, payload = read_frame(sock)
                if opcode == PING:
                    owner.write(sock, frame(PONG, payload))
                elif opcode == CLOSE:
                    owner.write(sock, frame(CLOSE, payload[:2]))
                    return
                elif opcode == TEXT:
                    owner.received(json.loads(payload))
        except (ConnectionError, OSError, ValueError):
            return
        finally:
            owner.left(sock)

    @staticmethod
    def _handshake(sock: socket.socket) -> bool:
        request = b""
        while b"\r\n\r\n" not in request:
            chunk = sock.recv(4096)
            if not chunk:
                return False
            request += chunk
        lines = request.decode("latin-1").split("\r\n")
        headers = {
            k.strip().lower(): v.strip() for k, _, v in (x.partition(":") for x in lines[1:])
        }
        key = headers.get("sec-websocket-key")
        if not key or headers.get("upgrade", "").lower() != "websocket":
            sock.sendall(b"HTTP/1.1 400 Bad Request\r\nContent-Length: 0\r\n\r\n")
            return False
        sock.sendall(
            b"HTTP/1.1 101 Switching Protocols\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n"
            + f"Sec-WebSocket-Accept: {accept_key(key)}\r\n\r\n".encode()
        )
        return True


class _Server(socketserver.ThreadingTCPServer):
    daemon_threads = True
    allow_reuse_address = True

    def __init__(self, owner: SocketModeServer) -> None:
        self.owner = owner
        super().__init__(("127.0.0.1", 0), _Link)


class SocketModeServer:
    """Connections from Socket Mode apps, and what they sent back."""

    def __init__(self) -> None:
        self._server = _Server(self)
        self._lock = threading.Condition()
        self._sockets: list[socket.socket] = []
        self._messages: list[dict[str, Any]] = []
        self._send_locks: dict[int, threading.Lock] = {}
        self.connections = 0
        self._thread = threading.Thread(
            target=self._server.serve_forever, args=(0.05,), name="fake-socket-mode", daemon=True
        )
        self._thread.start()

    @property
    def url(self) -> str:
        return f"ws://127.0.0.1:{self._server.server_address[1]}/link/?ticket={self.connections}"

    def stop(self) -> None:
        with self._lock:
            for sock in self._sockets:
                with contextlib.suppress(OSError):
                    sock.shutdown(socket.SHUT_RDWR)
        self._server.shutdown()
        self._server.server_close()

    # Called from connection threads.

    def joined(self, sock: socket.socket) -> None:
        with self._lock:
            self._sockets.append(sock)
            self._send_locks[id(sock)] = threading.Lock()
            self.connections += 1
            self._lock.notify_all()
        hello = {"type": "hello", "num_connections": 1, "debug_info": {"host": "fake-slack"}}
        self.write(sock, frame(TEXT, json.dumps(hello).encode()))

    def left(self, sock: socket.socket) -> None:
        with self._lock:
            if sock in self._sockets:
                self._sockets.remove(sock)
            self._lock.notify_all()

    def received(self, message: dict[str, Any]) -> None:
        with self._lock:
            self._messages.append(message)
            self._lock.notify_all()

    def write(self, sock: socket.socket, data: bytes) -> None:
        lock = self._send_locks.get(id(sock)) or threading.Lock()
        with lock, contextlib.suppress(OSError):
            sock.sendall(data)

    # Called by tests.

    def wait_connected(self, timeout: float = 20) -> None:
        with self._lock:
            if not self._lock.wait_for(lambda: bool(self._sockets), timeout):
                raise TimeoutError("no Socket Mode connection")

    def wait_disconnected(self, timeout: float = 20) -> None:
        with self._lock:
            if not self._lock.wait_for(lambda: not self._sockets, timeout):
                raise TimeoutError("the Socket Mode connection is still open")

    def send(self, envelope: dict[str, Any]) -> None:
        """Deliver an envelope on the newest connection, as Slack does with one open."""
        with self._lock:
            sock = self._sockets[-1]
        self.write(sock, frame(TEXT, json.dumps(envelope).encode()))

    def wait_ack(self, envelope_id: str, timeout: float = 10) -> dict[str, Any]:
        """The app's acknowledgement of ``envelope_id`` (its response payload included)."""
        deadline = time.monotonic() + timeout
        with self._lock:
            while True:
                for message in self._messages:
                    if message.get("envelope_id") == envelope_id:
                        return message
                left = deadline - time.monotonic()
                if left <= 0 or not self._lock.wait(left):
                    raise TimeoutError(f"no ack for {envelope_id}")
