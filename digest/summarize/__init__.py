"""Summarise: one `Summarizer` protocol, every backend registered in one place.

A backend is a callable: `summarizer(article) -> Summary`. It is built by a
factory registered under a name, so the config can choose it by name and a
backend with heavy dependencies (torch) is imported only when chosen.
"""

from __future__ import annotations

from typing import Callable, Protocol, Sequence

from ..errors import ConfigError
from ..options import at_least, config_section, section, setting
from ..records import CleanArticle, Summary
from .seq2seq_options import Seq2SeqOptions


@config_section
class SummaryOptions:
    """Config section `[summary]`: the backend and the limits every backend keeps (characters, not tokens)."""

    # Extractive by default: blind labels found most of the shipped model's headlines
    # unfaithful (bench/headline_faithfulness.py).
    backend: str = setting(
        "extractive", "Summariser backend of the briefings by name: extractive, auto (the shipped model, else "
        "extractive) or seq2seq.")
    min_chars: int = setting(
        60, "A summary keeps adding whole sentences until it has this many characters.", check=at_least(1))
    max_chars: int = setting(
        150, "A summary never goes past this many characters (sentences are never cut).", check=at_least(1))
    max_sentences: int = setting(3, "At most this many sentences per summary.", check=at_least(1))
    headline_max_chars: int = setting(
        40, "Longest headline written from the lead when a post's own title is a teaser (one clause that "
        "reports the event may run 25% longer rather than fall back to the teaser).", check=at_least(1))
    model: Seq2SeqOptions = section(Seq2SeqOptions, "The seq2seq backend's model and decoding.")

    def __post_init__(self) -> None:
        if self.min_chars > self.max_chars:
            raise ConfigError("summary.min_chars is larger than summary.max_chars")


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


def get_summarizer(name: str | None = None, options: SummaryOptions | None = None) -> Summarizer:
    """The backend `name` (default: the options' own `backend`), built with `options`."""
    options = options or SummaryOptions()
    name = name or options.backend
    _load_builtin_backends()
    try:
        factory = _REGISTRY[name]
    except KeyError:
        raise ConfigError(f"unknown summarizer {name!r} (available: {', '.join(sorted(_REGISTRY))})") from None
    return factory(options)


def _load_builtin_backends() -> None:
    from . import extractive  # noqa: F401  (registers itself)
    from . import seq2seq  # noqa: F401  (registers itself; imports torch only when a model is loaded)
