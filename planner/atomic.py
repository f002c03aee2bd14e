"""Writing a file so that it is always whole: a temporary file beside it, fsync, rename."""

from __future__ import annotations

import os
import re
import stat
import time
from pathlib import Path




#: A temporary file older than this was left by a save that was killed: no save takes so long.
STALE_TEMPORARY_SECONDS = 300
# A temporary file is named ``.NAME.`` + eight random characters of these + ``.tmp``.
_TEMPORARY_ALPHABET = "abcdefghijklmnopqrstuvwxyz0123456789_"
_TEMPORARY_TAIL = re.compile(r"[a-z0-9_]{8}\.tmp")


def _create_temporary(folder: Path, name: str) -> tuple[int, str]:
    """A new temporary file beside ``name``, created with the usual permissions
    (0o666 less the umask, as any new file), unlike mkstemp's private 0o600."""
    import secrets

    flags = os.O_WRONLY | os.O_CREAT | os.O_EXCL | getattr(os, "O_BINARY", 0)
    for _ in range(100):
        tail = "".join(secrets.choice(_TEMPORARY_ALPHABET) for _ in range(8))
        tmp = os.path.join(folder, f".{name}.{tail}.tmp")
        try:
            return os.open(tmp, flags, 0o666), tmp
        except FileExistsError:
            continue
    raise FileExistsError(f"no free temporary file name beside {name}")


def write_atomic(path: Path, data: bytes) -> None:
    """Write to a temporary file beside the file, fsync, then rename over it.

    Through a symbolic link, the file written is the one the link points to (the link
    stays a link); the temporary file is made in that file's folder, so that the rename
    stays within one file system. Temporary files of earlier saves of the same file that
    were killed half-way are removed."""
    target = Path(os.path.realpath(path))
    folder = target.parent
    _remove_stale_temporaries(target)
    fd, tmp = _create_temporary(folder, target.name)
    try:
        with os.fdopen(fd, "wb") as fh:
            fh.write(data)
            fh.flush()
            os.fsync(fh.fileno())
        if target.exists():  # a replaced file keeps its permissions
            try:
                os.chmod(tmp, target.stat().st_mode & 0o777)
            except OSError:
                pass
        os.replace(tmp, target)
    except BaseException:
        try:
            os.unlink(tmp)
        except OSError:
            pass
        raise
    try:  # make the rename itself durable where the platform allows it
        dir_fd = os.open(folder, os.O_RDONLY)
    except OSError:
        return
    try:
        os.fsync(dir_fd)
    except OSError:
        pass
    finally:
        os.close(dir_fd)


def _remove_stale_temporaries(target: Path) -> None:
    """Remove the temporary files of ``target``'s killed saves: our naming, for that file
    only, regular files only, and only when old enough that no save can still be writing them."""
    prefix = f".{target.name}."
    cutoff = time.time() - STALE_TEMPORARY_SECONDS
    try:
        entries = os.scandir(target.parent)
    except OSError:
        return
    with entries:
        for entry in entries:
            if not entry.name.startswith(prefix) or not _TEMPORARY_TAIL.fullmatch(entry.name, len(prefix)):
                continue
            try:
                info = entry.stat(follow_symlinks=False)
                if stat.S_ISREG(info.st_mode) and info.st_mtime < cutoff:
                    os.unlink(entry.path)
            except OSError:
                pass  # gone already, or not ours to remove: the save goes on
