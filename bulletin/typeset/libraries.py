"""Find the shared libraries WeasyPrint opens without a subprocess per guess.

WeasyPrint tries several names for each library (`libgobject-2.0-0`, `gobject-2.0-0`,
…, 22 in all); cffi asks `ctypes.util.find_library` about each name it cannot open
directly, and on Linux every such call starts `ldconfig`, then `gcc` and `ld`: about
0.4 s per process, a third of a cold build. One `ldconfig -p` listing, read once,
answers the same question the same way.
"""

from __future__ import annotations

import ctypes.util
import os
import re
import shutil
import subprocess
from functools import lru_cache

_original = ctypes.util.find_library


@lru_cache(maxsize=1)
def _ldconfig_listing() -> str | None:
    ldconfig = shutil.which("ldconfig") or next(
        (path for path in ("/sbin/ldconfig", "/usr/sbin/ldconfig") if os.path.exists(path)),
        None)
    if ldconfig is None:
        return None
    try:
        return subprocess.run([ldconfig, "-p"], capture_output=True, text=True, timeout=10,
                              env={"LC_ALL": "C", "LANG": "C"}).stdout
    except (OSError, subprocess.SubprocessError):
        return None


@lru_cache(maxsize=None)
def find_library(name: str) -> str | None:
    listing = _ldconfig_listing()
    if listing is None:
        return _original(name)
    # The pattern ctypes itself applies to `ldconfig -p` on Linux.
    match = re.search(rf"\s+(lib{re.escape(name)}\.[^\s]+)\s+\(", listing)
    return match.group(1) if match else None


def install() -> None:
    if os.name == "posix" and not os.uname().sysname == "Darwin":
        ctypes.util.find_library = find_library
