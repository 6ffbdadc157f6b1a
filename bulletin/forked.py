"""`bulletin build N` checks the issue on the second core while it lays it out on the first.

A cold build spends a sixth of its time on the wording check (`lint.check_loaded`: the
rules' modules, pypinyin's table, the name and word rules) and most of the rest importing
WeasyPrint and laying the issue out; neither needs the other. `CheckAside` forks the
process once the issue is loaded: the child runs the check and sends its findings back
through a pipe (pickled), the parent goes on to the layout and asks for them
(`result()`) before it writes anything: a PDF is written only when the check found no
error, as before.

Same findings, same order, same output: the child runs the same `check_loaded` on the
same loaded issue (a fork is a copy of it), and the parent prints what it returns where
it printed the check's findings before. Only on Linux, where `fork` copies a process
that has started no thread (the CLI's build has none); and only with a second core.
On any doubt the parent runs the check itself: the fork refused, the child failed or
died, its answer unreadable. The images are checked (and decoded) in the parent before
the fork, as the layout needs them too; the child finds them done. The parent looks
once more, without waiting, when WeasyPrint is loaded (`ready()`): a check that has
found an error by then stops the build before the layout, as it did when it ran first.
"""

from __future__ import annotations

import os
import pickle
import sys
import threading

from .diagnostics import Diagnostic
from .project import LoadedIssue

# The child's exit code when its check raised: the parent runs it again, in itself, to
# report what went wrong as an in-process check would.
FAILED = 70


def usable() -> bool:
    """Whether a build here may fork its check: Linux, two cores, one thread."""
    return (sys.platform.startswith("linux") and hasattr(os, "fork")
            and (os.cpu_count() or 1) >= 2 and threading.active_count() == 1
            and not os.environ.get("BULLETIN_CHECK_IN_PROCESS"))


class CheckAside:
    """`lint.check_loaded(loaded)`, in a child process while this one goes on."""

    def __init__(self, loaded: LoadedIssue, fork: bool | None = None):
        self.loaded = loaded
        self.pid = 0
        self.reading = -1
        self.forked = False
        if fork is None:
            fork = usable()
        if fork and loaded.issue is not None:  # a broken issue is not laid out: no gain
            self._start()

    def _start(self) -> None:
        self.loaded.images  # noqa: B018 - checked once, here, for both processes
        try:
            reading, writing = os.pipe()
        except OSError:
            return
        try:
            pid = os.fork()
        except OSError:
            os.close(reading)
            os.close(writing)
            return
        if pid == 0:  # the child: check, answer, leave without running anything else
            code = FAILED
            try:
                os.close(reading)
                from .lint import check_loaded

                diagnostics = check_loaded(self.loaded)
                data = pickle.dumps((diagnostics, self.loaded.suppressed),
                                    protocol=pickle.HIGHEST_PROTOCOL)
                with os.fdopen(writing, "wb") as out:
                    out.write(data)
                code = 0
            except BaseException:  # noqa: BLE001 - the parent checks again, in itself
                pass
            finally:
                os._exit(code)
        os.close(writing)
        self.pid, self.reading, self.forked = pid, reading, True

    def ready(self) -> bool:
        """Whether the child has answered (or is gone): `result()` would not wait. Never
        true for a check not forked, which `result()` runs in the process."""
        if not self.forked:
            return False
        import select

        try:
            return bool(select.select([self.reading], [], [], 0)[0])
        except (OSError, ValueError):
            return True  # result() finds out, and checks here if need be

    def result(self) -> list[Diagnostic]:
        """The check's findings (the child's, else the check run here, now)."""
        answer = self._answer() if self.forked else None
        if answer is not None:
            diagnostics, self.loaded.suppressed = answer
            return diagnostics
        from .lint import check_loaded

        return check_loaded(self.loaded)

    def _answer(self) -> tuple[list[Diagnostic], list[Diagnostic]] | None:
        self.forked = False  # asked once
        chunks = []
        try:
            with os.fdopen(self.reading, "rb") as answer:
                while chunk := answer.read(1 << 16):
                    chunks.append(chunk)
        except OSError:
            chunks = None
        try:
            _, status = os.waitpid(self.pid, 0)
        except ChildProcessError:
            return None
        if chunks is None or not os.WIFEXITED(status) or os.WEXITSTATUS(status) != 0:
            return None
        try:
            diagnostics, suppressed = pickle.loads(b"".join(chunks))
        except Exception:  # noqa: BLE001 - a truncated answer: check again here
            return None
        if not isinstance(diagnostics, list) or not isinstance(suppressed, list):
            return None
        return diagnostics, suppressed

    def abandon(self) -> None:
        """The build stopped before asking (an exception): end the child, quietly."""
        if self.forked:
            self.forked = False
            try:
                os.close(self.reading)
            except OSError:
                pass
            try:
                os.waitpid(self.pid, 0)
            except ChildProcessError:
                pass
