"""Background imports as the Data page lists them, and who runs each: a job names its
owner (host, process id and a token), whose liveness is checked directly on this host and
by its heartbeat elsewhere. Leases, resume and discard: :mod:`xner.store.imports`.
"""

from __future__ import annotations

import os
import socket
import uuid
from datetime import datetime, timedelta, timezone
from typing import TYPE_CHECKING

from sqlalchemy import select

from xner.errors import ConfigError
from xner.store.schema import Job

if TYPE_CHECKING:
    from xner.store.store import Store

# a running job whose owner cannot be checked directly is considered dead after this long
# without a heartbeat (the worker beats after every chunk)
STALE_AFTER = timedelta(minutes=10)
# this process, as a job owner: host, pid and a token that a restarted process reusing
# the pid (pid 1 in a container) does not share
OWNER = f"{socket.gethostname()}:{os.getpid()}:{uuid.uuid4().hex[:8]}"


def owner_alive(owner: str, heartbeat: datetime | None, now: datetime) -> bool:
    """Whether the process named by ``owner`` (``host:pid:token[:claim]``) still runs."""
    host, _, rest = owner.partition(":")
    pid, _, token = rest.partition(":")
    if heartbeat is not None and heartbeat.tzinfo is None:  # SQLite hands back naive UTC times
        heartbeat = heartbeat.replace(tzinfo=timezone.utc)
    recent = heartbeat is not None and now - heartbeat < STALE_AFTER
    if host != socket.gethostname() or not pid.isdigit():
        return recent
    if owner == OWNER or owner.startswith(OWNER + ":"):  # this process (a lease adds its claim)
        return recent
    if int(pid) == os.getpid():
        return False  # a previous process with our pid: restarted
    try:
        os.kill(int(pid), 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        pass
    return recent


def jobs(store: Store) -> list[dict]:
    """Background imports, newest first; a running one whose process died is ``interrupted``."""
    now = datetime.now(timezone.utc)
    with store.sessions() as session:
        rows = list(session.scalars(select(Job).order_by(Job.id.desc())))
    result = []
    for j in rows:
        status = j.status
        if status == "running" and not owner_alive(j.owner or "", j.heartbeat, now):
            status = "interrupted"
        result.append({"id": j.id, "name": j.name, "status": status, "done": j.done, "total": j.total,
                       "message": j.message, "dataset_id": j.dataset_id, "created_at": j.created_at,
                       "settings": j.settings or {}})
    return result


def job(store: Store, job_id: int) -> dict:
    found = [j for j in jobs(store) if j["id"] == job_id]
    if not found:
        raise ConfigError(f"import job {job_id} does not exist")
    return found[0]
