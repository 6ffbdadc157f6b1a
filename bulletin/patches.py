"""Changes to other people's modules, each contained, version-guarded and undoable.

bulletin changes third-party code in a few places: WeasyPrint's line layout
(`typeset/cjk.py`), block layout (`typeset/grid.py`), text drawing
(`typeset/emphasis.py`), the tagged PDF's structure tree (`typeset/tagging.py`), the
fonts' embedding as bare CFF (`typeset/barecff.py`), the caches
of a warm rebuild (`typeset/warm.py`: parsed stylesheets, font data and subsets), the
standard library's
`ctypes.util.find_library` (`typeset/libraries.py`) and click's messages (`clizh.py`).
Each is a `Patch`: it names the attributes it replaces and the versions it was verified
on; `install()` refuses any other version, `uninstall()` puts back the very objects it
replaced. Nothing is changed until `install()` is called.

Two changes are made at import time instead, and are no `Patch`: `typeset/deferred.py`
gives WeasyPrint 70.0 stand-ins for the fontTools names it imports at its top, while
WeasyPrint is first imported, and the real objects at their first use
(`deferred.resolve()`, after which WeasyPrint is as a plain import leaves it);
`typeset/declarations.py` gives `weasyprint.text.ffi` the FFI of its C declarations
loaded compiled from build/.cache/ instead of parsed (after which the module holds a
plain cffi FFI of the same declarations). They are guarded the same way: that
WeasyPrint version only, and anything unexpected imports WeasyPrint plainly.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any, Callable, Iterable

ABSENT = object()  # the attribute was inherited (a class) or missing: delete it on uninstall


@dataclass(frozen=True)
class Replacement:
    """`owner.name` (a module or a class attribute) becomes `make(the original)`."""

    owner: Any
    name: str
    make: Callable[[Any], Any]

    @property
    def where(self) -> str:
        if isinstance(self.owner, type):
            return f"{self.owner.__module__}.{self.owner.__qualname__}.{self.name}"
        return f"{getattr(self.owner, '__name__', repr(self.owner))}.{self.name}"


class Patch:
    """A named set of replacements in a third-party module, for the versions verified.

    - `library`, `supported`: what is patched and the versions it was verified on, as the
      error message names them ("WeasyPrint", "70.0");
    - `version()`: the version found here (imports the library: call it lazily);
    - `accepts(found)`: whether that version is supported (default: `found == supported`);
    - `replacements()`: the `Replacement`s, built when installing (so it may import);
    - `reset()`: puts back the patch's own state, after uninstalling.
    """

    def __init__(self, name: str, library: str, supported: str, version: Callable[[], str],
                 replacements: Callable[[], Iterable[Replacement]],
                 accepts: Callable[[str], bool] | None = None,
                 reset: Callable[[], None] | None = None):
        self.name = name
        self.library = library
        self.supported = supported
        self.version = version
        self.accepts = accepts or (lambda found: found == supported)
        self._replacements = replacements
        self._reset = reset
        self._done: list[tuple[Replacement, Any, Any]] | None = None  # (what, original, ours)

    def __repr__(self) -> str:
        state = "installed" if self.installed else "not installed"
        return f"<Patch {self.name} ({self.library} {self.supported}), {state}>"

    @property
    def installed(self) -> bool:
        return self._done is not None

    def supports_this(self) -> bool:
        return self.accepts(self.version())

    def check(self) -> None:
        """Raise RuntimeError unless the version found here is one this patch supports."""
        found = self.version()
        if not self.accepts(found):
            raise RuntimeError(f"{self.name} supports {self.library} {self.supported}, "
                               f"not {self.library} {found}")

    def install(self) -> None:
        """Replace the attributes, once: installing again changes nothing.

        The version is checked every time, installed or not.
        """
        self.check()
        if self.installed:
            return
        done = []
        for what in self._replacements():
            original = vars(what.owner).get(what.name, ABSENT)
            current = original if original is not ABSENT else getattr(what.owner, what.name)
            done.append((what, original, what.make(current)))
        # Everything is built before anything is changed: a failure leaves no half patch.
        for what, _, ours in done:
            setattr(what.owner, what.name, ours)
        self._done = done

    def install_if_supported(self) -> bool:
        """Install where supported; elsewhere leave everything as it is. Whether installed."""
        if not self.installed and not self.supports_this():
            return False
        self.install()
        return True

    def uninstall(self) -> None:
        """Put back the original objects (and the patch's own state)."""
        if self._done is None:
            return
        for what, _, ours in self._done:
            if vars(what.owner).get(what.name, ABSENT) is not ours:
                raise RuntimeError(f"{self.name}: {what.where} was replaced again since it "
                                   "was patched; not restoring it")
        for what, original, _ in reversed(self._done):
            if original is ABSENT:
                delattr(what.owner, what.name)
            else:
                setattr(what.owner, what.name, original)
        self._done = None
        if self._reset is not None:
            self._reset()

    def replaced(self) -> dict[str, tuple[Any, Any]]:
        """What the installed patch replaced: {"module.attribute": (original, ours)}."""
        return {what.where: (original, ours) for what, original, ours in self._done or ()}
