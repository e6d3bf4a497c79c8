"""Any local Hugging Face seq2seq model, loaded and generating clean Chinese text.

    Seq2SeqModel  a local directory (BART/mBART, T5/mT5, Pegasus, EncoderDecoder)
                  with its tokenizer: batched, truncated, beam-searched generation,
                  steered towards the source (decoding.py), spaces between CJK
                  characters stripped
    Candidate     one returned beam and its per-token score

torch and transformers are imported only when a model is loaded.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass
from typing import Any, Sequence

from ..errors import ModelError
from .cjk import fold_full_width, strip_cjk_spaces
from .decoding import SourceBias, SourceBigramBias
from .seq2seq_options import Seq2SeqOptions

log = logging.getLogger("digest")

MODES = ("headline", "summary")
TOKENIZER_FILES = ("tokenizer.json", "tokenizer_config.json", "vocab.txt", "spiece.model", "sentencepiece.bpe.model",
                   "vocab.json")


@dataclass(frozen=True)
class Candidate:
    text: str
    score: float  # per token, as beam search ranked it: log-probability less the source and bigram biases (0 is certain)


class Seq2SeqModel:
    """A loaded model and tokenizer; `generate_batch(texts, mode)` -> one clean string per text."""

    def __init__(self, model: Any, tokenizer: Any, options: Seq2SeqOptions, device: str) -> None:
        self.model = model
        self.tokenizer = tokenizer
        self.options = options
        self.device = device
        config = model.config
        encoder_config = getattr(config, "encoder", config) if config.model_type == "encoder-decoder" else config
        decoder_config = getattr(config, "decoder", config) if config.model_type == "encoder-decoder" else config
        # Learned position tables end somewhere: an input past them is an index error, not a long summary.
        limits = [options.max_input_tokens, _position_limit(encoder_config)]
        if isinstance(tokenizer.model_max_length, int) and tokenizer.model_max_length < 1_000_000:
            limits.append(tokenizer.model_max_length)
        self.input_limit = min(x for x in limits if x)
        self.output_limit = (_position_limit(decoder_config) or 1_000_000) - 2
        self._special = _generation_ids(model, tokenizer)
        # The end token is never in the source text, yet a headline must be able to end.
        self._allowed_anywhere = [i for key in ("eos_token_id", "pad_token_id") for i in _ids(self._special[key])]

    @classmethod
    def load(cls, options: Seq2SeqOptions) -> Seq2SeqModel:
        directory = options.resolved_dir
        if not directory.is_dir():
            raise ModelError(
                f"no model directory at {directory}: set summary.model.dir to a local Hugging Face "
                "seq2seq model, or use the extractive summariser"
            )
        if not (directory / "config.json").is_file():
            raise ModelError(f"{directory} is not a Hugging Face model directory (no config.json)")
        if not any((directory / name).is_file() for name in TOKENIZER_FILES):
            # transformers would otherwise make up an empty tokenizer from the config and write nonsense.
            raise ModelError(f"{directory} has no tokenizer (none of {', '.join(TOKENIZER_FILES)})")
        try:
            import torch
            from transformers import AutoConfig, AutoModelForSeq2SeqLM, AutoTokenizer, EncoderDecoderModel
            from . import pointer  # noqa: F401  (registers digest's own pointer-generator BART)
        except ImportError as exc:
            raise ModelError(f"the seq2seq summariser needs torch and transformers ({exc})") from exc
        from transformers.utils import logging as hf_logging

        # transformers draws progress bars on stderr while loading: noise in a CLI's output.
        hf_logging.disable_progress_bar()
        device = _pick_device(options.device, torch)
        if options.threads and device == "cpu":
            torch.set_num_threads(options.threads)
        try:
            config = AutoConfig.from_pretrained(directory, local_files_only=True)
            # An encoder-decoder pair (e.g. BERT2BERT) has its own class and no single
            # architecture for the Auto class to go by.
            loader = EncoderDecoderModel if config.model_type == "encoder-decoder" else AutoModelForSeq2SeqLM
            model = loader.from_pretrained(directory, local_files_only=True)
            tokenizer = AutoTokenizer.from_pretrained(directory, local_files_only=True)
        except (OSError, ValueError, KeyError, TypeError, AttributeError) as exc:
            raise ModelError(f"cannot load the model in {directory}: {exc}") from exc
        if not model.config.is_encoder_decoder:
            raise ModelError(f"{directory} holds a {config.model_type} model, not an encoder-decoder (seq2seq) one")
        embeddings = model.get_input_embeddings().num_embeddings
        if len(tokenizer) > embeddings:
            raise ModelError(f"{directory}: the tokenizer has {len(tokenizer)} tokens, the model only {embeddings}")
        model.to(device).eval()
        log.info("seq2seq: %s (%s) on %s", directory, config.model_type, device)
        return cls(model, tokenizer, options, device)

    def generate_batch(self, texts: Sequence[str], mode: str) -> list[str]:
        """The best beam for each text; long texts are truncated to `input_limit` tokens."""
        return [candidates[0].text for candidates in self.generate_candidates(texts, mode, 1)]

    def generate_candidates(self, texts: Sequence[str], mode: str, count: int | None = None) -> list[list[Candidate]]:
        """Up to `count` beams per text (default: options.candidates), best first."""
        if mode not in MODES:
            raise ValueError(f"mode must be one of {MODES}, not {mode!r}")
        import torch

        wanted = self.options.headline_max_new_tokens if mode == "headline" else self.options.summary_max_new_tokens
        max_new_tokens = max(1, min(wanted, self.output_limit))
        beams = self.options.num_beams
        returned = max(1, min(count or self.options.candidates, beams))
        results: list[list[Candidate]] = []
        size = self.options.batch_size
        for start in range(0, len(texts), size):
            chunk = [fold_full_width(t) for t in texts[start : start + size]]
            encoded = self.tokenizer(chunk, padding=True, truncation=True, max_length=self.input_limit,
                                     return_tensors="pt")
            input_ids = encoded["input_ids"].to(self.device)
            attention_mask = encoded["attention_mask"].to(self.device)
            processors = []
            if self.options.source_bias:
                processors.append(SourceBias(input_ids, attention_mask, self.options.source_bias,
                                             self._allowed_anywhere))
            if self.options.bigram_bias:
                processors.append(SourceBigramBias(input_ids, attention_mask, self.options.bigram_bias,
                                                   self._allowed_anywhere))
            with torch.inference_mode():
                output = self.model.generate(
                    input_ids=input_ids,
                    attention_mask=attention_mask,
                    num_beams=beams,
                    num_return_sequences=returned,
                    no_repeat_ngram_size=self.options.no_repeat_ngram_size,
                    max_new_tokens=max_new_tokens,
                    # A checkpoint tuned for long news summaries may ask for 50+ tokens: not for a headline.
                    min_length=0,
                    do_sample=False,
                    early_stopping=beams > 1,  # only beams can stop early
                    logits_processor=processors,
                    return_dict_in_generate=True,
                    output_scores=True,
                    **self._special,
                )
            decoded = self.tokenizer.batch_decode(output.sequences, skip_special_tokens=True,
                                                  clean_up_tokenization_spaces=False)
            scores = _per_token_scores(output, self._special["pad_token_id"])
            found = [Candidate(strip_cjk_spaces(text), score) for text, score in zip(decoded, scores)]
            results.extend(found[k : k + returned] for k in range(0, len(found), returned))
        return results


def _position_limit(config: Any) -> int | None:
    for name in ("max_position_embeddings", "n_positions", "max_source_positions"):
        value = getattr(config, name, None)
        if isinstance(value, int) and value > 0:
            return value
    return None


def _generation_ids(model: Any, tokenizer: Any) -> dict[str, int]:
    """decoder start, pad and end ids: from the generation config, else the tokenizer.

    BERT2BERT checkpoints often leave them unset: such a decoder starts from
    [CLS] and ends at [SEP].
    """
    generation = model.generation_config
    config = model.config

    def setting(name: str) -> Any:
        return _first(getattr(generation, name, None), getattr(config, name, None))

    start = _first(setting("decoder_start_token_id"), getattr(tokenizer, "cls_token_id", None),
                   tokenizer.bos_token_id, tokenizer.pad_token_id)
    pad = _first(setting("pad_token_id"), tokenizer.pad_token_id)
    end = _first(setting("eos_token_id"), getattr(tokenizer, "sep_token_id", None), tokenizer.eos_token_id)
    if start is None or pad is None or end is None:
        raise ModelError("the model and its tokenizer name no decoder start, pad or end token")
    return {"decoder_start_token_id": start, "pad_token_id": pad, "eos_token_id": end}


def _per_token_scores(output: Any, pad_id: int) -> list[float]:
    """Each returned sequence's log-probability per generated token.

    Beam search reports it (with length_penalty 1, the transformers default);
    greedy search does not, so there it is summed from the step scores.
    """
    if getattr(output, "sequences_scores", None) is not None:
        return [float(x) for x in output.sequences_scores]
    import torch

    steps = torch.stack(output.scores, dim=1).log_softmax(-1)  # (batch, steps, vocab)
    chosen = output.sequences[:, -steps.shape[1]:]
    picked = steps.gather(-1, chosen.unsqueeze(-1)).squeeze(-1)
    real = chosen != pad_id
    return [float(x) for x in (picked * real).sum(1) / real.sum(1).clamp(min=1)]


def _ids(value: int | Sequence[int]) -> list[int]:
    """A generation config may list several end tokens."""
    return [value] if isinstance(value, int) else list(value)


def _first(*values: Any) -> Any:
    return next((v for v in values if v is not None), None)


def _pick_device(requested: str, torch: Any) -> str:
    if requested == "cuda" and not torch.cuda.is_available():
        raise ModelError("summary.model.device is cuda, but torch sees no GPU")
    if requested == "auto":
        return "cuda" if torch.cuda.is_available() else "cpu"
    return requested
