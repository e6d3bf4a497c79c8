"""`digest config`: every key, its environment variable, default and meaning."""

from __future__ import annotations

import argparse

from ..config import describe_options


def run(args: argparse.Namespace) -> int:
    print(describe_options())
    return 0
