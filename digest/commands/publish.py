"""`digest publish`: commit a briefing page to the wiki's git repository."""

from __future__ import annotations

import argparse
import logging

from ..config import Config
from ..deliver.wiki import PublishResult, publish
from ..errors import ConfigError, NoPostsError, PartialDelivery
from ..records import Briefing
from ..render import render_markdown
from .common import build, requested_kind, say, settings

log = logging.getLogger("digest")


def run(args: argparse.Namespace) -> int:
    config, _ = settings(args, **{"wiki.path": args.wiki, "wiki.push": args.push})
    try:
        briefing = build(args, config, requested_kind(args))
    except NoPostsError as empty:
        log.warning("%s; nothing published", empty)
        say(f"nothing published: no posts in {empty.period.label}")
        return 0
    publish_briefing(briefing, config)
    return 0


def publish_briefing(briefing: Briefing, config: Config) -> PublishResult:
    if config.wiki.path is None:
        raise ConfigError("no wiki: give --wiki or set wiki.path in the config")
    markdown = render_markdown(briefing, config.templates, config.render)
    result = publish(briefing, markdown, config.wiki.path, config.wiki)
    if result.commit:
        say(f"{briefing.id}: published {result.page} to {config.wiki.path} (commit {result.commit[:12]}"
            + (", pushed" if result.pushed else "") + ")")
    else:
        say(f"{briefing.id}: {result.page} unchanged, no commit")
    if result.pushed is False:
        raise PartialDelivery(f"publish {briefing.id}: committed locally, push failed: {result.push_error}")
    return result
