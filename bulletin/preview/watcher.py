"""Watch the sources, templates and fonts; report each burst of changes once it settles."""

from __future__ import annotations

import threading
from pathlib import Path

import watchfiles

from .targets import SHARED_FOLDERS
from ..sources import ISSUES_DIR

QUIET_MS = 50  # an editor's save is several events within a few ms; wait for 50 ms of quiet
# (watchfiles then reports a burst 50 ms after it ends; with 100 it took 100 to 200 ms)
# After a watched folder comes back, the new watch takes a moment to be in place: what is
# written into the folder meanwhile is caught by one more rebuild this much later.
SETTLE_S = 0.5


class _Either:
    """A stop event for watchfiles: set when the watcher stops, or when this watch is
    replaced by a new one."""

    def __init__(self, *events: threading.Event):
        self.events = events

    def is_set(self) -> bool:
        return any(event.is_set() for event in self.events)


class SourceWatcher:
    """Calls `on_change(paths)` from its own threads after each settled burst of changes.

    The project root itself is watched without recursion (for bulletin.yaml): a recursive
    watch would descend into .venv/ and build/. `issues/`, `templates/` and `fonts/` are
    watched recursively; a watch on a folder lasts as long as the folder, so when one of
    them is deleted and made again (or made for the first time), the root's watch sees it
    and the recursive watch starts again on the new folder.
    """

    def __init__(self, root: Path, target, on_change):
        self.root = root
        self.target = target
        self.on_change = on_change
        self._stop = threading.Event()
        self._editor_files = watchfiles.DefaultFilter()  # swap files, backups, caches
        self._threads: list[threading.Thread] = []
        self._lock = threading.Lock()
        self._deep_stop = threading.Event()  # the current recursive watch's own
        self.deep_generation = 0  # how many times the recursive watch was started

    @property
    def tops(self) -> list[Path]:
        """The folders watched recursively, whether they exist or not."""
        return [self.root / name for name in (ISSUES_DIR, *SHARED_FOLDERS)]

    def groups(self) -> list[tuple[list[Path], bool]]:
        """(folders, recursive) pairs to watch; only folders that exist."""
        recursive = self.tops
        flat = [self.root]
        for folder in self.target.extra_folders():
            if not any(_within(folder, top) for top in recursive) and folder not in flat:
                flat.append(folder)
        return [([f for f in recursive if f.is_dir()], True),
                ([f for f in flat if f.is_dir()], False)]

    def start(self) -> None:
        (deep, _), (flat, _) = self.groups()
        self._start_deep(deep)
        if flat:
            self._spawn(flat, False, self._stop, self._flat_relevant, self._flat_changed)

    def stop(self) -> None:
        self._stop.set()
        with self._lock:
            threads = list(self._threads)
        for thread in threads:
            thread.join(timeout=2)

    def _start_deep(self, folders: list[Path]) -> None:
        with self._lock:
            self._deep_stop.set()  # the watch of the folders as they were
            self._deep_stop = threading.Event()
            self.deep_generation += 1
            self._threads = [thread for thread in self._threads if thread.is_alive()]
            stop = _Either(self._stop, self._deep_stop)
        if folders and not self._stop.is_set():
            self._spawn(folders, True, stop, self._relevant, self.on_change)

    def _spawn(self, folders, recursive, stop, relevant, report) -> None:
        thread = threading.Thread(target=self._watch,
                                  args=(folders, recursive, stop, relevant, report),
                                  name="preview-watch", daemon=True)
        with self._lock:
            self._threads.append(thread)
        thread.start()

    def _relevant(self, change, path: str) -> bool:
        return self._editor_files(change, path) and \
            self.target.is_source(self.root, Path(path))

    def _flat_relevant(self, change, path: str) -> bool:
        return Path(path) in self.tops or self._relevant(change, path)

    def _flat_changed(self, paths: set[Path]) -> None:
        if any(path in self.tops for path in paths):
            # A watched folder was made, deleted or replaced: watch what is there now.
            self._start_deep(self.groups()[0][0])
            self.on_change(paths)
            # What was written into the new folder before its watch was in place.
            if not self._stop.wait(SETTLE_S):
                self.on_change(paths)
            return
        self.on_change(paths)

    def _watch(self, folders: list[Path], recursive: bool, stop, relevant, report) -> None:
        try:
            for changes in watchfiles.watch(*folders, watch_filter=relevant,
                                            step=QUIET_MS, stop_event=stop,
                                            recursive=recursive, raise_interrupt=False,
                                            rust_timeout=500, yield_on_timeout=False):
                if stop.is_set():
                    return
                report({Path(path) for _, path in changes})
        except (FileNotFoundError, NotADirectoryError):
            # The folder went between the look and the watch: the root's watch sees it
            # come back, and watches it then.
            return


def _within(path: Path, folder: Path) -> bool:
    return path == folder or path.is_relative_to(folder)
