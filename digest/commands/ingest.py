"""`digest ingest`: read feeds and exports into the local archive, and say what was added.

Exit code 0 when something was read (skips are listed on stderr), 1 when every
input failed.
"""

from __future__ import annotations

import argparse
import logging
import sys

from ..errors import InputError
from .common import read_with_archive, report_skips, settings

log = logging.getLogger("digest")


def run(args: argparse.Namespace) -> int:
    config, _ = settings(args)
    outcome = read_with_archive(args, config, args.input, archive_exports=True)
    ingested = outcome.ingested
    report_skips(ingested.skipped)
    if not ingested.articles and ingested.skipped:
        raise InputError(f"nothing read: {len(ingested.skipped)} inputs or posts skipped (see above)")
    bare = f" ({outcome.description_only} description only)" if outcome.description_only else ""
    merged = f", {len(ingested.merged_duplicates)} copies merged" if ingested.merged_duplicates else ""
    archived = f"; archive: {outcome.report}" if outcome.report else "; archive: off"
    print(f"read {len(ingested.articles)} posts{bare}{merged}, {len(ingested.skipped)} skipped{archived}",
          file=sys.stdout)
    return 0
