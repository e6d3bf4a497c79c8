"""The seq2seq backend's settings (config section `[summary.model]`).

Apart from seq2seq.py so that the options tree can include them without
importing the backend (jieba, and the extractive backend it falls back on).
"""

from __future__ import annotations

from pathlib import Path
from typing import Literal

from ..options import at_least, at_most, config_section, setting

DEFAULT_MODEL_DIR = Path(__file__).resolve().parents[2] / "models" / "digest-bart-zh"
Device = Literal["auto", "cpu", "cuda"]


@config_section
class Seq2SeqOptions:
    """What the seq2seq backend loads and how it generates; the defaults suit a small Chinese BART on 2 CPU cores."""

    model_dir: Path | None = setting(
        None, "Local Hugging Face seq2seq model for the seq2seq backend (default: models/digest-bart-zh).",
        key="dir")
    device: Device = setting("auto", "Where the model runs; auto uses a GPU when torch sees one.")
    num_beams: int = setting(4, "Beam width of the model's search.", check=at_least(1))
    no_repeat_ngram_size: int = setting(
        3, "The model never repeats an n-gram of this many tokens (0: off; keep 3 or more for Chinese: "
        "a character vocabulary needs it to stop loops).", check=at_least(0))
    max_input_tokens: int = setting(
        256, "Model inputs are cut to this many tokens (and never past the model's own positions).",
        check=at_least(1))
    headline_max_new_tokens: int = setting(32, "Longest headline the model may write, in tokens.", check=at_least(1))
    summary_max_new_tokens: int = setting(
        64, "Longest compressed summary sentence the model may write, in tokens.", check=at_least(1))
    batch_size: int = setting(8, "Texts per model call.", check=at_least(1))
    # One: torch's default (a thread per core) ran 3x slower per headline when anything else
    # used a core (256 against 84 ms on 2 cores), and --workers runs a model per process.
    threads: int = setting(
        1, "CPU threads torch uses for the model in each process (0: torch's default, one per core).",
        check=at_least(0))
    # Shipped model on LCSTS val: +1.2 R1 and fewer invented words.
    source_bias: float = setting(
        4.0, "Log-probability taken off each token the input lacks: pulls the model towards copying (0: off).",
        check=at_least(0))
    # Keeps 天河三号 from becoming 天津三号: blind labels found fewer unfaithful headlines
    # (MODEL_CARD.md), LCSTS R2 +1.3.
    bigram_bias: float = setting(
        1.5, "Log-probability taken off a token that makes, with the token before it, a pair the input never "
        "has: keeps the input's words whole (0: off).", check=at_least(0))
    candidates: int = setting(
        4, "Beams offered to the faithfulness guard, best first; the first it accepts is shown.", check=at_least(1))
    # Off: rewritten as a headline, a sentence loses its date and document name (measured on
    # the seed posts: MODEL_CARD.md), which is what readers come for.
    compress: bool = setting(
        False, "The model also compresses each summary sentence (off: summaries are extracted sentences).")
    # -0.6 drops the shipped model's garbled headlines on the seed posts, though blind labels
    # found most of what it keeps still unfaithful (MODEL_CARD.md).
    min_score: float = setting(
        -0.6, "Candidates the model scores below this log-probability per token (less the source and bigram "
        "biases) are not shown (-inf: off).", check=at_most(0))


    @property
    def resolved_dir(self) -> Path:
        return Path(self.model_dir).expanduser() if self.model_dir else DEFAULT_MODEL_DIR
