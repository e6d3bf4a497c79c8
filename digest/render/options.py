"""What readers are shown: the render stage's settings (config section `[render]`)."""

from __future__ import annotations

from typing import Any

from ..options import between, config_section, http_url, setting

PLACEHOLDERS = ("id", "kind", "period")


def check_web_url(value: Any) -> None:
    """A check: with its placeholders filled in, an http(s) URL (`options.http_url`)."""
    if not value:
        return
    try:
        example = str(value).format(**{name: "x" for name in PLACEHOLDERS})
    except (KeyError, IndexError, ValueError):
        raise ValueError("may use only the placeholders {id}, {kind} and {period}") from None
    http_url(example)


@config_section
class RenderOptions:
    """Config section `[render]`: what readers are shown."""

    details: bool = setting(
        False,
        "Show operators' detail in HTML, Markdown and email: each item's 依据 (category terms, score parts, "
        "summary method) and every skipped input with its reason. Readers never need it; JSON and the log "
        "always have it.")
    web_url: str = setting(
        "",
        "Address of each briefing's web page, with {id}, {kind} and {period} placeholders "
        "(https://news.example.org/digest/{id}.html). Emails then link to it (在浏览器中查看), and a "
        "shortened email points there for the rest.",
        check=check_web_url)
    highlights: int = setting(
        4, "How many top stories the overview lists, one line each.", check=between(1, 5, "a count"))


    def page_url(self, briefing: Any) -> str:
        if not self.web_url:
            return ""
        return self.web_url.format(id=briefing.id, kind=briefing.kind, period=briefing.period)
