"""The `digest` command. Each subcommand's work lives in `digest/commands/`, imported when it runs."""

from __future__ import annotations

import argparse
import importlib
import logging
import sys
from pathlib import Path
from typing import Sequence

from . import __version__
from .errors import DeliveryError, DigestError

log = logging.getLogger("digest")

FORMAT_HELP = "html, md (Markdown), email (a multipart .eml message) or json (default: %(default)s)"
EXIT_CODES = """exit codes:
  0   done (inputs that could not be read are listed in the JSON output and on stderr)
  1   error: nothing was delivered (bad input, config, template, SMTP or git failure)
  2   usage error
  3   partly delivered: a push failed, a recipient was refused, or a send is uncertain
  75  another digest run holds the lock; try again later"""

# command -> module in digest/commands that has run(args) -> int
COMMANDS = {
    "daily": "briefing",
    "weekly": "briefing",
    "send": "send",
    "publish": "publish",
    "run-morning": "morning",
    "config": "show_config",
    "summarize": "summarize",
    "ingest": "ingest",
    "push": "push",
    "site": "site",
}


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="digest",
        description="Turn exports of WeChat government-news posts into daily and weekly briefings.",
        formatter_class=argparse.RawDescriptionHelpFormatter,
        epilog="Run `digest COMMAND --help` for the options of a command.\n\n" + EXIT_CODES,
    )
    parser.add_argument("--version", action="version", version=f"digest {__version__}")
    commands = parser.add_subparsers(dest="command", metavar="COMMAND")

    settings = argparse.ArgumentParser(add_help=False)
    group = settings.add_argument_group("settings")
    group.add_argument("-c", "--config", metavar="FILE",
                       help="config file (TOML; default $DIGEST_CONFIG); `digest config` lists the keys")
    group.add_argument("--templates", metavar="DIR", help="your template folder, searched before the built-in one")
    group.add_argument("--lexicon", metavar="FILE", help="TOML lexicon layered over the built-in one")
    group.add_argument("--summarizer", metavar="NAME", help="summariser backend (default: extractive)")
    group.add_argument("--now", metavar="DATETIME",
                       help="the clock, as an ISO date-time in Asia/Shanghai (reproducible runs and tests)")
    group.add_argument("--details", action="store_true", default=None,
                       help="show operators' detail to readers too: each item's 依据 and the skipped inputs "
                            "(config render.details; JSON and the log always have them)")
    group.add_argument("--web-url", metavar="URL",
                       help="address of the briefing's web page, with {id}, {kind}, {period}; emails link to it "
                            "(config render.web_url)")
    group.add_argument("-v", "--verbose", action="store_true", help="log each stage to standard error")
    group.add_argument("--workers", type=int, metavar="N",
                       help="run cleaning, classifying and summarising in N processes (or Ray actors)")
    group.add_argument("--engine", choices=("local", "ray"), help="local processes (default) or a Ray cluster")
    group.add_argument("--ray-address", metavar="ADDRESS", help="a running Ray cluster (default: start a local one)")

    def inputs(required: bool) -> argparse.ArgumentParser:
        holder = argparse.ArgumentParser(add_help=False)
        holder.add_argument("-i", "--input", action="append", required=required, metavar="PATH",
                            help="an export (JSON array or JSON Lines), an RSS/Atom/JSON feed file or http(s) URL, "
                                 "or a folder of them; repeat for more"
                            + ("" if required else " (default: the config key `input`)"))
        holder.add_argument("--archive", action="store_true",
                            help="also use the posts that earlier runs and `digest ingest` archived")
        holder.add_argument("--archive-path", metavar="FILE",
                            help="the archive file (default: archive.sqlite3 in the state directory)")
        return holder

    period = argparse.ArgumentParser(add_help=False)
    when = period.add_mutually_exclusive_group()
    when.add_argument("-d", "--date", metavar="YYYY-MM-DD", help="a daily briefing of this day")
    when.add_argument("-w", "--week", metavar="YYYY-Www", help="a weekly briefing of this ISO week")

    def add(name: str, parents: list[argparse.ArgumentParser], help: str, description: str) -> argparse.ArgumentParser:
        return commands.add_parser(name, parents=parents, help=help, description=description, epilog=EXIT_CODES,
                                   formatter_class=argparse.RawDescriptionHelpFormatter)

    for name, unit, default in (("daily", "day", "the newest day"), ("weekly", "ISO week", "the newest week")):
        command = add(name, [inputs(False), settings], f"write the briefing of one {unit}",
                      f"Build the briefing of one {unit}'s posts and write it out.")
        if name == "daily":
            command.add_argument("-d", "--date", metavar="YYYY-MM-DD", help=f"the day (default: {default} in the input)")
        else:
            command.add_argument("-w", "--week", metavar="YYYY-Www",
                                 help=f"the ISO week, e.g. 2026-W03 (default: {default} in the input)")
        command.add_argument("-f", "--format", choices=("html", "md", "email", "json"), default="md", help=FORMAT_HELP)
        command.add_argument("-o", "--output", metavar="FILE", help="write here instead of standard output")

    send = add("send", [inputs(True), period, settings], "email a briefing (once per recipient)",
               "Email the daily (--date, default: the newest day) or weekly (--week) briefing. SMTP settings "
               "come from the config file or DIGEST_SMTP_* variables; a ledger in the state directory makes "
               "each recipient get each briefing once.")
    _delivery_options(send)

    publish = add("publish", [inputs(True), period, settings], "commit a briefing to a wiki git repository",
                  "Write the daily (--date) or weekly (--week) briefing as a Markdown page into a wiki's git "
                  "work tree, update its index page and commit; unchanged input makes no commit.")
    _wiki_options(publish)

    morning = add("run-morning", [inputs(False), settings], "the cron job: build, publish and send yesterday's briefing",
                  "Build yesterday's daily briefing (or --date's; with --weekly, last week's), publish it to the "
                  "wiki if one is configured and email it if recipients are configured. Safe to run twice: "
                  "nothing is committed or sent again.")
    morning.add_argument("-d", "--date", metavar="YYYY-MM-DD",
                         help="the day (default: yesterday in Asia/Shanghai); with --weekly, any day of the week")
    morning.add_argument("--weekly", action="store_true", help="the weekly briefing (default: last ISO week)")
    _delivery_options(morning)
    _wiki_options(morning)

    add("ingest", [inputs(True), settings], "read feeds and exports into the local archive",
        "Read every input (feed URLs and files, exports) and add its posts to the archive, so that later "
        "daily and weekly briefings built with --archive see posts the feeds no longer list. Reading the "
        "same posts again adds nothing.")

    push = add("push", [inputs(False), period, settings], "post a briefing to WeCom, DingTalk or Feishu group bots",
               "Post the daily (--date, default: the newest day) or weekly (--week) briefing to group bots. "
               "Webhooks and secrets come from the config file or DIGEST_WECOM_WEBHOOK, DIGEST_DINGTALK_WEBHOOK "
               "(+ _SECRET), DIGEST_FEISHU_WEBHOOK (+ _SECRET), never from flags; the send ledger makes each "
               "group get each briefing once.")
    push.add_argument("--channel", action="append", choices=("wecom", "dingtalk", "feishu"),
                      help="the bot to post to; repeat for more (default: every bot with a webhook set)")
    push.add_argument("--force", action="store_true", help="post even where the ledger says the group has it")

    site = add("site", [settings], "write a static archive of every briefing, with an Atom feed",
               "Write an HTML page for every day and week in the input (or every briefing page committed in a "
               "wiki), an index newest first and feed.xml. Links between pages are relative.")
    source = site.add_mutually_exclusive_group()
    source.add_argument("-i", "--input", action="append", metavar="PATH",
                        help="an export file or folder; repeat for more (default: the config key `input`)")
    source.add_argument("--from-wiki", metavar="PATH", help="build from the briefing pages committed in this wiki")
    site.add_argument("--archive", action="store_true",
                      help="also every post that earlier runs and `digest ingest` kept in the archive database")
    site.add_argument("--archive-path", metavar="FILE",
                      help="the archive file (default: archive.sqlite3 in the state directory)")
    site.add_argument("-o", "--out", required=True, metavar="DIR", help="the archive folder to write")
    site.add_argument("--base-url", metavar="URL", help="where the folder is served (default: site.base_url)")

    from .commands.summarize import add_parser as add_summarize_parser

    add_summarize_parser(commands)
    show = add("config", [settings], "list every config key: its value, where it came from, its meaning",
               "List every config key with its effective value (after the config file, the environment and "
               "the flags given here), where that value came from (default, file, env or flag), its "
               "environment variable and meaning.")
    show.add_argument("--json", action="store_true",
                      help='a JSON array of {"key", "value", "source", "env", "doc"} instead of text')
    return parser


def _delivery_options(command: argparse.ArgumentParser) -> None:
    group = command.add_argument_group("email")
    group.add_argument("--to", metavar="ADDRESSES", help="comma-separated recipients (default: the config key email.to)")
    group.add_argument("--dry-run", metavar="FILE", help="write the .eml message to FILE instead of sending it")
    group.add_argument("--force", action="store_true", help="send even to recipients the ledger says already have it")


def _wiki_options(command: argparse.ArgumentParser) -> None:
    group = command.add_argument_group("wiki")
    group.add_argument("--wiki", metavar="PATH", help="the wiki's git work tree (default: the config key wiki.path)")
    group.add_argument("--push", action="store_true", default=None, help="push to the configured remote after committing")


def main(argv: Sequence[str] | None = None) -> int:
    parser = build_parser()
    args = parser.parse_args(argv)
    if args.command is None:  # a bare `digest`: show what it can do
        parser.print_help()
        return 0
    _log_to_stderr(verbose=getattr(args, "verbose", False))
    try:
        from .commands.usage import check_usage

        check_usage(args)
        module = importlib.import_module(f".commands.{COMMANDS[args.command]}", __package__)
        return module.run(args)
    except DigestError as exc:
        print(f"digest: error: {exc}", file=sys.stderr)
        return exc.exit_code
    except BrokenPipeError:
        return 0


def _log_to_stderr(verbose: bool) -> None:
    """digest's own messages go to stderr, whatever the host's logging setup is."""
    handler = logging.StreamHandler(sys.stderr)
    # -v is for watching a run (cron logs, slow stages): each line says when.
    handler.setFormatter(logging.Formatter("%(asctime)s digest: %(message)s" if verbose else "digest: %(message)s",
                                           datefmt="%Y-%m-%d %H:%M:%S"))
    log.handlers[:] = [handler]
    log.propagate = False
    log.setLevel(logging.INFO if verbose else logging.WARNING)


def write_output(data: bytes, output: str | None) -> None:
    if output:
        try:
            Path(output).write_bytes(data)
        except OSError as exc:
            raise DeliveryError(f"cannot write {output}: {exc.strerror or exc}") from None
    else:
        sys.stdout.buffer.write(data)
        sys.stdout.flush()
