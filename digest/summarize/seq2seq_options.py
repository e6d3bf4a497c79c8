"""The seq2seq backend's settings (config keys `summary.model.*`).

Apart from seq2seq.py so that digest/config.py can build them without
importing the backend (jieba, and the extractive backend it falls back on).
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from ..errors import ConfigError

DEFAULT_MODEL_DIR = Path(__file__).resolve().parents[2] / "models" / "digest-bart-zh"
DEVICES = ("auto", "cpu", "cuda")


@dataclass(frozen=True)
class Seq2SeqOptions:
    """Config keys `summary.model.*`; the defaults suit a small Chinese BART on 2 CPU cores."""

    model_dir: Path | None = None  # None: the model shipped in models/
    device: str = "auto"  # auto: cuda when torch sees a GPU, else cpu
    num_beams: int = 4
    no_repeat_ngram_size: int = 3  # >= 3: a character vocabulary needs it to stop loops
    max_input_tokens: int = 256  # inputs are cut here (and never past the model's positions)
    headline_max_new_tokens: int = 32
    summary_max_new_tokens: int = 64
    batch_size: int = 8
    # Log-probability taken off every token the input does not contain: a soft pull
    # towards copying (LCSTS val, shipped model: +1.2 R1, fewer invented words); 0: off.
    source_bias: float = 4.0
    # Taken off a token that, after the one before it, makes a pair the input never
    # has: the model keeps the post's words whole instead of joining copied
    # characters into new ones (天河三号 -> 天津三号). Shipped model: blind labels
    # found fewer unfaithful headlines (MODEL_CARD.md), LCSTS R2 +1.3; 0: off.
    bigram_bias: float = 1.5
    # Beams kept as candidates; the first the faithfulness guard accepts is shown.
    candidates: int = 4
    # Let the model compress each extracted summary sentence. Off: the shipped model
    # writes headlines, and rewritten as one, a sentence loses its date and document
    # name (measured on the seed posts: MODEL_CARD.md), which is what readers come for.
    compress: bool = False
    # A candidate scored below this per token (log-probability, less the source and
    # bigram biases) is not shown: the model is guessing. -0.6 drops the shipped
    # model's garbled headlines on the seed posts, though blind labels found most of
    # what it keeps still unfaithful (MODEL_CARD.md); -inf shows every candidate.
    min_score: float = -0.6

    def __post_init__(self) -> None:
        if self.device not in DEVICES:
            raise ConfigError(f"summary.model.device must be one of {', '.join(DEVICES)}, not {self.device!r}")
        for name in ("num_beams", "max_input_tokens", "headline_max_new_tokens", "summary_max_new_tokens",
                     "batch_size", "candidates"):
            if int(getattr(self, name)) < 1:
                raise ConfigError(f"summary.model.{name} must be a positive integer")
        if self.min_score > 0:
            raise ConfigError("summary.model.min_score is a log-probability: 0 or less")
        for name in ("source_bias", "bigram_bias"):
            if getattr(self, name) < 0:
                raise ConfigError(f"summary.model.{name} must be 0 (off) or more")
        if self.no_repeat_ngram_size < 0:
            raise ConfigError("summary.model.no_repeat_ngram_size must be 0 (off) or more")

    @property
    def resolved_dir(self) -> Path:
        return Path(self.model_dir).expanduser() if self.model_dir else DEFAULT_MODEL_DIR
