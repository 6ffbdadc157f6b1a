"""What each page of a PDF draws, as a digest: the preview rasterises only new pages.

A page's key digests its own dictionary (MediaBox and the like), its content stream and
everything that reaches (its resources: images, graphics states, patterns, colour
spaces), each referenced object by its digest rather than its number, which moves when
another page changes. Two things are taken by name rather than by content:

- a font (`/Type /Font`): by its dictionary without what it refers to. Its embedded file
  is a subset of every glyph in the document, which changes with any edit; a glyph's
  outline and width do not (WeasyPrint keeps the font's glyph ids and sets each width
  from the font). Which font file a name stands for is fixed for one WeasyPrint font
  configuration, so the caller salts the keys with it (the preview makes a new one when
  fonts/ changes, and a new salt);
- another page (a link's destination, the page tree): by its place, not its drawing.

The PDF must be WeasyPrint's uncompressed output (a classic cross-reference table, each
stream's /Length given directly); for anything else `page_keys` answers None, and the
caller rasterises every page, as before.
"""

from __future__ import annotations

import hashlib
import re

_XREF_ENTRY = re.compile(rb"(\d{10}) (\d{5}) ([nf])")
_REF = re.compile(rb"(\d+) (\d+) R(?![A-Za-z0-9])")
_HEAD = re.compile(rb"\s*(\d+) (\d+) obj\s")
_TYPE = re.compile(rb"/Type\s*/(\w+)")
_LENGTH = re.compile(rb"/Length (\d+)(?![\d.\s]*R)")
_TRAILER_ROOT = re.compile(rb"/Root (\d+) (\d+) R")
_KIDS = re.compile(rb"/Kids\s*\[([^\]]*)\]")
_STREAM = b">>\nstream\n"
_END_STREAM = b"\nendstream"


class Unreadable(ValueError):
    """Not a PDF this module reads: rasterise every page."""


def _objects(pdf: bytes) -> tuple[dict[int, tuple[bytes, bytes]], int]:
    """{number: (dictionary, stream data or b"")}, and the catalog's number."""
    start = pdf.rfind(b"startxref")
    if start < 0:
        raise Unreadable("no startxref")
    xref = int(pdf[start + 9:].split()[0])
    if pdf[xref:xref + 4] != b"xref":
        raise Unreadable("not a cross-reference table")
    body = pdf[xref + 4:]
    first, count = (int(part) for part in body.split(maxsplit=2)[:2])
    entries = _XREF_ENTRY.findall(body, 0, 40 + 20 * (count + 2))[:count]
    if len(entries) != count:
        raise Unreadable("short cross-reference table")
    offsets = {first + i: int(offset) for i, (offset, _, kind) in enumerate(entries)
               if kind == b"n"}
    ends = sorted(offsets.values()) + [xref]
    following = dict(zip(ends, ends[1:]))
    objects = {}
    for number, offset in offsets.items():
        chunk = pdf[offset:following[offset]]
        head = _HEAD.match(chunk)
        if head is None or int(head[1]) != number:
            raise Unreadable(f"object {number} is not where the table says")
        chunk = chunk[head.end():].rstrip()
        if not chunk.endswith(b"endobj"):
            raise Unreadable(f"object {number} does not end")
        chunk = chunk[:-6].rstrip()
        split = chunk.find(_STREAM)
        if split >= 0 and chunk.endswith(b"endstream"):
            dictionary, data = chunk[:split + 2], chunk[split + len(_STREAM):]
            data = data[:-len(_END_STREAM)] if data.endswith(_END_STREAM) else None
            length = _LENGTH.search(dictionary)
            if data is None or length is None or int(length[1]) != len(data):
                raise Unreadable(f"stream {number} is not as its /Length says")
        else:
            dictionary, data = chunk, b""
        objects[number] = (dictionary, data)
    root = _TRAILER_ROOT.search(pdf, xref)
    if root is None:
        raise Unreadable("no /Root")
    return objects, int(root[1])


def _pages(objects, number: int, seen: set[int]) -> list[int]:
    if number in seen or number not in objects:
        raise Unreadable("a broken page tree")
    seen.add(number)
    dictionary = objects[number][0]
    kind = _TYPE.search(dictionary)
    if kind is not None and kind[1] == b"Page":
        return [number]
    kids = _KIDS.search(dictionary)
    if kids is None:
        raise Unreadable("a page tree node without /Kids")
    found = []
    for kid in _REF.finditer(kids[1]):
        found += _pages(objects, int(kid[1]), seen)
    return found


def page_keys(pdf: bytes, salt: bytes = b"") -> list[str] | None:
    """One key per page, in order (20 hex digits); None for a PDF this cannot read."""
    try:
        objects, catalog = _objects(pdf)
        pages_ref = re.search(rb"/Pages (\d+) (\d+) R", objects[catalog][0])
        if pages_ref is None:
            raise Unreadable("no /Pages")
        pages = _pages(objects, int(pages_ref[1]), set())
    except (Unreadable, KeyError, ValueError, IndexError):
        return None
    places = {number: index for index, number in enumerate(pages)}
    digests: dict[int, bytes] = {}

    def digest(number: int, stack: set[int]) -> bytes:
        if number in digests:
            return digests[number]
        if number not in objects:
            return b"missing"
        dictionary, data = objects[number]
        kind = _TYPE.search(dictionary)
        kind = kind[1] if kind else b""
        if kind in (b"Page", b"Pages"):
            # A page (a link's destination, a /Parent): its place, not its drawing.
            return b"page %d" % places.get(number, -1)
        if number in stack:
            return b"cycle"
        if kind == b"Font":
            # By name and dictionary, not the subset file (see the module's docstring).
            result = hashlib.sha256(b"font " + _REF.sub(b"R", dictionary)).digest()
        else:
            stack.add(number)
            result = contents(dictionary, data, stack)
            stack.discard(number)
        digests[number] = result
        return result

    def contents(dictionary: bytes, data: bytes, stack: set[int]) -> bytes:
        hasher = hashlib.sha256()
        last = 0
        for ref in _REF.finditer(dictionary):
            hasher.update(dictionary[last:ref.start()])
            hasher.update(b"<" + digest(int(ref[1]), stack) + b">")
            last = ref.end()
        hasher.update(dictionary[last:])
        hasher.update(b"\0stream\0")
        hasher.update(data)
        return hasher.digest()

    keys = []
    for number in pages:
        dictionary, data = objects[number]
        hasher = hashlib.sha256(salt)
        hasher.update(contents(dictionary, data, {number}))
        keys.append(hasher.hexdigest()[:20])
    return keys
