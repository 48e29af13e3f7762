"""One batch run per output folder: a lock held for the whole run.

Two runs writing one folder would interleave their shards and leave a manifest that
vouches for a mix (German for pairs 0–99, Spanish for 100–199). The lock is an
``fcntl.flock`` on ``run.lock`` in the folder: the kernel releases it when its process
ends however it ends (Ctrl-C, kill -9, a crash), so a lock left behind by a killed run is
recognised as stale by being free. The file holds who runs (host, pid, start time,
command) so that a refused run can name it.
"""

from __future__ import annotations

import fcntl
import json
import os
import socket
import sys
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import datetime, timezone
from pathlib import Path

from xner.errors import ConfigError

LOCK = "run.lock"


@contextmanager
def run_folder_lock(directory: str | Path) -> Iterator[None]:
    """Hold ``directory``'s lock while the block runs; a second holder is refused, named."""
    path = Path(directory) / LOCK
    while True:
        fd = os.open(path, os.O_RDWR | os.O_CREAT, 0o644)
        try:
            fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            holder = _holder(fd)
            os.close(fd)
            raise ConfigError(f"{directory} is in use by another xner batch run ({holder}); wait for it to "
                              "finish, or write to another output directory") from None
        # the file may have been removed by the run that just finished: then lock the new one
        try:
            same = os.stat(path).st_ino == os.fstat(fd).st_ino
        except FileNotFoundError:
            same = False
        if same:
            break
        os.close(fd)
    try:
        os.ftruncate(fd, 0)
        os.write(fd, json.dumps({"host": socket.gethostname(), "pid": os.getpid(),
                                 "started": datetime.now(timezone.utc).isoformat(timespec="seconds"),
                                 "command": " ".join(sys.argv)[:500]}).encode())
        yield
    finally:
        path.unlink(missing_ok=True)  # while still locked: nobody can be waiting on this file
        os.close(fd)


def _holder(fd: int) -> str:
    try:
        info = json.loads(os.pread(fd, 4096, 0) or b"{}")
        return f"pid {info['pid']} on {info['host']}, started {info['started']}: {info['command']}"
    except (OSError, ValueError, KeyError, TypeError):
        return "just starting"
