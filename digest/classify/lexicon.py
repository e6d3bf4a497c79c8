"""The category and importance lexicon: packaged TOML defaults, user file on top."""

from __future__ import annotations

import tomllib
from dataclasses import dataclass, field
from importlib import resources
from pathlib import Path
from types import MappingProxyType
from typing import Any, Mapping

from ..errors import ConfigError
from ..records import CATEGORIES


@dataclass(frozen=True)
class Signal:
    """An importance signal: points per term; a story scores its best `best_of` terms."""

    terms: Mapping[str, float]
    best_of: int = 2

    def points(self, text: str) -> float:
        hits = sorted((points for term, points in self.terms.items() if term in text), reverse=True)
        return sum(hits[: self.best_of])


@dataclass(frozen=True)
class Tuning:
    """How the classifier weighs its evidence (the lexicon's [classify] table)."""

    min_score: float = 6.0  # below this for every category: the catch-all, society
    learned_scale: float = 1.5  # lexicon points per unit of learned log-likelihood ratio
    # Weather that disrupts transport is weather: a transport story with this many weather points.
    weather_first: float = 12.0
    prior: Mapping[str, float] = field(default_factory=lambda: MappingProxyType({}))  # category -> points


@dataclass(frozen=True)
class Lexicon:
    terms: Mapping[str, Mapping[str, float]]  # category -> term -> weight
    tuning: Tuning
    signals: Mapping[str, Signal]
    events: Mapping[str, tuple[str, ...]]  # event key -> terms that name it

    def all_terms(self) -> tuple[str, ...]:
        words = {t for weights in self.terms.values() for t in weights}
        words.update(t for signal in self.signals.values() for t in signal.terms)
        words.update(t for terms in self.events.values() for t in terms)
        return tuple(sorted(words))


def default_lexicon_text() -> str:
    return resources.files(__package__).joinpath("lexicon.toml").read_text(encoding="utf-8")


def load_lexicon(user_file: str | Path | None = None) -> Lexicon:
    """The packaged lexicon, with `user_file` (if any) layered over it."""
    data = tomllib.loads(default_lexicon_text())
    if user_file:
        try:
            user = tomllib.loads(Path(user_file).read_text(encoding="utf-8"))
        except (OSError, tomllib.TOMLDecodeError) as exc:
            raise ConfigError(f"cannot read lexicon {user_file}: {exc}") from exc
        data = _layer(data, user, str(user_file))
    return _build(data)


def _layer(base: dict[str, Any], user: dict[str, Any], origin: str) -> dict[str, Any]:
    unknown = set(user) - {"categories", "classify", "signals", "events"}
    if unknown:
        raise ConfigError(f"{origin}: unknown lexicon tables: {', '.join(sorted(unknown))}")
    merged = {key: dict(value) for key, value in base.items()}
    for name, table in user.get("categories", {}).items():
        if name not in CATEGORIES:
            raise ConfigError(f"{origin}: unknown category {name!r} (known: {', '.join(CATEGORIES)})")
        target = dict(merged["categories"][name])
        target["terms"] = {**target.get("terms", {}), **table.get("terms", {})}
        merged["categories"][name] = target
    user_classify = dict(user.get("classify", {}))
    prior = {**merged["classify"].get("prior", {}), **user_classify.pop("prior", {})}
    merged["classify"] = {**merged["classify"], **user_classify, "prior": prior}
    for name, table in user.get("signals", {}).items():
        current = dict(merged["signals"].get(name, {"terms": {}}))
        current["terms"] = {**current.get("terms", {}), **table.get("terms", {})}
        if "best_of" in table:
            current["best_of"] = table["best_of"]
        merged["signals"][name] = current
    for name, table in user.get("events", {}).items():
        current = merged.setdefault("events", {}).get(name, {"terms": []})
        merged["events"][name] = {"terms": list(dict.fromkeys([*current["terms"], *table.get("terms", [])]))}
    return merged


def _tuning(table: dict[str, Any]) -> Tuning:
    prior = table.get("prior", {})
    unknown = set(prior) - set(CATEGORIES) if isinstance(prior, dict) else {"(not a table)"}
    if unknown:
        raise ConfigError(f"lexicon: [classify.prior] has unknown categories: {', '.join(sorted(unknown))}")
    try:
        return Tuning(
            min_score=float(table.get("min_score", 0)),
            learned_scale=float(table.get("learned_scale", 1.5)),
            weather_first=float(table.get("weather_first", 12.0)),
            prior=MappingProxyType({c: float(prior[c]) for c in CATEGORIES if c in prior}),
        )
    except (TypeError, ValueError) as exc:
        raise ConfigError(f"lexicon: [classify] values must be numbers ({exc})") from exc


def _build(data: dict[str, Any]) -> Lexicon:
    terms = {}
    for category in CATEGORIES:
        table = data.get("categories", {}).get(category, {}).get("terms", {})
        try:
            terms[category] = MappingProxyType({t: float(w) for t, w in table.items() if float(w) != 0})
        except (TypeError, ValueError) as exc:
            raise ConfigError(f"lexicon: category {category} has a non-numeric weight") from exc
    try:
        signals = {
            name: Signal(
                terms=MappingProxyType({t: float(p) for t, p in table.get("terms", {}).items() if float(p) != 0}),
                best_of=int(table.get("best_of", 2)),
            )
            for name, table in sorted(data.get("signals", {}).items())
        }
    except (TypeError, ValueError, AttributeError) as exc:
        raise ConfigError(f"lexicon: signals need a table of term = points ({exc})") from exc
    return Lexicon(
        terms=MappingProxyType(terms),
        tuning=_tuning(data.get("classify", {})),
        signals=MappingProxyType(signals),
        events=MappingProxyType(
            {name: tuple(table["terms"]) for name, table in sorted(data.get("events", {}).items())}
        ),
    )
