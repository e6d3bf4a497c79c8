"""Configuration: defaults → config file → environment → command-line flags.

Every key is declared once in `OPTIONS` with its type, environment variable
and documentation; `digest config` prints them. Unknown keys in the file are
an error that names them, so a typo never passes silently.
"""

from __future__ import annotations

import os
import tomllib
from dataclasses import dataclass, fields, replace
from pathlib import Path
from typing import Any, Callable, Mapping

from .errors import ConfigError
from .summarize import SummaryOptions


@dataclass(frozen=True)
class Option:
    key: str  # dotted path in digest.toml: "summary.backend"
    attribute: str  # Config field
    parse: Callable[[Any], Any]
    doc: str

    @property
    def env(self) -> str:
        return "DIGEST_" + self.key.replace(".", "_").upper()


def _path(value: Any) -> Path | None:
    return Path(str(value)).expanduser() if value not in (None, "") else None


def _positive_int(value: Any) -> int:
    number = int(value)
    if number <= 0:
        raise ValueError("must be a positive integer")
    return number


def _text(value: Any) -> str:
    if not isinstance(value, (str, int, float)):
        raise ValueError("must be text")
    return str(value)


OPTIONS: tuple[Option, ...] = (
    Option("templates", "templates", _path,
           "Folder of your own templates, searched before the built-in ones; "
           "`{% extends \"default:daily.html.j2\" %}` extends a built-in one."),
    Option("lexicon", "lexicon", _path,
           "TOML file layered over the built-in category and importance lexicon."),
    Option("summary.backend", "summarizer", _text,
           "Summariser backend by name (see `digest summarize --list`)."),
    Option("summary.min_chars", "summary_min_chars", _positive_int,
           "A summary keeps adding whole sentences until it has this many characters."),
    Option("summary.max_chars", "summary_max_chars", _positive_int,
           "A summary never goes past this many characters (sentences are never cut)."),
    Option("summary.max_sentences", "summary_max_sentences", _positive_int,
           "At most this many sentences per summary."),
    Option("summary.headline_max_chars", "headline_max_chars", _positive_int,
           "Longest headline written from the lead when a post's own title is a teaser."),
    Option("email.from", "email_from", _text,
           "From address of email briefings; its domain also names the Message-ID."),
)


@dataclass(frozen=True)
class Config:
    templates: Path | None = None
    lexicon: Path | None = None
    summarizer: str = "extractive"
    summary_min_chars: int = 60
    summary_max_chars: int = 150
    summary_max_sentences: int = 3
    headline_max_chars: int = 40
    email_from: str = "digest <digest@localhost>"

    @property
    def summary_options(self) -> SummaryOptions:
        return SummaryOptions(
            min_chars=self.summary_min_chars,
            max_chars=self.summary_max_chars,
            max_sentences=self.summary_max_sentences,
            headline_max_chars=self.headline_max_chars,
        )


assert {o.attribute for o in OPTIONS} == {f.name for f in fields(Config)}, "every Config field needs an Option"


def load_config(
    path: str | Path | None = None,
    environ: Mapping[str, str] | None = None,
    overrides: Mapping[str, Any] | None = None,
) -> Config:
    """Layer the config file (`path`, else $DIGEST_CONFIG), the environment and flags."""
    environ = os.environ if environ is None else environ
    values: dict[str, Any] = {}
    path = path or environ.get("DIGEST_CONFIG")
    if path:
        values.update(_read_file(Path(path)))
    for option in OPTIONS:
        if option.env in environ:
            values[option.key] = environ[option.env]
    values.update({k: v for k, v in (overrides or {}).items() if v is not None})

    by_key = {o.key: o for o in OPTIONS}
    unknown = sorted(set(values) - set(by_key))
    if unknown:
        raise ConfigError(f"unknown config keys: {', '.join(unknown)}")
    changes = {}
    for key, value in values.items():
        option = by_key[key]
        try:
            changes[option.attribute] = option.parse(value)
        except (TypeError, ValueError) as exc:
            raise ConfigError(f"config key {key} = {value!r}: {exc}") from exc
    config = replace(Config(), **changes)
    if config.summary_min_chars > config.summary_max_chars:
        raise ConfigError("summary.min_chars is larger than summary.max_chars")
    return config


def _read_file(path: Path) -> dict[str, Any]:
    try:
        data = tomllib.loads(path.read_text(encoding="utf-8"))
    except FileNotFoundError:
        raise ConfigError(f"config file not found: {path}") from None
    except (OSError, tomllib.TOMLDecodeError) as exc:
        raise ConfigError(f"cannot read config file {path}: {exc}") from exc
    flat = _flatten(data)
    # Relative paths in the file are relative to the file, not to the cwd.
    for key in ("templates", "lexicon"):
        if key in flat and not Path(str(flat[key])).expanduser().is_absolute():
            flat[key] = str(path.parent / str(flat[key]))
    return flat


def _flatten(data: Mapping[str, Any], prefix: str = "") -> dict[str, Any]:
    flat: dict[str, Any] = {}
    for key, value in data.items():
        dotted = f"{prefix}{key}"
        if isinstance(value, Mapping):
            flat.update(_flatten(value, dotted + "."))
        else:
            flat[dotted] = value
    return flat


def describe_options() -> str:
    """Every key with its environment variable, default and meaning (for --help)."""
    defaults = Config()
    lines = []
    for option in OPTIONS:
        default = getattr(defaults, option.attribute)
        lines.append(f"{option.key} (${option.env}, default {default!r})\n    {option.doc}")
    return "\n".join(lines)
