"""Jinja environment: Issue → one HTML document."""

from __future__ import annotations

from pathlib import Path

import jinja2

from .markup import render_markdown
from .model import Issue
from .typeset.linebreak import break_hints

TEMPLATE = "issue.html.j2"


def environment(templates: Path) -> jinja2.Environment:
    env = jinja2.Environment(
        loader=jinja2.FileSystemLoader(str(templates)),
        autoescape=True,  # every value, in every template
        undefined=jinja2.StrictUndefined,
        trim_blocks=True,
        lstrip_blocks=True,
    )
    env.filters["markdown"] = lambda text: jinja2.utils.markupsafe.Markup(render_markdown(text))
    env.filters["break_hints"] = break_hints
    env.filters["title_phrases"] = title_phrases
    return env


def title_phrases(line: str) -> list[str]:
    """A title line split at its spaces: the natural points where it may break."""
    return [phrase for phrase in line.split() if phrase] or [line]


def render_html(issue: Issue, templates: Path, env: jinja2.Environment | None = None,
                draft: bool = False) -> str:
    env = env or environment(templates)
    return env.get_template(TEMPLATE).render(issue=issue, draft=draft)
