"""Settings declared once, next to the stage that uses them.

A stage's options are a frozen dataclass whose fields are `setting(...)`s: the
default, the one-line doc, and any check beyond the type. Sections nest
(`summary.model.*` is `SummaryOptions.model`). From those declarations alone
`digest.config` derives the dotted keys, the environment variables, the
parsing and validation, the layering (defaults → file → environment → flags)
and the `digest config` listing, so adding a setting is one field in one file:

    @config_section
    class FeedOptions:
        timeout: float = setting(20.0, "Seconds to wait for a feed server.", check=at_least(0))
"""

from __future__ import annotations

import dataclasses
import math
import types
import typing
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Callable, Iterator, Literal, Mapping

Check = Callable[[Any], None]  # raises ValueError with a message that completes "key = value: ..."


def setting(
    default: Any,
    doc: str,
    *,
    check: Check | None = None,
    key: str | None = None,
    env: str | None = None,
    secret: bool = False,
    file_relative: bool = False,
) -> Any:
    """A field that is a config key.

    key: the name in the config file when the attribute cannot be it (`from`).
    env: the environment variable when it is not DIGEST_ + the dotted key.
    secret: its value is never shown (`digest config`, error messages).
    file_relative: a relative value in the config file is relative to that file, as a Path's is.
    """
    meta = {"doc": doc, "check": check, "key": key, "env": env, "secret": secret, "file_relative": file_relative}
    return field(default=default, metadata={"digest.setting": meta})


def config_section(cls: type) -> type:
    """Make `cls` a section of settings: a frozen dataclass whose values are checked when it is
    built (`validate`), then by the class's own `__post_init__`, if it has one, for what spans
    several keys (summary.min_chars <= summary.max_chars)."""
    own_check = cls.__dict__.get("__post_init__")

    def __post_init__(self: Any) -> None:
        validate(self)
        if own_check is not None:
            own_check(self)

    cls.__post_init__ = __post_init__  # type: ignore[attr-defined]
    return dataclass(frozen=True)(cls)


def section(options_class: type, doc: str = "") -> Any:
    """A field that holds a nested section of settings (`[summary.model]`)."""
    return field(default_factory=options_class, metadata={"digest.section": doc})


# Checks: each raises ValueError with the reason, never the value (it may be a secret).

def at_least(low: float) -> Check:
    def check(value: Any) -> None:
        if value is not None and value < low:
            raise ValueError("must be a positive integer" if low == 1 else f"must be {low:g} or more")
    return check


def at_most(high: float) -> Check:
    def check(value: Any) -> None:
        if value is not None and value > high:
            raise ValueError(f"must be {high:g} or less")
    return check


def between(low: float, high: float, what: str) -> Check:
    def check(value: Any) -> None:
        if value is not None and not low <= value <= high:
            raise ValueError(f"must be {what} ({low:g}-{high:g})")
    return check


def http_url(value: Any) -> None:
    """A check: an absolute http(s) URL as `ingest.safe_url` accepts it. The reason never repeats
    the value (a webhook's URL holds the bot's key)."""
    from .ingest import safe_url

    if value not in (None, "") and not safe_url(str(value)):
        raise ValueError("must be an http(s) URL")


@dataclass(frozen=True)
class Key:
    """One config key as the loader sees it, derived from a `setting` field."""

    key: str  # dotted: "summary.model.num_beams"
    path: tuple[str, ...]  # attribute names from the root: ("summary", "model", "num_beams")
    kind: Any  # the field's type annotation, resolved
    default: Any
    doc: str
    env: str
    check: Check | None
    secret: bool
    file_relative: bool = False

    @property
    def is_path(self) -> bool:
        """Whether a relative value in the config file is taken relative to that file."""
        kinds = (*_members(self.kind), *typing.get_args(self.kind))
        return self.file_relative or any(Path in _members(kind) for kind in kinds)

    def parse(self, value: Any) -> Any:
        """`value` (from TOML, the environment or a flag) as this key's type; ValueError if it is not."""
        parsed = _parse(self.kind, value)
        if self.check is not None:
            self.check(parsed)
        return parsed

    def show(self, value: Any) -> str:
        """The value as `digest config` and error messages print it."""
        if self.secret and value not in (None, ""):
            return "(hidden)"
        return _show(value)


def keys(root: type, prefix: tuple[str, ...] = ()) -> Iterator[Key]:
    """Every config key under the options class `root`, depth first, in declaration order."""
    hints = typing.get_type_hints(root)
    for item in dataclasses.fields(root):
        if "digest.section" in item.metadata:
            name = item.name
            yield from keys(hints[item.name], (*prefix, name))
            continue
        meta = item.metadata.get("digest.setting")
        if meta is None:
            continue
        names = (*prefix, meta["key"] or item.name)
        dotted = ".".join(names)
        yield Key(
            key=dotted,
            path=(*prefix, item.name),
            kind=hints[item.name],
            default=item.default,
            doc=meta["doc"],
            env=meta["env"] or "DIGEST_" + dotted.replace(".", "_").upper(),
            check=meta["check"],
            secret=meta["secret"],
            file_relative=meta["file_relative"],
        )


def sections(root: type, prefix: tuple[str, ...] = ()) -> Iterator[tuple[str, ...]]:
    """The attribute paths of every nested section (for the TOML tables a file may have)."""
    hints = typing.get_type_hints(root)
    for item in dataclasses.fields(root):
        if "digest.section" in item.metadata:
            yield (*prefix, item.name)
            yield from sections(hints[item.name], (*prefix, item.name))


def build(root: type, values: Mapping[tuple[str, ...], Any]) -> Any:
    """An instance of `root` with the given attribute paths set; the rest keep their defaults."""
    hints = typing.get_type_hints(root)
    changes: dict[str, Any] = {}
    for item in dataclasses.fields(root):
        if "digest.section" in item.metadata:
            inner = {path[1:]: v for path, v in values.items() if path[0] == item.name}
            if inner:
                changes[item.name] = build(hints[item.name], inner)
        elif (item.name,) in values:
            changes[item.name] = values[(item.name,)]
    return root(**changes)


def value_at(options: Any, path: tuple[str, ...]) -> Any:
    for name in path:
        options = getattr(options, name)
    return options


# Parsing by type annotation -------------------------------------------------

def _members(kind: Any) -> tuple[Any, ...]:
    if typing.get_origin(kind) in (typing.Union, types.UnionType):
        return typing.get_args(kind)
    return (kind,)


def _parse(kind: Any, value: Any) -> Any:
    members = _members(kind)
    if type(None) in members:
        if value is None or value == "":
            return None
        (kind,) = [m for m in members if m is not type(None)]
    origin = typing.get_origin(kind)
    if origin is Literal:
        text = _text(value).strip().lower()
        choices = typing.get_args(kind)
        if text not in choices:
            raise ValueError(f"must be one of {', '.join(choices)}")
        return text
    if origin is tuple:
        (item_kind, _) = typing.get_args(kind)
        items = value if isinstance(value, (list, tuple)) else _text(value).split(",")
        return tuple(_parse(item_kind, item.strip()) for item in map(_text, items) if item.strip())
    if kind is bool:
        return _flag(value)
    if kind is int:
        if isinstance(value, bool) or (isinstance(value, float) and not value.is_integer()):
            raise ValueError("must be an integer")
        try:
            return int(value)
        except (TypeError, ValueError):
            raise ValueError("must be an integer") from None
    if kind is float:
        if isinstance(value, bool):
            raise ValueError("must be a number")
        try:
            number = float(value)
        except (TypeError, ValueError):
            raise ValueError("must be a number") from None
        if math.isnan(number):
            raise ValueError("must be a number")
        return number
    if kind is str:
        return _text(value)
    if kind is Path:
        return Path(_text(value)).expanduser()
    raise TypeError(f"no parser for settings of type {kind!r}")


def _text(value: Any) -> str:
    if not isinstance(value, (str, int, float)) or isinstance(value, bool):
        raise ValueError("must be text")
    return str(value)


def _flag(value: Any) -> bool:
    if isinstance(value, bool):
        return value
    text = str(value).strip().lower()
    if text in ("1", "true", "yes", "on"):
        return True
    if text in ("0", "false", "no", "off", ""):
        return False
    raise ValueError("must be true or false")


def _show(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, tuple):
        return ", ".join(_show(v) for v in value)
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, float) and math.isinf(value):
        return "-inf" if value < 0 else "inf"
    return str(value)


def validate(options: Any) -> None:
    """Run every setting's check on an options object built in code (the loader checks before it builds).

    `@config_section` calls it; the error names the attribute, never a secret's value.
    """
    from .errors import ConfigError

    hints = typing.get_type_hints(type(options))
    for item in dataclasses.fields(options):
        meta = item.metadata.get("digest.setting")
        if meta is None:
            continue
        value = getattr(options, item.name)
        choices = [typing.get_args(m) for m in _members(hints[item.name]) if typing.get_origin(m) is Literal]
        try:
            if choices and value is not None and value not in choices[0]:
                raise ValueError(f"must be one of {', '.join(choices[0])}")
            if meta["check"] is not None:
                meta["check"](value)
        except ValueError as exc:
            shown = "(hidden)" if meta["secret"] else repr(value)
            raise ConfigError(f"{meta['key'] or item.name} = {shown}: {exc}") from None
