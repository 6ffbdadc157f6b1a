"""The files bulletin keeps under build/ to go faster (build/.cache/, build/.lint/): each
written atomically, and never a reason to fail."""

from __future__ import annotations

import os
from pathlib import Path


def write_atomically(path: Path, text: str) -> bool:
    """`text` (UTF-8) at `path`, its folder made if need be: written beside it under a
    temporary name (`.<name>-…`), then renamed over it, so that a reader, another process
    included, finds the old file or the new one, never half of one. False, leaving
    nothing behind, when the disk refuses (a read-only checkout: the cache only helps);
    any other failure is raised, leaving nothing behind either."""
    import tempfile

    temporary = None
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        handle, temporary = tempfile.mkstemp(dir=path.parent, prefix=f".{path.stem}-")
        with os.fdopen(handle, "w", encoding="utf-8") as out:
            out.write(text)
        os.chmod(temporary, 0o644)
        os.replace(temporary, path)
        return True
    except BaseException as failed:  # whatever stopped it (text not UTF-8, Ctrl-C): no leftover
        if temporary is not None:
            Path(temporary).unlink(missing_ok=True)
        if isinstance(failed, OSError):
            return False
        raise
