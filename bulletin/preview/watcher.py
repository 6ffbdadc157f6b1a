"""Watch the sources, templates and fonts; report each burst of changes once it settles."""

from __future__ import annotations

import threading
from pathlib import Path

import watchfiles

from .targets import SHARED_FOLDERS
from ..sources import ISSUES_DIR

QUIET_MS = 100  # an editor's save is several events within a few ms; wait for quiet


class SourceWatcher:
    """Calls `on_change(paths)` from its own threads after each settled burst of changes.

    The project root itself is watched without recursion (for bulletin.yaml): a recursive
    watch would descend into .venv/ and build/.
    """

    def __init__(self, root: Path, target, on_change):
        self.root = root
        self.target = target
        self.on_change = on_change
        self._stop = threading.Event()
        self._editor_files = watchfiles.DefaultFilter()  # swap files, backups, caches
        self._threads: list[threading.Thread] = []

    def groups(self) -> list[tuple[list[Path], bool]]:
        """(folders, recursive) pairs to watch; only folders that exist."""
        recursive = [self.root / name for name in (ISSUES_DIR, *SHARED_FOLDERS)]
        flat = [self.root]
        for folder in self.target.extra_folders():
            if not any(_within(folder, top) for top in recursive) and folder not in flat:
                flat.append(folder)
        return [([f for f in recursive if f.is_dir()], True),
                ([f for f in flat if f.is_dir()], False)]

    def start(self) -> None:
        for folders, recursive in self.groups():
            if not folders:
                continue
            thread = threading.Thread(target=self._watch, args=(folders, recursive),
                                      name="preview-watch", daemon=True)
            thread.start()
            self._threads.append(thread)

    def stop(self) -> None:
        self._stop.set()
        for thread in self._threads:
            thread.join(timeout=2)

    def _relevant(self, change, path: str) -> bool:
        return self._editor_files(change, path) and \
            self.target.is_source(self.root, Path(path))

    def _watch(self, folders: list[Path], recursive: bool) -> None:
        for changes in watchfiles.watch(*folders, watch_filter=self._relevant,
                                        step=QUIET_MS, stop_event=self._stop,
                                        recursive=recursive, raise_interrupt=False,
                                        rust_timeout=500, yield_on_timeout=False):
            self.on_change({Path(path) for _, path in changes})


def _within(path: Path, folder: Path) -> bool:
    return path == folder or path.is_relative_to(folder)
