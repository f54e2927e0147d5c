"""Witnesses for the rendering harness: a loopback listener that counts connections, and
canary files watched with inotify (any open or read shows, whatever library did it)."""

from __future__ import annotations

import ctypes
import ctypes.util
import os
import socket
import struct
import threading
from pathlib import Path

IN_ACCESS = 0x001
IN_OPEN = 0x020
_EVENT = struct.Struct("iIII")


class SpyListener:
    """Accepts and counts every TCP connection to 127.0.0.1:PORT (HTTP, TLS or anything)."""

    def __init__(self) -> None:
        self.sock = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
        self.sock.bind(("127.0.0.1", 0))
        self.sock.listen(64)
        self.sock.settimeout(0.1)
        self.connections = 0
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._run, daemon=True)
        self._thread.start()

    @property
    def host(self) -> str:
        return f"127.0.0.1:{self.sock.getsockname()[1]}"

    def _run(self) -> None:
        while not self._stop.is_set():
            try:
                conn, _ = self.sock.accept()
            except OSError:
                continue
            self.connections += 1
            conn.close()

    def close(self) -> None:
        self._stop.set()
        self._thread.join(timeout=2)
        self.sock.close()


class FileWatch:
    """inotify on a directory: every open or read of a file in it is recorded (Linux only)."""

    def __init__(self, directory: Path) -> None:
        libc_name = ctypes.util.find_library("c")
        if libc_name is None:
            raise OSError("no libc")
        self._libc = ctypes.CDLL(libc_name, use_errno=True)
        self._fd = self._libc.inotify_init1(os.O_NONBLOCK)
        if self._fd < 0:
            raise OSError(ctypes.get_errno(), "inotify_init1")
        wd = self._libc.inotify_add_watch(self._fd, str(directory).encode(), IN_OPEN | IN_ACCESS)
        if wd < 0:
            raise OSError(ctypes.get_errno(), "inotify_add_watch")
        self.events: list[str] = []

    def poll(self) -> list[str]:
        """Events since the last poll (names of the files opened or read)."""
        found: list[str] = []
        while True:
            try:
                data = os.read(self._fd, 65536)
            except BlockingIOError:
                break
            offset = 0
            while offset < len(data):
                _wd, mask, _cookie, length = _EVENT.unpack_from(data, offset)
                name = data[offset + _EVENT.size : offset + _EVENT.size + length].rstrip(b"\0")
                kind = "open" if mask & IN_OPEN else "read"
                found.append(f"{kind} {name.decode(errors='replace') or '.'}")
                offset += _EVENT.size + length
        self.events.extend(found)
        return found

    def close(self) -> None:
        os.close(self._fd)
