"""Jinja environments: user templates first, built-ins after, escaping by format.

HTML templates are autoescaped. Markdown templates are autoescaped too, but
with Markdown escaping: `finalize` backslash-escapes every value and marks it
safe, so article text can never become Markdown or raw HTML while macro
output and template text pass through. Text templates lose control characters.
"""

from __future__ import annotations

import re
from functools import lru_cache
from importlib import resources
from pathlib import Path
from typing import Any

from jinja2 import ChoiceLoader, Environment, FileSystemLoader, PrefixLoader, StrictUndefined
from markupsafe import Markup

from ..ingest import safe_url
from ..overview import chinese_date, chinese_day, count_phrase
from .reader import reader_url

_REPO_TEMPLATES = Path(__file__).resolve().parents[2] / "templates"


def default_template_dir() -> Path:
    """Installed wheels carry the templates inside the package; a checkout has them at the top."""
    packaged = Path(str(resources.files("digest"))) / "templates"
    return packaged if packaged.is_dir() else _REPO_TEMPLATES


_LINE_BREAKS = re.compile(r"[\r\n\u2028\u2029\u0085\v\f]+")
_CONTROL = re.compile(r"[\x00-\x08\x0e-\x1f\x7f]")
_MARKDOWN_SPECIAL = re.compile(r"([\\`*_{}\[\]<>()#+!|~&])")


def plain(value: Any) -> str:
    """One line of text: no control characters, no line breaks of any kind."""
    return _CONTROL.sub("", _LINE_BREAKS.sub(" ", str(value)))


# Block syntax a value could start when it stands at the start of a line:
# list items (- + 1. 1)), setext underlines (=== ---), thematic breaks.
_BLOCK_START = re.compile(r"^(\s*)([-+=]|\d+(?=[.)]))")


def markdown_escape(value: Any) -> str:
    if isinstance(value, Markup):
        return str(value)
    escaped = _MARKDOWN_SPECIAL.sub(r"\\\1", plain(value))
    return _BLOCK_START.sub(lambda m: m[1] + (m[2] + "\\" if m[2][0].isdigit() else "\\" + m[2]), escaped)


def markdown_url(url: Any) -> Markup:
    """A link target Markdown cannot misread: http(s) only; brackets, spaces and backslashes encoded
    (a trailing backslash would escape the closing parenthesis)."""
    safe = safe_url(str(url or ""))
    return Markup(safe.translate(_MARKDOWN_URL_ESCAPES))


_MARKDOWN_URL_ESCAPES = str.maketrans({" ": "%20", "(": "%28", ")": "%29", "<": "%3C", ">": "%3E", "\\": "%5C"})


def first_n(items: Any, limit: int | None) -> Any:
    """The first `limit` items, or all of them when limit is None."""
    return items if limit is None else items[:limit]


def safe_href(url: Any) -> str:
    return safe_url(str(url or ""))


def _finalize_markdown(value: Any) -> Any:
    if value is None:
        return ""
    return value if isinstance(value, (Markup, int, float)) else Markup(markdown_escape(value))


def _finalize_text(value: Any) -> Any:
    return "" if value is None else (value if isinstance(value, (int, float)) else _CONTROL.sub("", str(value)))


@lru_cache(maxsize=16)
def environment(flavour: str, user_dir: Path | None = None) -> Environment:
    """flavour: 'html' (autoescape), 'markdown' (escape by finalize) or 'text'."""
    default_loader = FileSystemLoader(str(default_template_dir()))
    loaders = [FileSystemLoader(str(user_dir))] if user_dir else []
    loaders += [PrefixLoader({"default": default_loader}, delimiter=":"), default_loader]
    options: dict[str, Any] = dict(
        loader=ChoiceLoader(loaders),
        undefined=StrictUndefined,
        trim_blocks=True,
        lstrip_blocks=True,
        keep_trailing_newline=True,
    )
    if flavour == "html":
        options["autoescape"] = True
    elif flavour == "markdown":
        options["autoescape"] = True  # macros then return Markup, which finalize lets through
        options["finalize"] = _finalize_markdown
    elif flavour == "text":
        options["finalize"] = _finalize_text
    else:
        raise ValueError(f"unknown template flavour {flavour!r}")
    env = Environment(**options)
    env.filters.update(
        safe_href=safe_href,
        first_n=first_n,
        mdurl=markdown_url,
        md=markdown_escape,
        plain=plain,
        cn_day=chinese_day,
        cn_date=chinese_date,
        count_phrase=lambda section: count_phrase(len(section.items), section.post_count),
        reader_url=reader_url,
    )
    return env
