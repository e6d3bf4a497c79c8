"""The settings of feed reading and the archive (config section `[feeds]`)."""

from __future__ import annotations

from pathlib import Path

from .. import __version__
from ..options import at_least, config_section, setting

DEFAULT_USER_AGENT = f"digest/{__version__} (government-news briefings; feed reader)"


@config_section
class FeedOptions:
    """Config section `[feeds]`: fetching feeds over HTTP, and the archive of what was read."""

    timeout: float = setting(20.0, "Seconds to wait for a feed server at each step (connect, each read).",
                             check=at_least(0.1))
    attempts: int = setting(3, "Tries per feed URL in all; a refused connection, a timeout or a 5xx/429 reply "
                               "is retried with exponential backoff.", check=at_least(1))
    backoff: float = setting(1.0, "Seconds before the first retry; each further retry waits twice as long.",
                             check=at_least(0))
    max_bytes: int = setting(10_000_000, "Largest feed accepted, in bytes; a larger one is skipped.",
                             check=at_least(1))
    user_agent: str = setting(DEFAULT_USER_AGENT, "The User-Agent header sent to feed servers.")
    archive: bool = setting(True, "Add every post read from a feed to the local archive (history for weekly "
                                  "briefings; `digest ingest` archives exports too).")
    archive_path: Path | None = setting(None, "The archive's SQLite file (default: archive.sqlite3 in state_dir).")
