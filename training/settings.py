"""The training config: one TOML file (training/config.toml), read into frozen sections.

Relative paths are relative to the repository root, so the same file works
here and on the device machine (which gets a copy of the working tree). An
unknown key is an error, so a typo never trains the wrong model.
"""

from __future__ import annotations

import hashlib
import json
import sys
import tomllib
from dataclasses import asdict, dataclass, field, fields, replace
from pathlib import Path
from typing import Any, Callable

from digest.errors import ConfigError, DigestError

REPO_ROOT = Path(__file__).resolve().parents[1]
CORPORA = ("lcsts", "xwlb", "sohu", "csl")


@dataclass(frozen=True)
class DataSettings:
    dir: str = "../shared/data"  # where lcsts_clge.jsonl and friends are
    prepared: str = "scratch/train/prepared"  # packed pairs + tokenizer; built from `dir` when missing
    corpora: tuple[str, ...] = CORPORA
    repeat: dict[str, int] = field(default_factory=dict)  # corpus -> copies per epoch (default 1)
    xwlb_headline_cap: int = 2  # 新闻联播 repeats some headlines hundreds of times
    max_source_chars: int = 400  # ~256 tokens; the rest never reaches the encoder
    max_target_chars: int = 64
    max_pairs: int = 0  # 0: all; a smoke test takes a few hundred
    # Drop pairs whose headline states a number its source lacks ("numbers"), or anything the
    # faithfulness guard rejects: a number, name or noun the source lacks ("guard"); "off" keeps all.
    faithful_targets: str = "numbers"


@dataclass(frozen=True)
class TokenizerSettings:
    vocab_size: int = 20000
    character_coverage: float = 0.99995
    max_piece_length: int = 4  # characters; see training/vocab.py


@dataclass(frozen=True)
class ModelSettings:
    d_model: int = 256
    encoder_layers: int = 4
    decoder_layers: int = 4
    attention_heads: int = 4
    ffn_dim: int = 1024
    max_source_tokens: int = 256
    max_target_tokens: int = 48
    dropout: float = 0.1
    attention_dropout: float = 0.1
    pointer: bool = False  # a pointer-generator head that copies source tokens (digest/summarize/pointer.py)


@dataclass(frozen=True)
class TrainSettings:
    work_dir: str = "scratch/train"  # checkpoints, logs and the best model so far
    device: str = "auto"  # auto | cpu | cuda
    threads: int = 0  # torch CPU threads; 0 leaves torch's default
    bf16: bool = True  # bf16 autocast (fp32 master weights): on a GPU, and on a CPU with AVX-512 bf16 (~2.5x)
    batch_size: int = 64
    lr: float = 7e-4
    min_lr_ratio: float = 0.1  # cosine decay ends at lr * this
    warmup_steps: int = 300
    max_steps: int = 6000
    max_minutes: float = 0.0  # stop early (then evaluate and export) after this long; 0: no limit
    weight_decay: float = 0.01
    label_smoothing: float = 0.1
    grad_clip: float = 1.0
    eval_every: int = 500
    eval_items: int = 300  # LCSTS val items scored during training; the final score uses all
    eval_beams: int = 1
    final_beams: int = 4
    checkpoint_every: int = 500
    keep_checkpoints: int = 2
    log_every: int = 50


@dataclass(frozen=True)
class ExportSettings:
    dir: str = "models/digest-bart-zh"
    name: str = "digest-bart-zh"
    card: str = "training/MODEL_CARD.md"  # copied beside the weights; "" for none


@dataclass(frozen=True)
class Settings:
    seed: int = 20260120
    data: DataSettings = DataSettings()
    tokenizer: TokenizerSettings = TokenizerSettings()
    model: ModelSettings = ModelSettings()
    train: TrainSettings = TrainSettings()
    export: ExportSettings = ExportSettings()

    def path(self, value: str) -> Path:
        path = Path(value).expanduser()
        return path if path.is_absolute() else REPO_ROOT / path

    def fingerprint(self, *sections: str) -> str:
        """A short hash of some sections: a checkpoint or a prepared folder fits only the config it came from."""
        chosen = {name: asdict(getattr(self, name)) if name != "seed" else self.seed for name in sections}
        if "data" in chosen:  # where the data lies is no part of what it is
            chosen["data"] = {k: v for k, v in chosen["data"].items() if k not in ("dir", "prepared")}
        return hashlib.sha256(json.dumps(chosen, sort_keys=True, default=list).encode()).hexdigest()[:16]


SECTIONS = {"data": DataSettings, "tokenizer": TokenizerSettings, "model": ModelSettings, "train": TrainSettings,
            "export": ExportSettings}


def load_settings(path: str | Path | None, overrides: dict[str, dict[str, Any]] | None = None) -> Settings:
    """Defaults, then the TOML file, then `overrides` ({"train": {"max_steps": 10}})."""
    raw: dict[str, Any] = tomllib.loads(Path(path).read_text(encoding="utf-8")) if path else {}
    for section, values in (overrides or {}).items():
        raw.setdefault(section, {}).update({k: v for k, v in values.items() if v is not None})
    unknown = sorted(set(raw) - set(SECTIONS) - {"seed"})
    if unknown:
        raise ConfigError(f"unknown config sections: {', '.join(unknown)}")
    settings = Settings(seed=int(raw.get("seed", Settings.seed)))
    for name, cls in SECTIONS.items():
        values = raw.get(name, {})
        known = {f.name: f for f in fields(cls)}
        bad = sorted(set(values) - set(known))
        if bad:
            raise ConfigError(f"unknown keys in [{name}]: {', '.join(bad)}")
        defaults = cls()
        converted = {key: _like(getattr(defaults, key), value, f"{name}.{key}") for key, value in values.items()}
        settings = replace(settings, **{name: replace(defaults, **converted)})
    if settings.data.faithful_targets not in ("off", "numbers", "guard"):
        raise ConfigError("data.faithful_targets must be off, numbers or guard")
    unknown_corpora = set(settings.data.corpora) - set(CORPORA)
    if unknown_corpora:
        raise ConfigError(f"unknown corpora: {', '.join(sorted(unknown_corpora))} (known: {', '.join(CORPORA)})")
    return settings


def exit_code_of(main: Callable[[], int]) -> int:
    """Run a training command's `main`; a DigestError is one line on stderr and its exit code."""
    try:
        return main()
    except DigestError as exc:
        print(f"training: error: {exc}", file=sys.stderr)
        return exc.exit_code


def _like(default: Any, value: Any, key: str) -> Any:
    """`value` in the type of the default, so `lr = 1` still trains with a float."""
    try:
        if isinstance(default, bool):
            return bool(value)
        if isinstance(default, tuple):
            return tuple(value)
        if isinstance(default, dict):
            return dict(value)
        return type(default)(value)
    except (TypeError, ValueError) as exc:
        raise ConfigError(f"{key} = {value!r}: {exc}") from None
