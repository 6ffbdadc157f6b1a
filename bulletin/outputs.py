"""What a loaded issue can be written as, and how every output reaches the disk.

Each writer takes a `project.LoadedIssue`, which holds everything read from the
sources, and never reads a source again. `bulletin build N --format F` looks the
writer up in `WRITERS`; adding an output is one module with a writer and one entry.

Every command that writes (build, `--format html`, index, publish) writes through
this module, by the same rules:

- a target is a regular file or nothing yet: a folder, a device (`/dev/full`), a pipe,
  a socket or a symbolic link is refused (S130), never written through or replaced;
- an existing file is replaced only when bulletin wrote it: a PDF recognised by its
  manifest (which records its SHA-256) or by its `/Creator` (`bulletin`), a file of an
  output folder by the folder's record (`build/.outputs/`), or a file holding the very
  bytes to be written; anything else needs `--force` (S130);
- no second file the user did not name: a PDF's manifest is under the project's
  `build/` (`pipeline.manifest_path`), the records of output folders too;
- nothing half-written: every file of one command is first written to a temporary file
  beside its target, and only when all are written are they renamed into place (on
  failure the temporary files and the folders made for them are removed);
- what the system refuses (disk full, read-only file system, no permission, a name too
  long) is a diagnostic naming the path (S131), exit code 1, never an internal error.
"""

from __future__ import annotations

import errno
import hashlib
import json
import os
import stat
import tempfile
from dataclasses import dataclass
from pathlib import Path
from typing import Callable

from .diagnostics import BulletinError, Diagnostic, relative
from .sources import file_sha256
from .project import LoadedIssue

REFUSED, UNWRITABLE = "S130", "S131"  # registered in codes.py

RECORDS_DIR = ".outputs"  # under build/: what each output folder holds that bulletin wrote
MAX_RECORD_BYTES = 4 * 1024 * 1024


@dataclass(frozen=True)
class Writer:
    name: str  # what the user reads (Chinese)
    write: Callable[..., Path]  # (loaded, target or None, **options) → the main file written


def _print_pdf(loaded: LoadedIssue, target: Path | None = None, **options) -> Path:
    from .pipeline import write_pdf

    return write_pdf(loaded, target, **options)


def _print_shop_pdf(loaded: LoadedIssue, target: Path | None = None, variant=None,
                    tagged: bool = False, **options) -> Path:
    """The print shop's PDF (`printing`: PDF/X-4, CMYK, bleed): no other variant."""
    from .pipeline import write_pdf

    if variant or tagged:
        raise ValueError("the print PDF is PDF/X-4, untagged")
    return write_pdf(loaded, target, for_print=True, **options)


def _web_edition(loaded: LoadedIssue, target: Path | None = None, force: bool = False,
                 **options) -> Path:
    """The web edition into the folder `target`; returns its index page."""
    from .web import write_web_edition

    return write_web_edition(loaded, target, force=force)[0]


WRITERS: dict[str, Writer] = {
    "pdf": Writer("印刷版 PDF", _print_pdf),
    "html": Writer("网页版", _web_edition),
}
# Not a --format: the PDF of `bulletin build N --for-print`.
PRINT_WRITER = Writer("印刷厂 PDF", _print_shop_pdf)


# --- what went wrong ---------------------------------------------------------------


class OutputError(BulletinError):
    """An output that was not written: its path refused (S130) or the system's refusal
    (S131). Nothing of the command's output has changed on disk."""


# Problems of the machine, not of bulletin: said in Chinese, with the path, exit code 1.
REASONS = {
    errno.ENOSPC: "磁盘空间已满",
    errno.EDQUOT: "超出磁盘配额",
    errno.EFBIG: "文件超出文件系统允许的大小",
    errno.EROFS: "所在的文件系统是只读的",
    errno.EACCES: "没有写入权限",
    errno.EPERM: "系统不允许此操作（权限不足）",
    errno.ENAMETOOLONG: "文件名或路径过长",
    errno.ENOTDIR: "路径中有一段不是文件夹",
    errno.EEXIST: "路径中有一段是已有的文件，不是文件夹",
    errno.EISDIR: "这是一个文件夹",
    errno.ELOOP: "符号链接层数过多",
    errno.EIO: "读写出错（输入/输出错误）",
    errno.EMLINK: "文件夹中的项目过多",
    errno.ENOENT: "路径中的文件夹不存在",
}
ENVIRONMENT_ERRNOS = frozenset(REASONS) - {errno.ENOENT, errno.EEXIST, errno.EISDIR}


def reason(exc: OSError) -> str:
    """Why the system refused, in Chinese, with the error's name (ENOSPC) to look up."""
    name = errno.errorcode.get(exc.errno or 0, "")
    text = REASONS.get(exc.errno or 0) or exc.strerror or str(exc)
    return f"{text}（{name}）" if name else text


def shown(path: Path | str, root: Path | None) -> str:
    """A path as a diagnostic names it: inside the project relative to it, else in full."""
    return relative(Path(os.path.abspath(path)), root)


def unwritable(exc: OSError, path: Path | str, root: Path | None) -> Diagnostic:
    return Diagnostic(UNWRITABLE, f"无法写出：{reason(exc)}", shown(path, root))


def refused(message: str, path: Path | str, root: Path | None) -> OutputError:
    return OutputError([Diagnostic(REFUSED, message, shown(path, root))])


# --- what is at a path -------------------------------------------------------------

KIND_NAMES = {stat.S_IFDIR: "一个文件夹", stat.S_IFCHR: "设备文件", stat.S_IFBLK: "设备文件",
              stat.S_IFIFO: "管道（FIFO）", stat.S_IFSOCK: "套接字", stat.S_IFLNK: "符号链接"}


def _lstat(path: Path, root: Path | None) -> os.stat_result | None:
    """What is at `path` itself (a link not followed); None for nothing."""
    try:
        return os.lstat(path)
    except FileNotFoundError:
        return None
    except OSError as exc:  # a name too long, a file where a folder should be, ...
        if exc.errno == errno.ENOTDIR:
            return None  # mkdir names the file in the way
        raise OutputError([unwritable(exc, path, root)]) from None


def check_file(path: Path, root: Path | None, force: bool, ours: Callable[[], bool],
               what: str = "文件") -> None:
    """Raise OutputError unless `path` may be written: nothing there yet, or a regular
    file that `ours()` recognises (or any regular file with `force`)."""
    status = _lstat(path, root)
    if status is None:
        return
    kind = stat.S_IFMT(status.st_mode)
    if kind != stat.S_IFREG:
        name = KIND_NAMES.get(kind, "特殊文件")
        hint = "：请给出实际文件的路径" if kind == stat.S_IFLNK else ""
        if kind == stat.S_IFDIR:
            hint = f"：{_spaced(what).lstrip()}要写成一个文件，请给出文件名"
        raise refused(f"输出路径是{name}，不写入{hint}", path, root)
    if force or ours():
        return
    raise refused(f"已有文件，不是 bulletin 写出的{_spaced(what)}，不覆盖：请换一个路径，"
                  f"或加 --force 覆盖", path, root)


def _spaced(word: str) -> str:
    """A Latin word set apart from the Chinese around it: `的 PDF，`."""
    return f" {word} " if word.isascii() else word


def check_folder(path: Path, root: Path | None) -> None:
    """Raise OutputError unless `path` is a real folder or nothing yet."""
    status = _lstat(path, root)
    if status is None or stat.S_ISDIR(status.st_mode):
        return
    kind = stat.S_IFMT(status.st_mode)
    if kind == stat.S_IFLNK:
        raise refused("输出文件夹是符号链接，不写入：请给出实际文件夹的路径", path, root)
    name = "已有的文件" if kind == stat.S_IFREG else KIND_NAMES.get(kind, "特殊文件")
    raise refused(f"输出路径是{name}，不是文件夹，不写入", path, root)


def digest(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


def file_digest(path: Path) -> str | None:
    """The SHA-256 of a regular file (a link not followed), None for anything else."""
    found = file_sha256(path, follow_links=False)
    return found.hex() if found is not None else None


def same_bytes(path: Path, data: bytes) -> bool:
    """Whether the regular file at `path` holds exactly `data` (replacing it changes nothing)."""
    try:
        status = os.lstat(path)
    except OSError:
        return False
    return (stat.S_ISREG(status.st_mode) and status.st_size == len(data)
            and file_digest(path) == digest(data))


def is_bulletin_pdf(path: Path, root: Path | None) -> bool:
    """Whether the PDF at `path` is one bulletin wrote: its manifest records its SHA-256
    (a manifest of an older bulletin, which recorded none and was written beside the
    PDF, counts), or its `/Creator` is bulletin's (`typeset.render.GENERATOR`)."""
    from .pipeline import read_manifest

    try:
        with open(path, "rb") as handle:
            if not handle.read(5) == b"%PDF-":
                return False
    except OSError:
        return False
    for manifest in (read_manifest(path, root), read_manifest(path)):
        if manifest is None:
            continue
        recorded = manifest.get("sha256")
        if recorded is None or recorded == file_digest(path):
            return True
    from .typeset.render import GENERATOR  # render.py and its fonts.py: when asked

    return pdf_creator(path).startswith(GENERATOR)


def pdf_creator(path: Path) -> str:
    """A PDF's /Creator, read with pdfium (only when no manifest says whose it is)."""
    try:
        import pypdfium2 as pdfium

        document = pdfium.PdfDocument(str(path))
        try:
            return document.get_metadata_value("Creator") or ""
        finally:
            document.close()
    except Exception:  # noqa: BLE001 - a damaged or foreign file is simply not ours
        return ""


# --- writing: all or nothing -------------------------------------------------------


def fill_temporary(fd: int, tmp: str, data: bytes) -> None:
    """Write `data` to the temporary file `tmp` open at `fd`, to the disk, and give it the
    mode of a published file (mkstemp makes it 0600); closes `fd`."""
    with os.fdopen(fd, "wb") as handle:
        handle.write(data)
        handle.flush()
        os.fsync(handle.fileno())
    os.chmod(tmp, 0o644)


class Staging:
    """Files written beside their targets under temporary names, renamed into place by
    `commit` when every one is written; `rollback` leaves the disk as it was."""

    def __init__(self, root: Path | None):
        self.root = root
        self._files: list[tuple[Path, Path]] = []  # (temporary, target)
        self._made: list[Path] = []  # folders made for them, in order

    def add(self, target: Path, data: bytes) -> None:
        try:
            self._make_folders(target.parent)
            # A short prefix: a name near the system's limit must still allow its temporary.
            fd, tmp = tempfile.mkstemp(prefix=f".{target.name[:40]}.", suffix=".tmp",
                                       dir=target.parent)
        except OSError as exc:
            raise OutputError([unwritable(exc, target, self.root)]) from None
        self._files.append((Path(tmp), target))
        try:
            fill_temporary(fd, tmp, data)
        except OSError as exc:
            raise OutputError([unwritable(exc, target, self.root)]) from None

    def _make_folders(self, folder: Path) -> None:
        missing = []
        while not os.path.lexists(folder):
            missing.append(folder)
            if folder.parent == folder:
                break
            folder = folder.parent
        for each in reversed(missing):
            each.mkdir()
            self._made.append(each)

    def commit(self) -> None:
        try:
            for tmp, target in self._files:
                try:
                    os.replace(tmp, target)
                except OSError as exc:
                    raise OutputError([unwritable(exc, target, self.root)]) from None
        finally:
            self.rollback()  # whatever is left: nothing, unless a rename failed

    def rollback(self) -> None:
        for tmp, _ in self._files:
            try:
                tmp.unlink()
            except OSError:
                pass
        self._files.clear()
        for folder in reversed(self._made):
            try:
                folder.rmdir()  # only if empty: a committed file keeps its folder
            except OSError:
                pass
        self._made.clear()


def write_files(files: list[tuple[Path, bytes]], root: Path | None) -> None:
    """Write each (target, bytes), all or nothing (see `Staging`)."""
    staging = Staging(root)
    try:
        for target, data in files:
            staging.add(target, data)
    except BaseException:
        staging.rollback()
        raise
    staging.commit()


# --- output folders and their records ----------------------------------------------


def records_dir(root: Path) -> Path:
    return Path(root) / "build" / RECORDS_DIR


def record_path(root: Path, folder: Path) -> Path:
    """Where the record of an output folder is kept: the project's build/.outputs/."""
    key = digest(str(folder).encode("utf-8", "surrogateescape"))[:16]
    return records_dir(root) / f"{key}.json"


def read_json(path: Path, limit: int = MAX_RECORD_BYTES) -> dict | None:
    """A small JSON object from a regular file, or None (never waits on a pipe)."""
    try:
        fd = os.open(path, os.O_RDONLY | os.O_NOFOLLOW | getattr(os, "O_NONBLOCK", 0))
    except OSError:
        return None
    try:
        status = os.fstat(fd)
        if not stat.S_ISREG(status.st_mode) or status.st_size > limit:
            return None
        with os.fdopen(fd, "rb", closefd=False) as handle:
            value = json.loads(handle.read(limit + 1).decode("utf-8"))
        return value if isinstance(value, dict) else None
    except (OSError, ValueError):
        return None
    finally:
        os.close(fd)


def prune(folder: Path, key: str) -> None:
    """Drop the records in `folder` (JSON objects) whose `key` names a path that no
    longer exists: what an output of a deleted folder or file left behind."""
    try:
        entries = list(folder.glob("*.json"))
    except OSError:
        return
    for entry in entries:
        value = read_json(entry)
        named = value.get(key) if value else None
        if isinstance(named, str) and not os.path.lexists(named):
            try:
                entry.unlink()
            except OSError:
                pass


class OutputFolder:
    """A folder bulletin writes files into. A file already there is replaced only when
    the folder's record says bulletin wrote it (and it is unchanged since), when it
    holds the very bytes to be written, when it is a PDF bulletin wrote, or with
    `force`. `commit` renames every file into place, then removes what the same output
    (`by`: "site", "web-23", "index-2025") wrote last time and did not write now,
    when unchanged since, and keeps the record in build/.outputs/.

    Used as a context manager: an exception leaves the folder as it was.
    """

    def __init__(self, path: Path, root: Path, by: str, force: bool = False):
        self.root = Path(root).resolve()
        self.path = Path(os.path.abspath(path))
        self.by, self.force = by, force
        check_folder(self.path, self.root)
        self.key = str(self.path.resolve())
        self.record_file = record_path(self.root, Path(self.key))
        record = read_json(self.record_file)
        files = record.get("files") if record and record.get("folder") == self.key else None
        self.recorded: dict[str, dict] = {
            name: entry for name, entry in (files or {}).items()
            if isinstance(entry, dict) and isinstance(entry.get("sha256"), str)}
        self.written: dict[str, str] = {}  # relative name → SHA-256
        self.staging = Staging(self.root)

    def __enter__(self) -> "OutputFolder":
        return self

    def __exit__(self, kind, value, traceback) -> None:
        if kind is None:
            self.commit()
        else:
            self.staging.rollback()

    def sub(self, name: str) -> "SubFolder":
        return SubFolder(self, name)

    def write(self, name: str, data: bytes) -> Path:
        """Stage `data` as the file `name` (a relative path with `/`); return its path."""
        target = self.path.joinpath(*name.split("/"))
        folder = self.path
        for part in name.split("/")[:-1]:  # every folder on the way: a real one, or none
            folder = folder / part
            check_folder(folder, self.root)
        check_file(target, self.root, self.force, lambda: self._ours(name, target, data))
        self.staging.add(target, data)
        self.written[name] = digest(data)
        return target

    def _ours(self, name: str, target: Path, data: bytes) -> bool:
        entry = self.recorded.get(name)
        if entry is not None and file_digest(target) == entry["sha256"]:
            return True
        if same_bytes(target, data):
            return True
        return target.suffix.lower() == ".pdf" and is_bulletin_pdf(target, self.root)

    def commit(self) -> None:
        # What this output wrote last time and not now, unchanged since: removed after the
        # rename. Decided first, so that the record staged with the files says it.
        stale = [name for name, entry in self.recorded.items()
                 if entry.get("by") == self.by and name not in self.written
                 and file_digest(self.path.joinpath(*name.split("/"))) == entry["sha256"]]
        files = {name: entry for name, entry in self.recorded.items()
                 if name not in self.written and name not in stale
                 and os.path.lexists(self.path.joinpath(*name.split("/")))}
        files.update({name: {"sha256": sha, "by": self.by}
                      for name, sha in sorted(self.written.items())})
        record = {"folder": self.key, "files": dict(sorted(files.items()))}
        try:
            prune(records_dir(self.root), "folder")
            check_file(self.record_file, self.root, True, lambda: True)
            self.staging.add(self.record_file, json.dumps(
                record, ensure_ascii=False, indent=1).encode("utf-8"))
        except BaseException:
            self.staging.rollback()
            raise
        self.staging.commit()
        for name in stale:
            target = self.path.joinpath(*name.split("/"))
            try:
                target.unlink()
            except OSError:
                continue
            folder = target.parent
            while folder != self.path and folder.is_relative_to(self.path):
                try:
                    folder.rmdir()  # only if empty: an issue's folder whose pages are gone
                except OSError:
                    break
                folder = folder.parent


@dataclass
class SubFolder:
    """A folder inside an OutputFolder (an issue's web edition inside the site)."""

    parent: OutputFolder
    name: str

    @property
    def path(self) -> Path:
        return self.parent.path / self.name

    @property
    def root(self) -> Path:
        return self.parent.root

    def write(self, name: str, data: bytes) -> Path:
        return self.parent.write(f"{self.name}/{name}", data)
