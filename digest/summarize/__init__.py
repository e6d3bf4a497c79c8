"""Summarise: one `Summarizer` protocol, every backend registered in one place.

A backend is a callable: `summarizer(article) -> Summary`. It is built by a
factory registered under a name, so the config can choose it by name and a
backend with heavy dependencies (torch) is imported only when chosen.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING, Callable, Protocol, Sequence

from ..errors import ConfigError
from ..records import CleanArticle, Summary

if TYPE_CHECKING:
    from .seq2seq_options import Seq2SeqOptions


@dataclass(frozen=True)
class SummaryOptions:
    """Length limits shared by every backend (characters, not tokens)."""

    min_chars: int = 60
    max_chars: int = 150
    max_sentences: int = 3
    headline_max_chars: int = 40
    model: Seq2SeqOptions | None = None  # the seq2seq backend's settings (summary.model.*)


class Summarizer(Protocol):
    name: str

    def __call__(self, article: CleanArticle) -> Summary: ...


SummarizerFactory = Callable[[SummaryOptions], Summarizer]


def summarize_all(summarizer: Summarizer, articles: Sequence[CleanArticle]) -> list[Summary]:
    """Every article's summary; in one batch when the backend can batch (`summarize_many`)."""
    batch = getattr(summarizer, "summarize_many", None)
    return list(batch(articles)) if batch else [summarizer(article) for article in articles]
_REGISTRY: dict[str, SummarizerFactory] = {}


def register(name: str) -> Callable[[SummarizerFactory], SummarizerFactory]:
    def decorate(factory: SummarizerFactory) -> SummarizerFactory:
        _REGISTRY[name] = factory
        return factory

    return decorate


def available() -> tuple[str, ...]:
    _load_builtin_backends()
    return tuple(sorted(_REGISTRY))


def get_summarizer(name: str, options: SummaryOptions | None = None) -> Summarizer:
    _load_builtin_backends()
    try:
        factory = _REGISTRY[name]
    except KeyError:
        raise ConfigError(f"unknown summarizer {name!r} (available: {', '.join(sorted(_REGISTRY))})") from None
    return factory(options or SummaryOptions())


def _load_builtin_backends() -> None:
    from . import extractive  # noqa: F401  (registers itself)
    from . import seq2seq  # noqa: F401  (registers itself; imports torch only when a model is loaded)
