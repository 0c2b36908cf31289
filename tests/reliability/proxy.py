"""A TCP proxy on a loopback port, so a test can make PostgreSQL unreachable
without stopping the server that other tests share.

``cut()`` drops every connection and refuses new ones (the port is closed, so
a client sees "connection refused", as when a server is down); ``restore()``
listens on the same port again. ``cut_past(...)`` and ``cut_once_sent(...)``
cut from inside the proxy at a precise point of the conversation: halfway
through a big insert, or just after a COMMIT left for the server.
``silence()`` keeps every connection open and accepts new ones, but passes
nothing on either way, as a server that stopped answering (its machine still
acknowledges every packet, so only time limits notice); ``resume()`` passes
on what was held and all that follows.
"""

from __future__ import annotations

import contextlib
import random
import socket
import threading
from collections.abc import Callable

_FIXED_PORTS = (20_000, 32_000)
"""Below Linux's default ephemeral range (32768–60999)."""

_Trigger = Callable[[bytes, int], bool]
"""Given a chunk about to be forwarded upstream and the bytes forwarded so far, cut now?"""


class TcpProxy:
    def __init__(self, upstream: tuple[str, int] = ("127.0.0.1", 5432)) -> None:
        self.upstream = upstream
        self._lock = threading.Lock()
        self._connections: set[socket.socket] = set()
        self._trigger: _Trigger | None = None
        self._cut_after = False
        self._forwarded = 0
        self._listener: socket.socket | None = None
        self._speaking = threading.Event()
        self._speaking.set()
        self.cuts = 0
        self.port = self._listen_on_a_free_port()

    @property
    def address(self) -> str:
        return f"127.0.0.1:{self.port}"

    def cut(self) -> None:
        """Close the port and every connection through it."""
        with self._lock:
            listener, self._listener = self._listener, None
            connections, self._connections = self._connections, set()
            self._trigger = None
            self.cuts += 1
        if listener is not None:
            _close(listener)  # shutdown first: a thread waiting in accept() would keep the port listening
        for connection in connections:
            _close(connection)

    def restore(self) -> None:
        """Listen on the same port again, as when the server comes back."""
        if self._listener is None:
            self._listen()

    def silence(self) -> None:
        """Hold whatever either side sends, on every connection, old and new."""
        self._speaking.clear()

    def resume(self) -> None:
        """Pass on what was held, and speak again."""
        self._speaking.set()

    def cut_past(self, size: int) -> None:
        """Cut once ``size`` more bytes went to the server, before the chunk that passes it."""
        self._arm(lambda chunk, forwarded: forwarded + len(chunk) > size, after=False)

    def cut_once_sent(self, marker: bytes) -> None:
        """Cut just after the server was sent a chunk holding ``marker``: it
        acts on the message, but its answer never comes back."""
        self._arm(lambda chunk, _: marker in chunk, after=True)

    def _arm(self, trigger: _Trigger, *, after: bool) -> None:
        with self._lock:
            self._forwarded = 0
            self._trigger = trigger
            self._cut_after = after

    def close(self) -> None:
        self.resume()
        self.cut()

    def _listen_on_a_free_port(self) -> int:
        """A port below the kernel's range for outgoing connections: while the
        proxy is cut, no client socket can be given it, so it can listen again."""
        for port in random.sample(range(*_FIXED_PORTS), 200):
            self.port = port
            try:
                self._listen()
            except OSError:
                continue
            return port
        raise OSError("no free port for the proxy")

    def _listen(self) -> None:
        listener = socket.create_server(("127.0.0.1", self.port))
        listener.settimeout(0.05)
        self._listener = listener
        threading.Thread(target=self._accept, args=(listener,), daemon=True).start()

    def _accept(self, listener: socket.socket) -> None:
        while self._listener is listener:
            try:
                client, _ = listener.accept()
            except TimeoutError:
                continue
            except OSError:
                return
            try:
                server = socket.create_connection(self.upstream)
            except OSError:
                _close(client)
                continue
            client.settimeout(None)
            with self._lock:
                if self._listener is not listener:
                    _close(client)
                    _close(server)
                    return
                self._connections.update((client, server))
            threading.Thread(target=self._pump, args=(client, server, True), daemon=True).start()
            threading.Thread(target=self._pump, args=(server, client, False), daemon=True).start()

    def _pump(self, source: socket.socket, target: socket.socket, upstream: bool) -> None:
        try:
            while chunk := source.recv(65536):
                self._speaking.wait()
                cut = upstream and self._should_cut(chunk)
                if cut and not self._cut_after:
                    self.cut()
                    return
                target.sendall(chunk)
                if cut:
                    self.cut()
                    return
        except OSError:
            pass
        finally:
            _close(source)
            _close(target)

    def _should_cut(self, chunk: bytes) -> bool:
        with self._lock:
            trigger = self._trigger
            if trigger is None:
                return False
            cut = trigger(chunk, self._forwarded)
            self._forwarded += len(chunk)
            return cut


def _close(connection: socket.socket) -> None:
    with contextlib.suppress(OSError):
        connection.shutdown(socket.SHUT_RDWR)
    connection.close()
