"""Find the shared libraries WeasyPrint opens without starting a single process.

WeasyPrint tries several names for each library it opens (`libgobject-2.0-0`,
`gobject-2.0-0`, `gobject-2.0`, …); cffi asks `ctypes.util.find_library` about each
name it cannot open directly, 22 questions in all, and on Linux every answer starts
`/sbin/ldconfig -p`, then, for a name that is not there, `gcc` (with `collect2` and
`ld`) and `ld`: 86 processes and about 0.2 s of every cold build.

`ldconfig -p` only prints `/etc/ld.so.cache`. `find_library` here reads that file once
and gives ctypes' own first answer: the first library in the cache that matches the
pattern ctypes applies to `ldconfig -p` for this machine's ABI. Where ctypes would go
on to ask gcc and ld (a name the cache does not know), it answers None; WeasyPrint then
tries its next name, and its last ones (`libgobject-2.0.so.0`) are opened by the
dynamic loader itself, which honours LD_LIBRARY_PATH. If the cache cannot be read, one
`ldconfig -p` is run instead, as ctypes does, once.

`PATCH` replaces `ctypes.util.find_library` on the Python versions whose ctypes was
checked to work so (3.11 to 3.13: their Linux `find_library` is the same code), on
Linux with glibc; elsewhere `install()` leaves ctypes alone (a build just spawns more).
"""

from __future__ import annotations

import ctypes
import ctypes.util
import os
import re
import struct
import sys
from functools import lru_cache

from ..patches import Patch, Replacement

SUPPORTED_PYTHON = ((3, 11), (3, 12), (3, 13))
LD_SO_CACHE = "/etc/ld.so.cache"  # what `ldconfig -p` lists (glibc's default cache)

_OLD_MAGIC = b"ld.so-1.7.0"
_NEW_MAGIC = b"glibc-ld.so.cache1.1"
# How `ldconfig -p` describes an entry's flags (print_entry in glibc's elf/cache.c).
_KINDS = {0x00: "libc4", 0x01: "ELF", 0x02: "libc5", 0x03: "libc6"}
_ABIS = {0x0100: ",64bit", 0x0200: ",IA-64", 0x0300: ",x86-64", 0x0400: ",64bit",
         0x0500: ",64bit", 0x0600: ",N32", 0x0700: ",64bit", 0x0800: ",x32",
         0x0900: ",hard-float", 0x0A00: ",AArch64", 0x0B00: ",soft-float",
         0x0C00: ",nan2008", 0x0D00: ",N32,nan2008", 0x0E00: ",64bit,nan2008",
         0x0F00: ",soft-float", 0x1000: ",double-float"}


def cache_entries(data: bytes) -> list[tuple[int, bytes, bytes]]:
    """(flags, name, path) of every library of an ld.so.cache, in the order it lists them.

    Either format: glibc ≥ 2.32 writes only the new one; older glibc writes the old
    one followed by the new one, which `ldconfig -p` then reads.
    """
    def string(at: int) -> bytes:
        return data[at: data.index(b"\0", at)]

    new = 0
    if data.startswith(_OLD_MAGIC):
        (count,) = struct.unpack_from("=I", data, 12)
        end = 16 + 12 * count
        align = ctypes.alignment(ctypes.c_uint64)  # of struct cache_file_new
        new = (end + align - 1) & -align
        if data[new: new + len(_NEW_MAGIC)] != _NEW_MAGIC:
            return [(flags, string(end + key), string(end + value))
                    for flags, key, value in struct.iter_unpack("=iII", data[16:end])]
    elif not data.startswith(_NEW_MAGIC):
        raise ValueError("not an ld.so.cache")
    (count,) = struct.unpack_from("=I", data, new + 20)
    entries = []
    for index in range(count):
        flags, key, value, _, _ = struct.unpack_from("=iIIIQ", data, new + 48 + 24 * index)
        entries.append((flags, string(new + key), string(new + value)))
    return entries


def describe(flags: int) -> str:
    """An entry's flags as `ldconfig -p` prints them (up to the hwcaps): `libc6,x86-64`."""
    abi = flags & 0xFF00
    return _KINDS.get(flags & 0xFF, "unknown") + (_ABIS.get(abi, f",{abi}") if abi else "")


def listing(data: bytes) -> bytes:
    """What `ldconfig -p` prints for the cache `data`, as far as ctypes reads it."""
    entries = cache_entries(data)
    lines = [f"{len(entries)} libs found in cache `{LD_SO_CACHE}'\n".encode()]
    lines += [b"\t%s (%s) => %s\n" % (name, describe(flags).encode(), path)
              for flags, name, path in entries]
    return b"".join(lines)


@lru_cache(maxsize=1)
def _listing() -> bytes | None:
    try:
        with open(LD_SO_CACHE, "rb") as handle:
            return listing(handle.read())
    except (OSError, ValueError, struct.error):
        pass
    import subprocess  # the cache is unreadable: ask ldconfig, once, as ctypes does

    try:
        return subprocess.run(["/sbin/ldconfig", "-p"], stdin=subprocess.DEVNULL,
                              stderr=subprocess.DEVNULL, stdout=subprocess.PIPE,
                              env={"LC_ALL": "C", "LANG": "C"}, timeout=10).stdout
    except (OSError, subprocess.SubprocessError):
        return None


def _abi_type() -> str:
    # ctypes.util._findSoname_ldconfig, word for word.
    machine = os.uname().machine + ("-32" if struct.calcsize("l") == 4 else "-64")
    mach_map = {
        "x86_64-64": "libc6,x86-64",
        "ppc64-64": "libc6,64bit",
        "sparc64-64": "libc6,64bit",
        "s390x-64": "libc6,64bit",
        "ia64-64": "libc6,IA-64",
    }
    return mach_map.get(machine, "libc6")


@lru_cache(maxsize=None)
def find_library(name: str) -> str | None:
    """ctypes.util.find_library(name), from the ld.so.cache read once: no process."""
    found = _listing()
    if found is None:
        return _original(name)
    # The pattern ctypes itself applies to `ldconfig -p` on Linux.
    pattern = os.fsencode(r"\s+(lib%s\.[^\s]+)\s+\(%s" % (re.escape(name), _abi_type()))
    match = re.search(pattern, found)
    return os.fsdecode(match.group(1)) if match else None


_original = ctypes.util.find_library  # what find_library falls back on: ctypes' own


def _libc() -> str | None:
    try:
        return os.confstr("CS_GNU_LIBC_VERSION")  # "glibc 2.36"
    except (AttributeError, ValueError, OSError):
        return None


def _here() -> str:
    return (f"{sys.version_info[0]}.{sys.version_info[1]} on {sys.platform} "
            f"({_libc() or 'no glibc'})")


def _supported(found: str) -> bool:
    return (sys.platform == "linux" and (_libc() or "").startswith("glibc ")
            and tuple(sys.version_info[:2]) in SUPPORTED_PYTHON)


def _forget() -> None:
    find_library.cache_clear()
    _listing.cache_clear()


def _shim(original):
    global _original
    _original = original
    return find_library


def _replacements():
    return [Replacement(ctypes.util, "find_library", _shim)]


PATCH = Patch(
    "bulletin.typeset.libraries", "Python",
    "3.11–3.13 on linux (glibc)", _here, _replacements, accepts=_supported, reset=_forget)


def install() -> bool:
    """Replace ctypes.util.find_library where supported (before WeasyPrint is imported)."""
    return PATCH.install_if_supported()


def uninstall() -> None:
    PATCH.uninstall()
