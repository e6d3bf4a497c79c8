"""`digest config`: every key's effective value, where it came from, its environment variable and meaning."""

from __future__ import annotations

import argparse
import sys

from ..config import describe_options, options_json, resolve
from .common import setting_flags


def run(args: argparse.Namespace) -> int:
    resolved = resolve(args.config, overrides=setting_flags(args))
    sys.stdout.write(options_json(resolved) if args.json else describe_options(resolved) + "\n")
    return 0
