"""`digest daily` and `digest weekly`: build a briefing and write it out."""

from __future__ import annotations

import argparse

from ..cli import write_output
from ..period import Kind
from ..render import render
from .common import build, settings


def run(args: argparse.Namespace) -> int:
    config, clock = settings(args)
    briefing = build(args, config, kind=Kind(args.command))
    write_output(render(briefing, args.format, config, clock), args.output)
    return 0
