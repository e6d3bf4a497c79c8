"""Configuration: defaults → config file → environment → command-line flags.

The options tree is `Config`: a few top-level keys, and one section per stage,
each declared next to the stage that uses it (`SummaryOptions` in
summarize/, `SmtpOptions` in deliver/smtp.py, …). Every key, its
environment variable, parsing and check come from those declarations
(`digest/options.py`); this module only layers them. Unknown keys in the file
are an error that names them, so a typo never passes silently.
"""

from __future__ import annotations

import json
import os
import tomllib
from dataclasses import dataclass, replace
from pathlib import Path
from typing import Any, Literal, Mapping

from .deliver.channels.options import ChannelOptions
from .deliver.smtp import SmtpOptions
from .deliver.wiki import WikiOptions
from .errors import ConfigError
from .options import Key, build, config_section, keys, section, sections, setting, value_at
from .parallel import RunOptions
from .render.email import EmailOptions
from .render.options import RenderOptions
from .sources.options import FeedOptions
from .render.site import SiteOptions, page_path_pattern
from .summarize import SummaryOptions

Source = Literal["default", "file", "env", "flag"]


def default_state_dir() -> Path:
    """$XDG_STATE_HOME/digest, else ~/.local/state/digest."""
    base = os.environ.get("XDG_STATE_HOME") or Path.home() / ".local" / "state"
    return Path(base) / "digest"


@config_section
class Config:
    """The root of the options tree."""

    templates: Path | None = setting(
        None, "Folder of your own templates, searched before the built-in ones; "
        "`{% extends \"default:daily.html.j2\" %}` extends a built-in one.")
    lexicon: Path | None = setting(None, "TOML file layered over the built-in category and importance lexicon.")
    inputs: tuple[str, ...] = setting(
        (), "Export files, folders or feed URLs `digest run-morning` reads when no --input is given.",
        key="input", file_relative=True)
    state_dir: Path | None = setting(
        None, "Where the send ledger and locks live (default: $XDG_STATE_HOME/digest or ~/.local/state/digest).")
    summary: SummaryOptions = section(SummaryOptions)
    render: RenderOptions = section(RenderOptions)
    email: EmailOptions = section(EmailOptions)
    smtp: SmtpOptions = section(SmtpOptions)
    wiki: WikiOptions = section(WikiOptions)
    feeds: FeedOptions = section(FeedOptions)
    channels: ChannelOptions = section(ChannelOptions)
    site: SiteOptions = section(SiteOptions)
    run: RunOptions = section(RunOptions)

    @property
    def ledger_dir(self) -> Path:
        return self.state_dir or default_state_dir()


KEYS: tuple[Key, ...] = tuple(keys(Config))
_BY_KEY = {k.key: k for k in KEYS}
_TABLES = {".".join(path) for path in sections(Config)}  # a section's attribute is its table's name


@dataclass(frozen=True)
class Setting:
    """One key's effective value and where it came from (`digest config`)."""

    key: Key
    value: Any
    source: Source


@dataclass(frozen=True)
class Resolved:
    config: Config
    settings: tuple[Setting, ...]


def load_config(
    path: str | Path | None = None,
    environ: Mapping[str, str] | None = None,
    overrides: Mapping[str, Any] | None = None,
) -> Config:
    """Layer the config file (`path`, else $DIGEST_CONFIG), the environment and flags."""
    return resolve(path, environ, overrides).config


def resolve(
    path: str | Path | None = None,
    environ: Mapping[str, str] | None = None,
    overrides: Mapping[str, Any] | None = None,
) -> Resolved:
    """The config and, for every key, its effective value and source.

    `overrides` are the flags, by dotted key; a None value is a flag not given.
    """
    environ = os.environ if environ is None else environ
    layers: dict[str, tuple[Any, Source]] = {}
    path = path or environ.get("DIGEST_CONFIG")
    if path:
        layers.update((key, (value, "file")) for key, value in _read_file(Path(path)).items())
    layers.update((k.key, (environ[k.env], "env")) for k in KEYS if k.env in environ)
    layers.update((key, (value, "flag")) for key, value in (overrides or {}).items() if value is not None)

    unknown = sorted(set(layers) - set(_BY_KEY))
    if unknown:
        raise ConfigError(f"unknown config keys: {', '.join(unknown)}")
    parsed: dict[tuple[str, ...], Any] = {}
    for dotted, (value, _) in layers.items():
        key = _BY_KEY[dotted]
        try:
            parsed[key.path] = key.parse(value)
        except ValueError as exc:
            raise ConfigError(f"config key {dotted} = {_quoted(key, value)}: {exc}") from None
    config = _linked(build(Config, parsed))
    settings = tuple(Setting(k, value_at(config, k.path), layers.get(k.key, (None, "default"))[1]) for k in KEYS)
    return Resolved(config, settings)


def _linked(config: Config) -> Config:
    """Emails and pushes link to a briefing's web page: `render.web_url` where it is set, else its
    page in the archive `digest site` writes, when `site.base_url` says where that is served."""
    if config.render.web_url or not config.site.base_url:
        return config
    pages = config.site.base_url.rstrip("/") + "/" + page_path_pattern()
    return replace(config, render=replace(config.render, web_url=pages))


def _quoted(key: Key, value: Any) -> str:
    return "(hidden)" if key.secret else repr(value)


def _read_file(path: Path) -> dict[str, Any]:
    try:
        data = tomllib.loads(path.read_text(encoding="utf-8"))
    except FileNotFoundError:
        raise ConfigError(f"config file not found: {path}") from None
    except (OSError, tomllib.TOMLDecodeError, UnicodeDecodeError) as exc:
        raise ConfigError(f"cannot read config file {path}: {exc}") from exc
    flat = _flatten(data)
    # Relative paths in the file are relative to the file, not to the cwd.
    for dotted, value in flat.items():
        key = _BY_KEY.get(dotted)
        if key is not None and key.is_path:
            flat[dotted] = _beside(path, value)
    return flat


def _beside(config_file: Path, value: Any) -> Any:
    if isinstance(value, list):
        return [_beside(config_file, item) for item in value]
    if not isinstance(value, str) or not value or "://" in value:  # a feed's URL is no path
        return value
    return value if Path(value).expanduser().is_absolute() else str(config_file.parent / value)


def _flatten(data: Mapping[str, Any], prefix: str = "") -> dict[str, Any]:
    flat: dict[str, Any] = {}
    for key, value in data.items():
        dotted = f"{prefix}{key}"
        if isinstance(value, Mapping) and dotted in _TABLES:
            flat.update(_flatten(value, dotted + "."))
        else:  # a table where no section is, too: reported as an unknown or mistyped key
            flat[dotted] = value
    return flat


def describe_options(resolved: Resolved | None = None) -> str:
    """Every key with its environment variable, value and meaning (`digest config`)."""
    resolved = resolved or resolve(environ={})
    lines = []
    for item in resolved.settings:
        key = item.key
        value = key.show(item.value)
        if key.key == "state_dir" and item.value is None:
            value = f"{default_state_dir()} (built in)"
        lines.append(f"{key.key} = {value}  ({item.source}, ${key.env})\n    {key.doc}")
    return "\n".join(lines)


def options_json(resolved: Resolved) -> str:
    """`digest config --json`: [{"key", "value", "source", "env", "doc"}], one per key."""
    rows = [{"key": s.key.key, "value": _json_value(s.key, s.value), "source": s.source, "env": s.key.env,
             "doc": s.key.doc} for s in resolved.settings]
    return json.dumps(rows, ensure_ascii=False, indent=2) + "\n"


def _json_value(key: Key, value: Any) -> Any:
    if key.secret and value not in (None, ""):
        return "(hidden)"
    if isinstance(value, tuple):
        return [_json_value(key, v) for v in value]
    if isinstance(value, Path):
        return str(value)
    if isinstance(value, float) and value in (float("inf"), float("-inf")):
        return key.show(value)  # JSON has no infinity
    return value
