"""Render a `Briefing` as HTML, Markdown, an email message or JSON."""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING, Any

from jinja2 import TemplateError

from ..clock import Clock, system_clock
from ..errors import RenderError
from ..overview import highlights
from ..records import CATEGORY_LABELS, Briefing
from .environment import environment
from .json_format import briefing_json
from .options import RenderOptions
from .reader import STYLES, week_chart_svg, week_table

if TYPE_CHECKING:
    from ..config import Config  # the root options: render takes `templates`, `[render]` and `[email]`

FORMATS = ("html", "md", "email", "json")


def reader_context(briefing: Briefing | None, options: RenderOptions) -> dict[str, Any]:
    """What every template gets besides the briefing: options, category styles, highlights, the week's figures.

    `briefing` is None for a page about many briefings (the archive's index)."""
    context: dict[str, Any] = {"labels": CATEGORY_LABELS, "options": options, "styles": STYLES}
    if briefing is None:
        return context
    context["highlights"] = highlights(briefing.sections, options.highlights)
    context["page_url"] = options.page_url(briefing)
    if briefing.kind == "weekly":
        context["week"] = week_table(briefing)
        context["chart"] = week_chart_svg(briefing)
    return context


def render_template(
    briefing: Briefing | None,
    name: str,
    flavour: str,
    templates: Path | None = None,
    options: RenderOptions | None = None,
    **context: object,
) -> str:
    try:
        template = environment(flavour, templates).get_template(name)
        return template.render(briefing=briefing, **reader_context(briefing, options or RenderOptions()), **context)
    except TemplateError as exc:
        where = f" (line {exc.lineno})" if getattr(exc, "lineno", None) else ""
        raise RenderError(f"template {name}{where}: {exc}") from exc


def render_html(briefing: Briefing, templates: Path | None = None, options: RenderOptions | None = None) -> str:
    return render_template(briefing, f"{briefing.kind}.html.j2", "html", templates, options)


def render_markdown(briefing: Briefing, templates: Path | None = None, options: RenderOptions | None = None) -> str:
    return render_template(briefing, f"{briefing.kind}.md.j2", "markdown", templates, options)


def render(briefing: Briefing, fmt: str, config: Config, clock: Clock = system_clock) -> bytes:
    """The briefing in `fmt`, as the bytes to write to a file or stdout."""
    options = config.render
    if fmt == "html":
        return render_html(briefing, config.templates, options).encode("utf-8")
    if fmt == "md":
        return render_markdown(briefing, config.templates, options).encode("utf-8")
    if fmt == "json":
        return briefing_json(briefing, options).encode("utf-8")
    if fmt == "email":
        from .email import build_message, message_bytes

        return message_bytes(build_message(briefing, config.email, config.render, config.templates, clock))
    raise RenderError(f"unknown format {fmt!r} (choose from {', '.join(FORMATS)})")
