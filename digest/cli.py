"""The `digest` command: `digest daily`, `digest weekly`, `digest config`."""

from __future__ import annotations

import argparse
import logging
import sys
from pathlib import Path
from typing import Sequence

from . import __version__
from .errors import DigestError

log = logging.getLogger("digest")

FORMAT_HELP = "html, md (Markdown), email (a multipart .eml message) or json (default: %(default)s)"


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="digest",
        description="Turn exports of WeChat government-news posts into daily and weekly briefings.",
        formatter_class=argparse.RawDescriptionHelpFormatter,
        epilog="Run `digest COMMAND --help` for the options of a command.",
    )
    parser.add_argument("--version", action="version", version=f"digest {__version__}")
    commands = parser.add_subparsers(dest="command", metavar="COMMAND", required=True)

    common = argparse.ArgumentParser(add_help=False)
    common.add_argument("-i", "--input", action="append", required=True, metavar="PATH",
                        help="an export file (JSON array or JSON Lines) or a folder of them; repeat for more")
    common.add_argument("-f", "--format", choices=("html", "md", "email", "json"), default="md", help=FORMAT_HELP)
    common.add_argument("-o", "--output", metavar="FILE", help="write here instead of standard output")
    common.add_argument("-c", "--config", metavar="FILE",
                        help="config file (TOML; default $DIGEST_CONFIG); see `digest config`")
    common.add_argument("--templates", metavar="DIR", help="your template folder, searched before the built-in one")
    common.add_argument("--lexicon", metavar="FILE", help="TOML lexicon layered over the built-in one")
    common.add_argument("--summarizer", metavar="NAME", help="summariser backend (default: extractive)")
    common.add_argument("--now", metavar="DATETIME",
                        help="the clock, as ISO date-time in Asia/Shanghai (for reproducible email Date headers)")
    common.add_argument("-v", "--verbose", action="store_true", help="log each stage to standard error")

    daily = commands.add_parser("daily", parents=[common], help="the briefing of one day",
                                description="Build the briefing of one day's posts.")
    daily.add_argument("-d", "--date", metavar="YYYY-MM-DD", help="the day (default: the newest day in the input)")
    weekly = commands.add_parser("weekly", parents=[common], help="the briefing of one ISO week",
                                 description="Build the briefing of one ISO week (Monday to Sunday).")
    weekly.add_argument("-w", "--week", metavar="YYYY-Www",
                        help="the ISO week, e.g. 2026-W03 (default: the week of the newest day in the input)")

    commands.add_parser("config", help="list every config key, its environment variable and default",
                        description="List every config key with its environment variable, default and meaning.")
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    parser = build_parser()
    args = parser.parse_args(argv)
    _log_to_stderr(verbose=getattr(args, "verbose", False))
    try:
        if args.command == "config":
            from .config import describe_options

            print(describe_options())
            return 0
        from .commands.briefing import run_briefing

        return run_briefing(args)
    except DigestError as exc:
        print(f"digest: error: {exc}", file=sys.stderr)
        return exc.exit_code
    except BrokenPipeError:
        return 0


def _log_to_stderr(verbose: bool) -> None:
    """digest's own messages go to stderr, whatever the host's logging setup is."""
    handler = logging.StreamHandler(sys.stderr)
    handler.setFormatter(logging.Formatter("digest: %(message)s"))
    log.handlers[:] = [handler]
    log.propagate = False
    log.setLevel(logging.INFO if verbose else logging.WARNING)


def write_output(data: bytes, output: str | None) -> None:
    if output:
        Path(output).write_bytes(data)
    else:
        sys.stdout.buffer.write(data)
        sys.stdout.flush()
