"""Files under `var/` are for the service account only (F7).

Databases, Rasa's conversations, logs and the secret key hold minors' personal
data and credentials. `private_files(var_dir)` sets the process umask to 0077
(so every file created afterwards, by this process and the ones it starts, is
owner-only), creates `var/` as 0700 and tightens what is already there.
"""

from __future__ import annotations

import os
import stat
from pathlib import Path

__all__ = ["PRIVATE_DIR", "PRIVATE_FILE", "UMASK", "private_files"]

UMASK = 0o077
PRIVATE_DIR = 0o700
PRIVATE_FILE = 0o600


def private_files(var_dir: Path) -> None:
    """umask 0077, `var_dir` 0700, and no group/other bits on anything already in it."""
    os.umask(UMASK)
    var_dir.mkdir(parents=True, exist_ok=True, mode=PRIVATE_DIR)
    _tighten(var_dir)
    for root, dirs, files in os.walk(var_dir):
        for name in dirs + files:
            _tighten(Path(root) / name)


def _tighten(path: Path) -> None:
    try:
        mode = path.lstat().st_mode
    except FileNotFoundError:  # removed meanwhile (a SQLite journal, say)
        return
    if stat.S_ISLNK(mode) or not mode & 0o077:
        return
    path.chmod(stat.S_IMODE(mode) & ~0o077)
