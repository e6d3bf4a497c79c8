"""Configuration: defaults → config file → environment → command-line flags.

Every key is declared once in `OPTIONS` with its type, environment variable
and documentation; `digest config` prints them. Unknown keys in the file are
an error that names them, so a typo never passes silently.
"""

from __future__ import annotations

import math
import os
import tomllib
from dataclasses import dataclass, fields, replace
from pathlib import Path
from typing import Any, Callable, Mapping

from .errors import ConfigError
from .summarize import SummaryOptions
from .summarize.seq2seq_options import Seq2SeqOptions


@dataclass(frozen=True)
class Option:
    key: str  # dotted path in digest.toml: "summary.backend"
    attribute: str  # Config field
    parse: Callable[[Any], Any]
    doc: str
    env_name: str = ""  # when the variable is not DIGEST_ + the key

    @property
    def env(self) -> str:
        return self.env_name or "DIGEST_" + self.key.replace(".", "_").upper()


def _path(value: Any) -> Path | None:
    return Path(str(value)).expanduser() if value not in (None, "") else None


def _bounded(kind: Callable[[Any], Any], low: float, high: float | None, message: str) -> Callable[[Any], Any]:
    """A number parser that accepts only low <= value (<= high)."""

    def parse(value: Any) -> Any:
        number = kind(value)
        if isinstance(value, bool) or number < low or (high is not None and number > high):
            raise ValueError(message)
        return number

    return parse


_positive_int = _bounded(int, 1, None, "must be a positive integer")
_non_negative_int = _bounded(int, 0, None, "must be 0 or more")
_non_negative_float = _bounded(float, 0, None, "must not be negative")
_seconds = _non_negative_float
_port_number = _bounded(int, 1, 65535, "must be a port number (1-65535)")


def _text(value: Any) -> str:
    if not isinstance(value, (str, int, float)) or isinstance(value, bool):
        raise ValueError("must be text")
    return str(value)


def _optional_text(value: Any) -> str | None:
    return _text(value) or None


def _login_text(value: Any) -> str | None:
    text = _optional_text(value)
    if text and not text.isascii():
        raise ValueError("must be ASCII: Python's smtplib cannot send other characters in a login")
    return text


def _port(value: Any) -> int | None:
    return None if value in (None, "") else _port_number(value)


def _flag(value: Any) -> bool:
    if isinstance(value, bool):
        return value
    text = str(value).strip().lower()
    if text in ("1", "true", "yes", "on"):
        return True
    if text in ("0", "false", "no", "off", ""):
        return False
    raise ValueError("must be true or false")


def _choice(*choices: str) -> Callable[[Any], str]:
    def parse(value: Any) -> str:
        text = _text(value).strip().lower()
        if text not in choices:
            raise ValueError(f"must be one of {', '.join(choices)}")
        return text

    return parse


def _list(value: Any) -> tuple[str, ...]:
    """A TOML list, or comma-separated text (how environment variables carry lists)."""
    items = value if isinstance(value, list) else _text(value).split(",")
    return tuple(item.strip() for item in map(_text, items) if item.strip())


def _paths(value: Any) -> tuple[Path, ...]:
    return tuple(Path(item).expanduser() for item in _list(value))


def default_state_dir() -> Path:
    """$XDG_STATE_HOME/digest, else ~/.local/state/digest."""
    base = os.environ.get("XDG_STATE_HOME") or Path.home() / ".local" / "state"
    return Path(base) / "digest"


OPTIONS: tuple[Option, ...] = (
    Option("templates", "templates", _path,
           "Folder of your own templates, searched before the built-in ones; "
           "`{% extends \"default:daily.html.j2\" %}` extends a built-in one."),
    Option("lexicon", "lexicon", _path,
           "TOML file layered over the built-in category and importance lexicon."),
    Option("summary.backend", "summarizer", _text,
           "Summariser backend of the briefings by name: extractive, auto (the shipped model, else "
           "extractive) or seq2seq. Extractive by default: blind labels found most of the shipped model's "
           "headlines unfaithful (bench/headline_faithfulness.py)."),
    Option("summary.model.dir", "model_dir", _path,
           "Local Hugging Face seq2seq model for the seq2seq backend (default: models/digest-bart-zh)."),
    Option("summary.model.device", "model_device", _choice("auto", "cpu", "cuda"),
           "Where the model runs; auto uses a GPU when torch sees one."),
    Option("summary.model.num_beams", "model_num_beams", _positive_int, "Beam width of the model's search."),
    Option("summary.model.no_repeat_ngram_size", "model_no_repeat_ngram_size", _non_negative_int,
           "The model never repeats an n-gram of this many tokens (0: off; keep 3 or more for Chinese)."),
    Option("summary.model.max_input_tokens", "model_max_input_tokens", _positive_int,
           "Model inputs are cut to this many tokens (and never past the model's own positions)."),
    Option("summary.model.headline_max_new_tokens", "model_headline_max_new_tokens", _positive_int,
           "Longest headline the model may write, in tokens."),
    Option("summary.model.summary_max_new_tokens", "model_summary_max_new_tokens", _positive_int,
           "Longest compressed summary sentence the model may write, in tokens."),
    Option("summary.model.batch_size", "model_batch_size", _positive_int, "Texts per model call."),
    Option("summary.model.source_bias", "model_source_bias", _non_negative_float,
           "Log-probability taken off each token the input lacks: pulls the model towards copying (0: off)."),
    Option("summary.model.bigram_bias", "model_bigram_bias", _non_negative_float,
           "Log-probability taken off a token that makes, with the token before it, a pair the input never "
           "has: keeps the input's words whole (0: off)."),
    Option("summary.model.candidates", "model_candidates", _positive_int,
           "Beams offered to the faithfulness guard, best first; the first it accepts is shown."),
    Option("summary.model.min_score", "model_min_score", _bounded(float, -math.inf, 0, "must be 0 or less"),
           "Candidates the model scores below this log-probability per token are not shown (-inf: off)."),
    Option("summary.model.compress", "model_compress", _flag,
           "The model also compresses each summary sentence (off: summaries are extracted sentences)."),
    Option("summary.min_chars", "summary_min_chars", _positive_int,
           "A summary keeps adding whole sentences until it has this many characters."),
    Option("summary.max_chars", "summary_max_chars", _positive_int,
           "A summary never goes past this many characters (sentences are never cut)."),
    Option("summary.max_sentences", "summary_max_sentences", _positive_int,
           "At most this many sentences per summary."),
    Option("summary.headline_max_chars", "headline_max_chars", _positive_int,
           "Longest headline written from the lead when a post's own title is a teaser "
           "(one clause that reports the event may run 25% longer rather than fall back to the teaser)."),
    Option("input", "inputs", _paths,
           "Export files or folders `digest run-morning` reads when no --input is given."),
    Option("state_dir", "state_dir", _path,
           "Where the send ledger and locks live (default: $XDG_STATE_HOME/digest or ~/.local/state/digest)."),
    Option("email.from", "email_from", _text,
           "From address of email briefings; its domain also names the Message-ID.", "DIGEST_SMTP_FROM"),
    Option("email.to", "email_to", _list,
           "Recipients (a list, or comma-separated in the environment); several go in Bcc."),
    Option("email.unsubscribe_url", "unsubscribe_url", _optional_text,
           "An http(s) URL for List-Unsubscribe / List-Unsubscribe-Post (one-click) headers."),
    Option("email.empty_day", "empty_day", _choice("skip", "note"),
           "A period without posts: `skip` sends nothing, `note` sends a short 'no posts' message."),
    Option("smtp.host", "smtp_host", _text, "SMTP server host.", "DIGEST_SMTP_HOST"),
    Option("smtp.port", "smtp_port", _port,
           "SMTP port (default: 465 for ssl, 587 for starttls, 25 otherwise).", "DIGEST_SMTP_PORT"),
    Option("smtp.security", "smtp_security", _choice("none", "starttls", "ssl"),
           "Transport security: none, starttls or ssl.", "DIGEST_SMTP_SECURITY"),
    Option("smtp.user", "smtp_user", _login_text, "SMTP login name (no login when empty).", "DIGEST_SMTP_USER"),
    Option("smtp.password", "smtp_password", _login_text,
           "SMTP password: from the environment or the config file only, never a flag.", "DIGEST_SMTP_PASSWORD"),
    Option("smtp.timeout", "smtp_timeout", _seconds, "Seconds to wait for the server at each step."),
    Option("smtp.attempts", "smtp_attempts", _positive_int,
           "Tries for a temporary failure (4xx reply, dropped connection) before giving up."),
    Option("smtp.backoff", "smtp_backoff", _seconds,
           "Seconds before the first retry; doubled for each further retry."),
    Option("wiki.path", "wiki_path", _path, "The wiki's git work tree `digest publish` writes to."),
    Option("wiki.daily_page", "wiki_daily_page", _text,
           "Daily page path inside the wiki; placeholders {year} {month} {day} {date}."),
    Option("wiki.weekly_page", "wiki_weekly_page", _text,
           "Weekly page path inside the wiki; placeholders {year} {week_number} {week}."),
    Option("wiki.index_page", "wiki_index_page", _text, "The index page listing every briefing."),
    Option("wiki.push", "wiki_push", _flag, "Push after committing."),
    Option("wiki.remote", "wiki_remote", _text, "The remote to push to."),
    Option("wiki.lock_timeout", "wiki_lock_timeout", _seconds,
           "Seconds to wait for another run that holds the wiki's lock before giving up cleanly."),
)


# summary.model.* defaults are the backend's own, stated once in Seq2SeqOptions.
_MODEL = Seq2SeqOptions()


@dataclass(frozen=True)
class Config:
    templates: Path | None = None
    lexicon: Path | None = None
    summarizer: str = "extractive"
    summary_min_chars: int = 60
    summary_max_chars: int = 150
    summary_max_sentences: int = 3
    headline_max_chars: int = 40
    model_dir: Path | None = _MODEL.model_dir
    model_device: str = _MODEL.device
    model_num_beams: int = _MODEL.num_beams
    model_no_repeat_ngram_size: int = _MODEL.no_repeat_ngram_size
    model_max_input_tokens: int = _MODEL.max_input_tokens
    model_headline_max_new_tokens: int = _MODEL.headline_max_new_tokens
    model_summary_max_new_tokens: int = _MODEL.summary_max_new_tokens
    model_batch_size: int = _MODEL.batch_size
    model_source_bias: float = _MODEL.source_bias
    model_bigram_bias: float = _MODEL.bigram_bias
    model_candidates: int = _MODEL.candidates
    model_compress: bool = _MODEL.compress
    model_min_score: float = _MODEL.min_score
    inputs: tuple[Path, ...] = ()
    state_dir: Path | None = None
    email_from: str = "digest <digest@localhost>"
    email_to: tuple[str, ...] = ()
    unsubscribe_url: str | None = None
    empty_day: str = "skip"
    smtp_host: str = "localhost"
    smtp_port: int | None = None
    smtp_security: str = "none"
    smtp_user: str | None = None
    smtp_password: str | None = None
    smtp_timeout: float = 30.0
    smtp_attempts: int = 3
    smtp_backoff: float = 2.0
    wiki_path: Path | None = None
    wiki_daily_page: str = "daily/{year}/{month}/{date}.md"
    wiki_weekly_page: str = "weekly/{week}.md"
    wiki_index_page: str = "index.md"
    wiki_push: bool = False
    wiki_remote: str = "origin"
    wiki_lock_timeout: float = 60.0

    @property
    def ledger_dir(self) -> Path:
        return self.state_dir or default_state_dir()

    @property
    def port(self) -> int:
        return self.smtp_port or {"ssl": 465, "starttls": 587}.get(self.smtp_security, 25)

    @property
    def summary_options(self) -> SummaryOptions:
        return SummaryOptions(
            min_chars=self.summary_min_chars,
            max_chars=self.summary_max_chars,
            max_sentences=self.summary_max_sentences,
            headline_max_chars=self.headline_max_chars,
            model=Seq2SeqOptions(
                model_dir=self.model_dir,
                device=self.model_device,
                num_beams=self.model_num_beams,
                no_repeat_ngram_size=self.model_no_repeat_ngram_size,
                max_input_tokens=self.model_max_input_tokens,
                headline_max_new_tokens=self.model_headline_max_new_tokens,
                summary_max_new_tokens=self.model_summary_max_new_tokens,
                batch_size=self.model_batch_size,
                source_bias=self.model_source_bias,
                bigram_bias=self.model_bigram_bias,
                candidates=self.model_candidates,
                compress=self.model_compress,
                min_score=self.model_min_score,
            ),
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
    for key in ("templates", "lexicon", "state_dir", "wiki.path", "summary.model.dir"):
        if key in flat and not Path(str(flat[key])).expanduser().is_absolute():
            flat[key] = str(path.parent / str(flat[key]))
    if "input" in flat:
        flat["input"] = [str(p if Path(p).expanduser().is_absolute() else path.parent / p) for p in _list(flat["input"])]
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
        if option.attribute == "state_dir":
            default = str(default_state_dir())
        lines.append(f"{option.key} (${option.env}, default {default!r})\n    {option.doc}")
    return "\n".join(lines)
