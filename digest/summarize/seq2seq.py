"""The model backend: a local Hugging Face seq2seq model writes headline and summary.

    Seq2SeqOptions     what to load and how to generate (frozen; from config)
    Seq2SeqModel       any local seq2seq directory (BART/mBART, T5/mT5, Pegasus,
                       EncoderDecoder) with its tokenizer: batched, truncated,
                       beam-searched generation that returns clean Chinese text
    Seq2SeqSummarizer  extract-then-compress with the faithfulness guard:
                       headline = the first of the model's beams on the lead
                       passage that the guard accepts; summary = the extractive
                       backend's sentences, each compressed by the model when
                       `compress` is on; a rejected generation falls back to the
                       extracted text and `method` says so

torch and transformers are imported only when a model is loaded, so digest
without them still runs the extractive backend.
"""

from __future__ import annotations

import logging
import math
from dataclasses import dataclass
from typing import Any, Sequence

from ..clean import split_sentences
from ..errors import ModelError
from ..records import CleanArticle, Summary
from . import SummaryOptions, Summarizer, get_summarizer, register
from .cjk import fold_full_width, strip_cjk_spaces
from .decoding import SourceBias, SourceBigramBias
from .extractive import LEAD_STRETCH, candidate_units, find_lead
from .guard import FaithfulnessGuard, Verdict, default_guard
from .seq2seq_options import DEFAULT_MODEL_DIR, DEVICES, Seq2SeqOptions

__all__ = ["DEFAULT_MODEL_DIR", "DEVICES", "Seq2SeqOptions", "Seq2SeqModel", "Seq2SeqSummarizer", "build_summarizer"]

log = logging.getLogger("digest")

MODES = ("headline", "summary")
TOKENIZER_FILES = ("tokenizer.json", "tokenizer_config.json", "vocab.txt", "spiece.model", "sentencepiece.bpe.model",
                   "vocab.json")
METHOD = "seq2seq"
FALLBACK = "extractive-fallback"

HEADLINE_PASSAGE_CHARS = 200  # the lead passage the headline is written from: LCSTS-sized (~110 chars)
COMPRESS_MIN_CHARS = 30  # a shorter sentence is kept whole: little to compress, much to lose
MIN_HEADLINE_CHARS = 6
MIN_SENTENCE_CHARS = 8
_TERMINAL = "。！？!?…”」』"


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


@dataclass(frozen=True)
class HeadlineResult:
    generated: str  # the model's best beam, before the guard
    verdict: Verdict
    headline: str  # what the briefing shows
    method: str  # seq2seq, or extractive-fallback when no beam passed the score floor and the guard
    passage: str = ""  # what the model read
    score: float | None = None  # the shown beam's score (per token); None for the fallback


@dataclass(frozen=True)
class _Plan:
    """What the extractive backend would show, and what the model is asked to rewrite."""

    fallback: Summary  # the extractive backend's own summary
    passage: str  # the lead passage the headline is written from
    pieces: tuple[str, ...]  # the extractive summary's sentences, in order


class Seq2SeqSummarizer:
    """The `Summarizer` protocol, plus batched `headlines` and `summaries` for many articles."""

    name = METHOD

    def __init__(self, model: Seq2SeqModel, options: SummaryOptions, guard: FaithfulnessGuard | None = None,
                 compress: bool = False, min_score: float = -math.inf) -> None:
        self.model = model
        self.options = options
        self.compress = compress  # False: the summary is the extracted sentences, as they stand
        self.min_score = min_score  # a candidate the model scored lower is not shown
        self.guard = guard or default_guard()
        # Through the registry: the fallback is exactly what the extractive backend would write.
        self.extractive = get_summarizer("extractive", options)

    def __call__(self, article: CleanArticle) -> Summary:
        return self.summarize_many([article])[0]

    def summarize_many(self, articles: Sequence[CleanArticle]) -> list[Summary]:
        plans = [self._plan(a) for a in articles]
        headlines = self._headlines(plans)
        summaries = self._summaries(plans)
        return [
            Summary(headline=h.headline, headline_method=h.method, text=text, method=method)
            for h, (text, method) in zip(headlines, summaries)
        ]

    def headlines(self, articles: Sequence[CleanArticle]) -> list[tuple[str, str]]:
        """(headline, method) per article; method is seq2seq or extractive-fallback."""
        return [(d.headline, d.method) for d in self.headline_details(articles)]

    def headline_details(self, articles: Sequence[CleanArticle]) -> list[HeadlineResult]:
        """What the model wrote, the guard's verdict and what is shown: for the bench and debugging."""
        return self._headlines([self._plan(a) for a in articles])

    def summaries(self, articles: Sequence[CleanArticle]) -> list[tuple[str, str]]:
        return self._summaries([self._plan(a) for a in articles])

    def _plan(self, article: CleanArticle) -> _Plan:
        fallback = self.extractive(article)
        limit = round(self.options.max_chars * LEAD_STRETCH)
        # The same units the extractive backend chose from.
        units = candidate_units(article.sentences, limit) or [s for s in article.sentences if len(s) <= limit][:1]
        return _Plan(fallback=fallback, passage=lead_passage(units, find_lead(units)),
                     pieces=tuple(pieces_of(fallback.text, units)))

    def _headlines(self, plans: Sequence[_Plan]) -> list[HeadlineResult]:
        todo = [k for k, plan in enumerate(plans) if plan.passage]
        generated = dict(zip(todo, self.model.generate_candidates([plans[k].passage for k in todo], "headline")))
        results = []
        for k, plan in enumerate(plans):
            candidates = [Candidate(c.text.rstrip("。"), c.score) for c in generated.get(k, [Candidate("", 0.0)])]
            choice, verdict = self._first_accepted(candidates, plan.passage, MIN_HEADLINE_CHARS,
                                                   self.options.headline_max_chars)
            if verdict:
                results.append(HeadlineResult(candidates[0].text, verdict, choice.text, METHOD, plan.passage,
                                              choice.score))
            else:
                log.debug("seq2seq headline %r rejected: %s", candidates[0].text, verdict.reason)
                results.append(HeadlineResult(candidates[0].text, verdict, plan.fallback.headline, FALLBACK,
                                              plan.passage))
        return results

    def _summaries(self, plans: Sequence[_Plan]) -> list[tuple[str, str]]:
        if not self.compress:
            return [(plan.fallback.text, plan.fallback.method) for plan in plans]
        jobs = [(k, j) for k, plan in enumerate(plans) for j, piece in enumerate(plan.pieces)
                if len(piece) >= COMPRESS_MIN_CHARS]
        texts = self.model.generate_candidates([plans[k].pieces[j] for k, j in jobs], "summary")
        generated = dict(zip(jobs, texts))
        results = []
        for k, plan in enumerate(plans):
            sentences, methods = [], []
            for j, piece in enumerate(plan.pieces):
                if (k, j) not in generated:
                    sentences.append(piece)
                    methods.append("extractive")
                    continue
                choice, verdict = self._first_accepted(generated[(k, j)], piece, MIN_SENTENCE_CHARS, len(piece) - 1)
                text = choice.text
                if verdict:
                    sentences.append(text if text.endswith(tuple(_TERMINAL)) else text + "。")
                    methods.append(METHOD)
                else:
                    log.debug("seq2seq sentence %r rejected: %s", text, verdict.reason)
                    sentences.append(piece)
                    methods.append(FALLBACK)
            results.append(("".join(sentences), summary_method(methods)))
        return results

    def _first_accepted(self, candidates: Sequence[Candidate], source: str, min_chars: int,
                        max_chars: int) -> tuple[Candidate, Verdict]:
        """The best candidate the model is sure enough of and the guard accepts; else the best
        one, with why it was not shown."""
        verdicts = []
        for candidate in candidates:
            if candidate.score < self.min_score:
                verdict = Verdict(False, f"unsure (score {candidate.score:.2f} < {self.min_score:g})")
            else:
                verdict = self.guard.check(candidate.text, source, min_chars=min_chars, max_chars=max_chars)
            if verdict:
                return candidate, verdict
            verdicts.append(verdict)
        return candidates[0], verdicts[0]


def summary_method(piece_methods: Sequence[str]) -> str:
    """One word for a summary whose sentences were compressed, kept or fallen back on."""
    compressed, rejected = METHOD in piece_methods, FALLBACK in piece_methods
    if compressed and rejected:
        return f"{METHOD}+{FALLBACK}"
    if rejected:
        return FALLBACK
    return METHOD if compressed else "extractive"


def lead_passage(units: Sequence[str], lead: int | None, max_chars: int = HEADLINE_PASSAGE_CHARS) -> str:
    """Whole sentences from the lead on (or from the start), up to `max_chars` but at least one."""
    passage = ""
    for unit in units[lead or 0 :]:
        if passage and len(passage) + len(unit) > max_chars:
            break
        passage += unit
    return passage


def pieces_of(text: str, units: Sequence[str]) -> list[str]:
    """The units an extractive summary is made of (it joins whole units in document order)."""
    pieces, rest = [], text
    for unit in units:
        if rest.startswith(unit):
            pieces.append(unit)
            rest = rest[len(unit) :]
    if rest:  # not made of these units after all: fall back to sentences
        return [s for s in split_sentences(text) if s]
    return pieces


def build_summarizer(options: SummaryOptions, model_options: Seq2SeqOptions | None = None) -> Seq2SeqSummarizer:
    model_options = model_options or Seq2SeqOptions()
    return Seq2SeqSummarizer(Seq2SeqModel.load(model_options), options, compress=model_options.compress,
                             min_score=model_options.min_score)


@register("seq2seq")
def _seq2seq(options: SummaryOptions) -> Seq2SeqSummarizer:
    return build_summarizer(options, options.model)


@register("auto")
def _auto(options: SummaryOptions) -> Summarizer:
    """The shipped model when it can load; else the extractive backend, with a warning.

    Only the shipped default degrades: a model directory the user named must
    load, or the run fails. Either way each summary's `method` says who wrote it.
    """
    model_options = options.model or Seq2SeqOptions()
    try:
        return build_summarizer(options, model_options)
    except ModelError as exc:
        if model_options.model_dir is not None:
            raise
        log.warning("summariser: the shipped model cannot be used (%s); summaries are extractive", exc)
        return get_summarizer("extractive", options)
