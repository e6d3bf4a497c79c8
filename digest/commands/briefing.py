"""`digest daily` and `digest weekly`: build a briefing and write it out."""

from __future__ import annotations

import argparse

from ..cli import write_output
from ..render import render
from .common import build, reader_options, settings


def run(args: argparse.Namespace) -> int:
    config, clock = settings(args)
    briefing = build(args, config, kind=args.command)
    write_output(render(briefing, args.format, config, clock, reader_options(args, config)), args.output)
    return 0
