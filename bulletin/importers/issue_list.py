"""Append an article to issue.yaml's `articles:` list, touching only the lines it must."""

from __future__ import annotations

import re

import yaml

BLOCK_KEY = re.compile(r"^articles[ \t]*:[ \t]*(#.*)?$")
FLOW_KEY = re.compile(r"^(articles[ \t]*:[ \t]*\[)(?P<items>[^\]#]*)\](?P<tail>[ \t]*(?:#.*)?)$")
ITEM = re.compile(r"^(?P<indent>[ \t]*)-(?:[ \t]|$)")


def with_article(text: str, name: str) -> str | None:
    """`text` with `name` added at the end of `articles:`; None if that list cannot be edited
    safely by hand (the caller then asks the user to do it)."""
    try:
        before = yaml.safe_load(text) or {}
    except yaml.YAMLError:
        return None
    if not isinstance(before, dict) or not isinstance(before.get("articles") or [], list):
        return None
    newline = "\r\n" if "\r\n" in text else "\n"
    lines = text.splitlines(keepends=True)
    if lines and not lines[-1].endswith("\n"):
        lines[-1] += newline
    key = next((i for i, line in enumerate(lines) if BLOCK_KEY.match(line.rstrip("\r\n"))), None)
    flow = next((i for i, line in enumerate(lines) if FLOW_KEY.match(line.rstrip("\r\n"))), None)
    if key is not None:
        last, indent = key, "  "
        for index in range(key + 1, len(lines)):
            stripped = lines[index].strip()
            item = ITEM.match(lines[index])
            if item:
                last, indent = index, item.group("indent")
            elif stripped and not stripped.startswith("#"):
                if lines[index][:1] not in " \t" or last == key:
                    break
                last = index  # a continuation of the item above
        lines.insert(last + 1, f"{indent}- {name}{newline}")
    elif flow is not None:
        match = FLOW_KEY.match(lines[flow].rstrip("\r\n"))
        items = match.group("items").rstrip()
        items = f"{items}, {name}" if items.strip() else name
        lines[flow] = f"{match.group(1)}{items}]{match.group('tail')}{newline}"
    elif "articles" not in before:
        lines.append(f"articles:{newline}  - {name}{newline}")
    else:
        return None
    result = "".join(lines)
    try:
        after = yaml.safe_load(result)
    except yaml.YAMLError:
        return None
    expected = {**before, "articles": list(before.get("articles") or []) + [name]}
    return result if after == expected else None
