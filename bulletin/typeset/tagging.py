"""The tagged PDF's structure tree, as a screen reader should read the bulletin.

WeasyPrint 70 tags a PDF (`--tagged`, `--pdf-variant pdf/ua-1`) page by page, box by
box (`weasyprint/pdf/tags.py`): an element split by a page break becomes one structure
element per page (11 `Art` for 3 articles), the text of the page-number margin boxes is
marked as content, not as an artifact, a bullet made with `li::before` is a `NonStruct`
in the entry's body, and the anonymous boxes of a `display: table` paragraph (the 报尾's
lines) nest four `P`. `PATCH` corrects that, and only while a PDF is tagged:

- `document.draw_page`: the content of the page's margin boxes (page numbers) and of a
  table header repeated at the top of a later page is drawn inside `/Artifact` marked
  content (`Stream.marked` asks), out of the structure tree: a reader reads the header
  once; rules, borders and backgrounds are artifacts in WeasyPrint already;
- `pdf.tags._build_box_tree` (called by name, recursion included) gets each element
  WeasyPrint built and settles it (`_Tree.settle`): the continuation of an element on a
  later page is merged into the element of its first page (one `Art` per article, one
  `P` per paragraph); an anonymous box tagged as its parent is dissolved into it, and a
  `NonStruct` into its parent; an empty grouping element is dropped; an `li::before` of a
  list item without a marker becomes the item's `Lbl`, before its `LBody`; the 报尾
  (`aside.distribution`) is a `Sect`; an image with an empty alt in a `<figure>` takes
  the text of its `<figcaption>` as its `Alt`; a header cell gets its `/Scope` (`/Column`,
  or `/Row` for `<th scope="row">`) besides WeasyPrint's `/Headers` of the data cells;
- `pdf.add_tags` holds that state for one PDF.

The untagged PDF is not touched: every replacement hands over to WeasyPrint's own code
unless a structure tree is being built. A merged or dissolved element stays in the file
as an empty, unreferenced dictionary (pydyf numbers objects as they are added); a
tagged render leaves `_bulletin_table` on the row-group boxes of its tables.
"""

from __future__ import annotations

from contextlib import contextmanager
from contextvars import ContextVar

from ..patches import Patch, Replacement

SUPPORTED_WEASYPRINT = "70.0"

SECTION_CLASSES = frozenset(("distribution",))  # templates/distribution.html.j2: the 报尾
# Elements a reader does not need as groups: their children go to their parent.
DISSOLVED = frozenset(("/NonStruct",))
# Grouping elements left without content (an empty footnote call, a ::before of nothing).
DROPPED_WHEN_EMPTY = frozenset(("/NonStruct", "/Div", "/Span", "/P"))
# Table rows and cells are not merged across pages: a header repeated on each page is its
# own row, and WeasyPrint links cells to headers on one page's table.
NOT_MERGED = frozenset(("/TR", "/TH", "/TD", "/THead", "/TBody", "/TFoot"))

_ARTIFACTS: ContextVar[frozenset] = ContextVar("bulletin_tagging_artifacts",
                                               default=frozenset())
_TREE: ContextVar["_Tree | None"] = ContextVar("bulletin_tagging_tree", default=None)


def _descendants(box):
    yield box
    for child in getattr(box, "children", ()):
        yield from _descendants(child)


def _pseudo(box) -> str | None:
    """"before" for the boxes of `li::before`, … (WeasyPrint names them so), or None."""
    return (getattr(box, "element_tag", None) or "").partition("::")[2] or None


def _classes(box) -> set[str]:
    element = getattr(box, "element", None)
    if element is None or _pseudo(box) is not None:
        return set()
    return set((element.get("class") or "").split())


def _repeated_header(group) -> bool:
    """Whether `group` (a box) is a table's header repeated at the top of a later page.

    WeasyPrint lays out the header again on each page a table runs on to; it is that
    page's table box whose first body row is not the first row of its `<tbody>`.
    """
    from weasyprint.formatting_structure import boxes

    if not isinstance(group, boxes.TableRowGroupBox) or not group.is_header:
        return False
    table = getattr(group, "_bulletin_table", None)
    if table is None:
        return False
    bodies = [child for child in table.children
              if isinstance(child, boxes.TableRowGroupBox)
              and not child.is_header and not child.is_footer]
    if not bodies or not bodies[0].children or bodies[0].element is None:
        return False
    first_row = bodies[0].children[0]
    rows = [row for row in bodies[0].element if row.tag == "tr"]
    return bool(rows) and first_row.element is not rows[0]


def _mark_tables(box) -> None:
    """Let each table's row groups on a page know their table (for `_repeated_header`)."""
    from weasyprint.formatting_structure import boxes

    for child in getattr(box, "children", ()):
        if isinstance(box, boxes.TableBox) and isinstance(child, boxes.TableRowGroupBox):
            child._bulletin_table = box
        _mark_tables(child)


def _caption(box) -> str:
    """The text of the `<figcaption>` of `box`'s `<figure>`, or "" (markup.py gives an
    image whose caption is the `图为…` paragraph after it an empty alt)."""
    element = getattr(box, "element", None)
    if element is None or element.tag != "figure" or _pseudo(box) is not None:
        return ""
    caption = element.find("figcaption")
    return "".join(caption.itertext()).strip() if caption is not None else ""


class _Tree:
    """The structure tree of one PDF being built: what was seen on earlier pages."""

    def __init__(self):
        self.first = {}  # (element id, pseudo type, tag) → its structure element
        self.boxes = []  # the boxes being tagged, outermost first
        self.headers = {}  # <thead> element id → its cells' elements, on its first page
        self.repeated = {}  # table box id → (<thead> element id, stand-ins of its cells)

    def skip_header(self, group):
        """A repeated header is not tagged (its text is an artifact); WeasyPrint's table
        code still links the page's cells to its header cells (`cell.mark`): they get
        stand-ins, and `link_headers` points the links at the first page's cells."""
        import pydyf

        stand_ins = []
        for row in group.children:
            for cell in row.children:
                cell.mark = pydyf.Dictionary({"A": pydyf.Dictionary({})})
                stand_ins.append(cell.mark)
        self.repeated[id(group._bulletin_table)] = (id(group.element), stand_ins)

    def keep_header(self, group):
        from weasyprint.formatting_structure import boxes

        if (isinstance(group, boxes.TableRowGroupBox) and group.is_header
                and id(group.element) not in self.headers):
            self.headers[id(group.element)] = [
                getattr(cell, "mark", None)
                for row in group.children for cell in row.children]

    def link_headers(self, box, element, pdf):
        """The cells of a page's table name the first page's header cells, not the
        repeated header's stand-ins."""
        table = box.get_wrapped_table() if getattr(box, "is_table_wrapper", False) else box
        head, stand_ins = self.repeated.pop(id(table), (None, ()))
        keys = {}
        for stand_in, cell in zip(stand_ins, self.headers.get(head, ())):
            if cell is not None and "ID" in stand_in and "ID" in cell:
                keys[stand_in["ID"]] = cell["ID"]
        if not keys:
            return
        pending = [element]
        while pending:
            current = pending.pop()
            headers = current.get("A", {}).get("Headers") if isinstance(
                current.get("A"), dict) else None
            if headers:
                current["A"]["Headers"] = type(headers)(keys.get(key, key)
                                                        for key in headers)
            pending.extend(kid for kid in self._kids(pdf, current) or ())

    @staticmethod
    def _object(pdf, reference):
        return pdf.objects[int(reference.split()[0])]

    @staticmethod
    def _is_element(value) -> bool:
        return isinstance(value, dict) and value.get("Type") == "/StructElem"

    def _kids(self, pdf, element):
        """The structure elements in `element`'s K, or None if it holds content itself."""
        kids = []
        for item in element["K"]:
            if not isinstance(item, bytes):
                return None  # a marked-content id
            kid = self._object(pdf, item)
            if not self._is_element(kid):
                return None  # an annotation (OBJR)
            kids.append(kid)
        return kids

    @staticmethod
    def _forget(element, replacement, nums, annotations):
        """`element` leaves the tree: what pointed at it points at `replacement`."""
        for mcid, reference in nums.items():
            if reference == element.reference:
                nums[mcid] = replacement.reference
        for i, (reference, annotation) in enumerate(annotations):
            if reference == element.reference:
                annotations[i] = (replacement.reference, annotation)
        element.clear()

    def settle(self, box, parent_box, element, parent, pdf, page_number, nums, annotations):
        """The structure elements `element` (built for `box`) gives its parent's K."""
        pseudo = _pseudo(box)
        principal = box.element is not None and not (
            parent_box is not None and parent_box.element is box.element
            and _pseudo(parent_box) == pseudo)
        if (pseudo == "before" and parent.get("S") == "/LBody"
                and getattr(box.element, "tag", None) == "li"):
            # The bullet of a list item drawn with ::before: the item's label.
            item = self._object(pdf, parent["P"])
            element["S"] = "/Lbl"
            element["P"] = parent["P"]
            item["K"].append(element.reference)
            return []
        if principal and SECTION_CLASSES & _classes(box):
            element["S"] = "/Sect"
        tag = element["S"]
        if tag == "/Table":
            self.link_headers(box, element, pdf)
        if tag == "/TH" and isinstance(element.get("A"), dict):
            # What the header cell heads, for a reader that goes by /Scope, not /Headers.
            scope = box.element.get("scope") if box.element is not None else None
            element["A"]["Scope"] = "/Row" if scope in ("row", "rowgroup") else "/Column"
        if tag == "/Figure" and not element.get("Alt"):
            caption = _caption(parent_box)
            if caption:
                import pydyf

                element["Alt"] = pydyf.String(caption)
        if tag in DROPPED_WHEN_EMPTY and not element["K"]:
            element.clear()
            return []
        if tag in DISSOLVED or (not principal and tag == parent.get("S")):
            kids = self._kids(pdf, element)
            if kids is not None:
                for kid in kids:
                    kid["P"] = parent.reference
                element.clear()
                return kids
        if not principal or tag in NOT_MERGED:
            return [element]
        key = (id(box.element), pseudo, tag)
        first = self.first.get(key)
        if first is None:
            self.first[key] = element
            return [element]
        # The same element on a later page: its content goes on in the first one.
        page = pdf.page_references[page_number]
        for item in element["K"]:
            if isinstance(item, int):
                if first["Pg"] != page:
                    import pydyf

                    reference = pydyf.Dictionary({"Type": "/MCR", "Pg": page, "MCID": item})
                    pdf.add_object(reference)
                    item = reference.reference
            else:
                kid = self._object(pdf, item)
                if self._is_element(kid):
                    kid["P"] = first.reference
            first["K"].append(item)
        self._forget(element, first, nums, annotations)
        return []


def _make_build_box_tree(original):
    def _build_box_tree(box, parent, pdf, page_number, nums, annotations, tags):
        tree = _TREE.get()
        if tree is None:
            yield from original(box, parent, pdf, page_number, nums, annotations, tags)
            return
        from weasyprint.formatting_structure import boxes
        from weasyprint.layout.absolute import AbsolutePlaceholder

        inner = box._box if isinstance(box, AbsolutePlaceholder) else box
        if isinstance(inner, boxes.MarginBox):
            return  # drawn as artifacts (draw_page): nothing of it is tagged
        if _repeated_header(inner):
            tree.skip_header(inner)
            return
        if isinstance(inner, boxes.PageBox) or (
                inner.element is not None and inner.element_tag in ("html", "body")):
            yield from original(box, parent, pdf, page_number, nums, annotations, tags)
            return
        parent_box = tree.boxes[-1] if tree.boxes else None
        tree.boxes.append(inner)
        try:
            built = list(original(box, parent, pdf, page_number, nums, annotations, tags))
        finally:
            tree.boxes.pop()
        tree.keep_header(inner)
        for element in built:
            yield from tree.settle(inner, parent_box, element, parent, pdf, page_number,
                                   nums, annotations)

    return _build_box_tree


def _make_add_tags(original):
    def add_tags(pdf, document, pdf_version, page_streams):
        token = _TREE.set(_Tree())
        try:
            return original(pdf, document, pdf_version, page_streams)
        finally:
            _TREE.reset(token)

    return add_tags


def _make_draw_page(original):
    def draw_page(page, stream):
        if getattr(stream, "_tags", None) is None:
            return original(page, stream)
        from weasyprint.formatting_structure import boxes

        _mark_tables(page)
        artifacts = frozenset(id(box) for child in page.children
                              if isinstance(child, boxes.MarginBox)
                              for box in _descendants(child))
        artifacts |= frozenset(id(box) for group in _descendants(page)
                               if _repeated_header(group) for box in _descendants(group))
        token = _ARTIFACTS.set(artifacts)
        try:
            return original(page, stream)
        finally:
            _ARTIFACTS.reset(token)

    return draw_page


def _make_marked(original):
    @contextmanager
    def marked(self, box, tag):
        if self._tags is not None and id(box) in _ARTIFACTS.get():
            with self.artifact():
                yield
        else:
            with original(self, box, tag):
                yield

    return marked


def _weasyprint_version() -> str:
    import weasyprint

    return weasyprint.__version__


def _replacements():
    from weasyprint import document, pdf
    from weasyprint.pdf import stream, tags

    return [
        # pdf/__init__.py and document.py call the names they imported.
        Replacement(pdf, "add_tags", _make_add_tags),
        Replacement(tags, "_build_box_tree", _make_build_box_tree),
        Replacement(document, "draw_page", _make_draw_page),
        Replacement(stream.Stream, "marked", _make_marked),
    ]


PATCH = Patch("bulletin.typeset.tagging", "WeasyPrint", SUPPORTED_WEASYPRINT,
              _weasyprint_version, _replacements)


def install() -> None:
    """Patch WeasyPrint (once per process); refuses any WeasyPrint but 70.0."""
    PATCH.install()


def uninstall() -> None:
    PATCH.uninstall()
