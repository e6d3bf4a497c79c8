"""`digest site`: a static archive of every day and week in the input, or of a wiki's committed pages."""

from __future__ import annotations

import argparse
import logging
from pathlib import Path

from ..config import Config
from ..deliver.files import atomic_write, confined_path
from ..errors import ConfigError, NoPostsError
from ..ingest import IngestResult
from ..period import Period
from ..pipeline import build_briefing
from ..records import Briefing
from ..render.site import build_site
from ..render.site_from_wiki import build_wiki_site
from .common import read_with_archive, report_skips, settings

log = logging.getLogger("digest")


def run(args: argparse.Namespace) -> int:
    config, _ = settings(args, **{"site.base_url": args.base_url})
    if args.from_wiki:
        files = build_wiki_site(Path(args.from_wiki), config.site, config.templates)
    else:
        inputs = args.input or config.inputs
        if not (inputs or args.archive):
            raise ConfigError("no input: give --input, --archive or --from-wiki, or set `input` in the config")
        ingested = read_with_archive(args, config, inputs).ingested
        files = build_site(every_briefing(ingested, config), config.site, config.templates, config.render)
    out = Path(args.out)
    out.mkdir(parents=True, exist_ok=True)
    written = sum(atomic_write(confined_path(out, path), data) for path, data in sorted(files.items()))
    log.info("site: %d files in %s (%d changed)", len(files), out, written)
    return 0


def every_briefing(ingested: IngestResult, config: Config) -> list[Briefing]:
    """The daily briefing of every day with posts, and the weekly one of every week with posts."""
    days = sorted({a.published for a in ingested.articles})
    weeks = sorted({Period.week_of(day) for day in days}, key=lambda p: p.start)
    briefings = []
    for period in [*map(Period.day, days), *weeks]:
        articles = [a for a in ingested.articles if period.contains(a.published)]
        skipped = [s for s in ingested.skipped if s.published is None or period.contains(s.published)]
        try:
            briefing = build_briefing(articles, skipped, period, config)
        except NoPostsError as empty:  # every post of the period lost its text in cleaning
            log.warning("%s; no page", empty)
            continue
        if period.is_daily:  # a week's skips are its days'
            report_skips(briefing.skipped)
        briefings.append(briefing)
    if not briefings:
        raise NoPostsError("the input holds no post to archive", None, tuple(ingested.skipped))
    return briefings
