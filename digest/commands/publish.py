"""`digest publish`: commit a briefing page to the wiki's git repository."""

from __future__ import annotations

import argparse
import logging

from ..config import Config
from ..deliver.wiki import PublishResult, publish
from ..errors import ConfigError, NoPostsError, PartialDelivery
from ..records import Briefing
from ..render import render_markdown
from .common import build, requested_kind, settings

log = logging.getLogger("digest")


def run(args: argparse.Namespace) -> int:
    config, _ = settings(args, **{"wiki.path": args.wiki, "wiki.push": args.push})
    try:
        briefing = build(args, config, requested_kind(args))
    except NoPostsError as empty:
        log.warning("%s; nothing published", empty)
        return 0
    publish_briefing(briefing, config)
    return 0


def publish_briefing(briefing: Briefing, config: Config) -> PublishResult:
    if config.wiki.path is None:
        raise ConfigError("no wiki: give --wiki or set wiki.path in the config")
    markdown = render_markdown(briefing, config.templates)
    result = publish(briefing, markdown, config.wiki.path, config.wiki)
    if result.commit:
        log.info("publish %s: committed %s (%s)", briefing.id, result.commit[:12], ", ".join(result.changed))
    else:
        log.info("publish %s: unchanged, no commit", briefing.id)
    if result.pushed is False:
        raise PartialDelivery(f"publish {briefing.id}: committed locally, push failed: {result.push_error}")
    return result
