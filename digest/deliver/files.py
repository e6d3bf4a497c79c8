"""Safe file operations: atomic writes, paths confined to a root, advisory locks."""

from __future__ import annotations

import fcntl
import os
import tempfile
import time
from contextlib import contextmanager
from pathlib import Path
from typing import Iterator

from ..errors import DeliveryError, LockBusy


def confined_path(root: Path, relative: str) -> Path:
    """`relative` inside `root`, or DeliveryError: no absolute paths, no `..` escapes, no links out."""
    if not relative or Path(relative).is_absolute() or "\x00" in relative:
        raise DeliveryError(f"page path must be relative to the wiki: {relative!r}")
    root = root.resolve()
    target = (root / relative).resolve()
    if not target.is_relative_to(root) or target == root:
        raise DeliveryError(f"page path leaves the wiki: {relative!r}")
    if ".git" in target.relative_to(root).parts:
        raise DeliveryError(f"page path points into .git: {relative!r}")
    return target


def atomic_write(path: Path, data: bytes) -> bool:
    """Replace `path` with `data` in one step; False (and no write) when it already holds them.

    The temporary file lives in the same folder so os.replace never crosses a
    file system, and it is fsynced first: a killed run leaves the old page.
    """
    try:
        if path.read_bytes() == data:
            return False
    except FileNotFoundError:
        pass
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, temporary = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".tmp", dir=path.parent)
    try:
        # mkstemp makes the file private (0600); a wiki page or .eml gets the mode a plain write would.
        os.fchmod(fd, 0o666 & ~_umask())
        with os.fdopen(fd, "wb") as handle:
            handle.write(data)
            handle.flush()
            os.fsync(handle.fileno())
        os.replace(temporary, path)
    except BaseException:
        Path(temporary).unlink(missing_ok=True)
        raise
    directory = os.open(path.parent, os.O_RDONLY)
    try:
        os.fsync(directory)  # make the rename itself durable
    finally:
        os.close(directory)
    return True


def _umask() -> int:
    mask = os.umask(0o022)
    os.umask(mask)
    return mask


@contextmanager
def exclusive_lock(path: Path, timeout: float, what: str) -> Iterator[None]:
    """Hold an flock on `path`; wait up to `timeout` seconds, then raise LockBusy.

    flock is released by the kernel when the process dies, so a killed run can
    never leave a stale lock behind (unlike a lock *file* such as index.lock).
    """
    path.parent.mkdir(parents=True, exist_ok=True)
    with open(path, "a+") as handle:
        deadline = time.monotonic() + timeout
        while True:
            try:
                fcntl.flock(handle.fileno(), fcntl.LOCK_EX | fcntl.LOCK_NB)
                break
            except BlockingIOError:
                if time.monotonic() >= deadline:
                    raise LockBusy(f"another digest run is {what} (lock {path}); nothing was changed") from None
                time.sleep(0.1)
        try:
            yield
        finally:
            fcntl.flock(handle.fileno(), fcntl.LOCK_UN)
