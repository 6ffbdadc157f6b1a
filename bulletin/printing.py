"""The print shop's PDF (`bulletin build N --for-print`): PDF/X-4, CMYK, with bleed.

The screen PDF is left exactly as it is: everything here is added only for the print
build, on top of the same HTML and the same layout.

- **Colours.** `print_css` reads the colour declarations of templates/print.css (and the
  files it imports) and restates each one, for the same selector, in `device-cmyk()`:
  greys and black as K only (`device-cmyk(0 0 0 1)` for black, never RGB 0/0/0), the
  masthead red (any strong red) as `print.red` of bulletin.yaml, any other colour by the
  naive formula. The restatement comes after print.css in the document, so it wins; a
  rule added to print.css later is restated too. WeasyPrint's own defaults that could
  show (links, `mark`, `hr`, table borders) are restated at zero specificity.
- **Profile.** The CMYK output profile (`bulletin/profiles/`, FOGRA39L, see its README)
  is declared with `@color-profile device-cmyk`, served from memory by the resource jail
  (no file outside the project's folders is opened by WeasyPrint), and becomes the
  PDF/X-4 OutputIntent.
- **Images.** RGB, palette and RGBA images are converted to CMYK (colour-managed with
  Pillow's ImageCms, from their own ICC profile or sRGB to the output profile, alpha laid
  on white) and given to WeasyPrint as CMYK JPEGs, which it embeds as /DeviceCMYK as they
  are; greyscale images stay /DeviceGray (K). Their pixel sizes do not change, nor does
  the layout.
- **Boxes.** `@page { bleed: … }` makes the MediaBox A4 + `print.bleed_mm` each side;
  TrimBox is the A4 page; the finisher sets BleedBox to exactly the bleed (WeasyPrint
  stops it at 10 pt).
- **Reproducible.** The dates are the issue's, the XMP DocumentID is derived from the
  issue: the same sources give the same bytes.
"""

from __future__ import annotations

import io
import re
import uuid
from pathlib import Path

from .model import PrintSettings

VARIANT = "pdf/x-4"
PROFILE_FILE = Path(__file__).parent / "profiles" / "bulletin-FOGRA39L-coated.icc"
# Where the HTML names the profile: under an invented base that is no folder, served
# from memory by the jail (typeset/jail.py, as the images are).
PROFILE_URL = "file:///bulletin-profile/bulletin-FOGRA39L-coated.icc"
OUTPUT_CONDITION_IDENTIFIER = "FOGRA39"  # registered at the ICC (http://www.color.org)
OUTPUT_CONDITION = ("Offset printing, ISO 12647-2:2004/Amd 1, paper type 1 or 2 "
                    "(coated), 115 g/m2, FOGRA39L characterization data")
BLACK = (0.0, 0.0, 0.0, 1.0)
MM = 72 / 25.4  # PDF points per millimetre

# Shorthands whose colour part is restated as a longhand.
_COLOUR_OF = {
    "color": "color",
    "background": "background-color",
    "border": "border-color",
    "border-top": "border-top-color",
    "border-right": "border-right-color",
    "border-bottom": "border-bottom-color",
    "border-left": "border-left-color",
    "outline": "outline-color",
    "column-rule": "column-rule-color",
    "text-decoration": "text-decoration-color",
    "text-emphasis": "text-emphasis-color",
}

# WeasyPrint's user-agent colours (weasyprint/css/html5_ua.css) that an article could
# show: restated in CMYK at zero specificity, so that any rule of print.css still wins.
_UA_COLOURS = [
    (":where(:link)", "color", (0.0, 0.0, 0.0, 1.0)),
    (":where(mark)", "background-color", (0.0, 0.0, 1.0, 0.0)),
    (":where(mark)", "color", BLACK),
    (":where(table, td, th)", "border-color", (0.0, 0.0, 0.0, 0.5)),
    (":where(hr)", "color", (0.0, 0.0, 0.0, 0.5)),
]


def profile_bytes() -> bytes:
    return PROFILE_FILE.read_bytes()


def cmyk_css(values, alpha: float = 1.0) -> str:
    """`device-cmyk(c m y k)` of fractions 0–1 (and `/ alpha` when not opaque)."""
    text = " ".join(_number(v) for v in values)
    return f"device-cmyk({text} / {_number(alpha)})" if alpha < 1 else f"device-cmyk({text})"


def _number(value: float) -> str:
    return f"{round(float(value), 4):g}"


def red_of(settings: PrintSettings) -> tuple[float, ...]:
    """print.red (percentages C M Y K) as fractions."""
    return tuple(float(v) / 100 for v in settings.red)


def to_cmyk(rgb: tuple[float, float, float], red: tuple[float, ...]) -> tuple[float, ...]:
    """A print colour for an sRGB colour of the stylesheet: grey as K only, a strong red
    as the bulletin's red, anything else by the naive formula."""
    r, g, b = (min(1.0, max(0.0, c)) for c in rgb)
    if max(r, g, b) - min(r, g, b) < 1e-3:
        return (0.0, 0.0, 0.0, round(1 - r, 4))
    if r >= 0.6 and g <= 0.3 and b <= 0.3:
        return tuple(red)
    k = 1 - max(r, g, b)
    return tuple(round((1 - c - k) / (1 - k), 4) for c in (r, g, b)) + (round(k, 4),)


def _colour_tokens(tokens, red):
    """The first colour among `tokens` as (cmyk, alpha), or None."""
    from tinycss2.color5 import parse_color

    for token in tokens:
        if token.type in ("whitespace", "comment"):
            continue
        if token.type == "ident" and token.lower_value in ("currentcolor", "transparent",
                                                          "inherit", "initial", "unset"):
            continue
        color = parse_color(token)
        if color is None or not hasattr(color, "space"):
            continue
        if color.space == "device-cmyk":
            return tuple(color.coordinates), color.alpha
        srgb = color.to("srgb").coordinates
        return to_cmyk(tuple(srgb), red), color.alpha
    return None


def _restated(declarations, red) -> list[str]:
    found = []
    for declaration in declarations:
        if declaration.type != "declaration":
            continue
        name = declaration.lower_name
        longhand = name if name.endswith("-color") else _COLOUR_OF.get(name)
        if longhand is None:
            continue
        colour = _colour_tokens(declaration.value, red)
        if colour is None:
            continue
        important = " !important" if declaration.important else ""
        found.append(f"{longhand}: {cmyk_css(*colour)}{important};")
    return found


def _rules(css: str, red, templates: Path, seen: set[Path]) -> list[str]:
    import tinycss2

    out = []
    for rule in tinycss2.parse_stylesheet(css, skip_comments=True, skip_whitespace=True):
        if rule.type == "qualified-rule":
            body = _restated(tinycss2.parse_blocks_contents(rule.content), red)
            if body:
                out.append(f"{tinycss2.serialize(rule.prelude).strip()} {{ {' '.join(body)} }}")
        elif rule.type == "at-rule" and rule.lower_at_keyword == "import":
            name = _import_name(rule.prelude)
            if name:
                out += _stylesheet_rules(templates / name, red, templates, seen)
        elif rule.type == "at-rule" and rule.lower_at_keyword == "page" and rule.content:
            items = tinycss2.parse_blocks_contents(rule.content)
            body = _restated(items, red)
            for item in items:  # margin boxes: @bottom-right { … }
                if item.type == "at-rule" and item.content:
                    inner = _restated(tinycss2.parse_blocks_contents(item.content), red)
                    if inner:
                        body.append(f"@{item.at_keyword} {{ {' '.join(inner)} }}")
            if body:
                out.append(f"@page {tinycss2.serialize(rule.prelude).strip()} "
                           f"{{ {' '.join(body)} }}")
        elif rule.type == "at-rule" and rule.lower_at_keyword == "media" and rule.content:
            inner = _rules(tinycss2.serialize(rule.content), red, templates, seen)
            if inner:
                out.append(f"@media {tinycss2.serialize(rule.prelude).strip()} "
                           f"{{ {' '.join(inner)} }}")
    return out


def _import_name(prelude) -> str | None:
    for token in prelude:
        if token.type in ("url", "string"):
            return token.value
        if token.type == "function" and token.lower_name == "url":
            for arg in token.arguments:
                if arg.type == "string":
                    return arg.value
    return None


def _stylesheet_rules(path: Path, red, templates: Path, seen: set[Path]) -> list[str]:
    path = path.resolve()
    if path in seen or not path.is_relative_to(templates.resolve()) or not path.is_file():
        return []
    seen.add(path)
    return _rules(path.read_text(encoding="utf-8"), red, templates, seen)


def print_css(templates: Path, settings: PrintSettings) -> str:
    """The print stylesheet: the profile, the bleed, and print.css's colours in CMYK."""
    red = red_of(settings)
    lines = [
        "/* bulletin build --for-print (bulletin/printing.py): CMYK, PDF/X-4 */",
        f'@color-profile device-cmyk {{ src: url("{PROFILE_URL}"); '
        "components: cyan, magenta, yellow, black; }",
        f"@page {{ bleed: {_number(settings.bleed_mm)}mm; }}",
        f":where(html) {{ color: {cmyk_css(BLACK)}; }}",
    ]
    lines += [f"{selector} {{ {prop}: {cmyk_css(value)}; }}"
              for selector, prop, value in _UA_COLOURS]
    lines += _stylesheet_rules(Path(templates) / "print.css", red, Path(templates), set())
    return "\n".join(lines) + "\n"


def with_print_css(html: str, css: str) -> str:
    """The issue's HTML with the print stylesheet last in its head (after print.css)."""
    style = f"<style>\n{css}</style>\n"
    at = html.find("</head>")
    return html[:at] + style + html[at:] if at >= 0 else style + html


# --- images ------------------------------------------------------------------------


def cmyk_image(data: bytes) -> bytes | None:
    """An image's bytes as a CMYK JPEG (colour-managed to the output profile), or None
    when it needs no conversion (greyscale, CMYK already) or cannot be read."""
    from PIL import Image, ImageCms, ImageOps

    try:
        image = Image.open(io.BytesIO(data))
        image.load()
    except Exception:  # noqa: BLE001 - the check read it already; leave it to WeasyPrint
        return None
    if image.mode in ("L", "CMYK", "1") and "transparency" not in image.info:
        return None
    source_icc = image.info.get("icc_profile")
    image = ImageOps.exif_transpose(image)  # the orientation WeasyPrint would apply
    if image.mode not in ("RGB", "RGBA"):
        image = image.convert("RGBA")
    if image.mode == "RGBA":
        white = Image.new("RGB", image.size, (255, 255, 255))
        white.paste(image, mask=image.getchannel("A"))
        image = white
    try:
        source = ImageCms.ImageCmsProfile(io.BytesIO(source_icc)) if source_icc else None
        if source is not None and source.profile.xcolor_space.strip() != "RGB":
            source = None
    except Exception:  # noqa: BLE001 - a broken embedded profile: take it as sRGB
        source = None
    source = source or ImageCms.createProfile("sRGB")
    target = ImageCms.ImageCmsProfile(io.BytesIO(profile_bytes()))
    converted = ImageCms.profileToProfile(
        image, source, target, renderingIntent=ImageCms.Intent.RELATIVE_COLORIMETRIC,
        outputMode="CMYK", flags=ImageCms.Flags.BLACKPOINTCOMPENSATION)
    out = io.BytesIO()
    converted.save(out, format="JPEG", quality=95, dpi=image.info.get("dpi", (150, 150)))
    return out.getvalue()


def print_resources(preloaded: dict[str, bytes]) -> dict[str, bytes]:
    """The resources WeasyPrint gets for the print PDF: the images in CMYK, the profile."""
    converted = {}
    for url, data in preloaded.items():
        cmyk = cmyk_image(data)
        converted[url] = cmyk if cmyk is not None else data
    converted[PROFILE_URL] = profile_bytes()
    return converted


# --- the PDF -----------------------------------------------------------------------


def prepare(document) -> None:
    """Before writing: the issue's date as the PDF's dates (PDF/X needs a ModDate, which
    WeasyPrint would otherwise set to now), so the same sources give the same bytes."""
    metadata = document.metadata
    if metadata.created and not metadata.modified:
        metadata.modified = metadata.created


def finisher(settings: PrintSettings, key: str):
    """What WeasyPrint's PDF gets before it is written (`write_pdf(finisher=…)`): the
    BleedBox at exactly `bleed_mm`, GTS_PDFXVersion in the info dictionary too, the
    output intent's registered condition, a DocumentID derived from `key`."""
    import pydyf

    bleed = settings.bleed_mm * MM
    document_id = uuid.uuid5(uuid.NAMESPACE_URL, f"bulletin:print:{key}")

    def finish(document, pdf) -> None:
        for obj in pdf.objects:
            if isinstance(obj, pydyf.Dictionary) and obj.get("Type") == "/Page":
                left, top, right, bottom = obj["TrimBox"]
                media = obj["MediaBox"]
                box = [max(media[0], left - bleed), max(media[1], top - bleed),
                       min(media[2], right + bleed), min(media[3], bottom + bleed)]
                obj["BleedBox"] = pydyf.Array(box)
        pdf.info["GTS_PDFXVersion"] = pydyf.String("PDF/X-4")
        intents = pdf.catalog.get("OutputIntents")
        if intents:
            intent = intents[0]
            intent["OutputConditionIdentifier"] = pydyf.String(OUTPUT_CONDITION_IDENTIFIER)
            intent["OutputCondition"] = pydyf.String(OUTPUT_CONDITION)
            intent["RegistryName"] = pydyf.String("http://www.color.org")
        metadata = pdf.catalog.get("Metadata")
        if metadata:
            reference = metadata if isinstance(metadata, bytes) else str(metadata).encode()
            number = int(reference.split()[0])
            stream = pdf.objects[number]
            stream.stream = [re.sub(rb"xmp\.did:[0-9a-f-]{36}",
                                    f"xmp.did:{document_id}".encode(), part)
                             if isinstance(part, bytes) else part for part in stream.stream]

    return finish


def write(document, settings: PrintSettings, key: str) -> bytes:
    """The laid-out print document as PDF/X-4 bytes."""
    prepare(document)
    return document.write_pdf(pdf_variant=VARIANT, finisher=finisher(settings, key))
