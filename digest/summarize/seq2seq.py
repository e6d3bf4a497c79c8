"""The model backend: a local Hugging Face seq2seq model writes headline and summary.

    Seq2SeqOptions     what to load and how to generate (frozen; from config)
    Seq2SeqModel       the loaded model and tokenizer (seq2seq_model.py)
    Seq2SeqSummarizer  extract-then-compress with the faithfulness guard:
                       headline = the first of the model's beams on the lead
                       passage that the guard accepts; summary = the extractive
                       backend's sentences, each compressed by the model when
                       `compress` is on; a rejected generation falls back to the
                       extracted text and `method` says so

torch and transformers are imported only when a model is loaded, so digest
without them still runs the extractive backend. `sentence_details` and
`headline_details` show what the model wrote and what the guard said, for
the bench scripts.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass
from typing import Sequence

from ..clean import split_sentences
from ..errors import ModelError
from ..records import CleanArticle, Summary
from . import SummaryOptions, Summarizer, get_summarizer, register
from .extractive import LEAD_STRETCH, candidate_units, find_lead
from .guard import FaithfulnessGuard, Verdict, default_guard
from .seq2seq_model import Candidate, Seq2SeqModel
from .seq2seq_options import DEFAULT_MODEL_DIR, Seq2SeqOptions

__all__ = ["DEFAULT_MODEL_DIR", "Candidate", "HeadlineResult", "SentenceResult", "Seq2SeqOptions",
           "Seq2SeqModel", "Seq2SeqSummarizer", "build_summarizer"]

log = logging.getLogger("digest")

METHOD = "seq2seq"
FALLBACK = "extractive-fallback"

HEADLINE_PASSAGE_CHARS = 200  # the lead passage the headline is written from: LCSTS-sized (~110 chars)
COMPRESS_MIN_CHARS = 30  # a shorter sentence is kept whole: little to compress, much to lose
MIN_HEADLINE_CHARS = 6
MIN_SENTENCE_CHARS = 8
_TERMINAL = "。！？!?…”」』"


@dataclass(frozen=True)
class HeadlineResult:
    generated: str  # the model's best beam, before the guard
    verdict: Verdict
    headline: str  # what the briefing shows
    method: str  # seq2seq, or extractive-fallback when no beam passed the score floor and the guard
    passage: str = ""  # what the model read
    score: float | None = None  # the shown beam's score (per token); None for the fallback


@dataclass(frozen=True)
class SentenceResult:
    sentence: str  # an extracted summary sentence
    generated: str  # the model's best beam; "" when the sentence was too short to compress
    verdict: Verdict | None  # None when it was not compressed
    text: str  # what the summary shows
    method: str  # seq2seq, extractive (kept whole: too short) or extractive-fallback


@dataclass(frozen=True)
class _Plan:
    """What the extractive backend would show, and what the model is asked to rewrite."""

    fallback: Summary  # the extractive backend's own summary
    passage: str  # the lead passage the headline is written from
    pieces: tuple[str, ...]  # the extractive summary's sentences, in order


class Seq2SeqSummarizer:
    """The `Summarizer` protocol, plus batched `headlines` and `summaries` for many articles."""

    name = METHOD

    def __init__(self, model: Seq2SeqModel, options: SummaryOptions, guard: FaithfulnessGuard | None = None) -> None:
        self.model = model
        self.options = options
        self.compress = options.model.compress  # False: the summary is the extracted sentences, as they stand
        self.min_score = options.model.min_score  # a candidate the model scored lower is not shown
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

    def sentence_details(self, articles: Sequence[CleanArticle]) -> list[list[SentenceResult]]:
        """What compression makes of each extracted summary sentence, per article, whether or
        not `compress` is on: for the bench and debugging."""
        return self._compressions([self._plan(a) for a in articles])

    def _plan(self, article: CleanArticle) -> _Plan:
        fallback = self.extractive(article)
        units, passage = headline_passage(article, self.options)
        return _Plan(fallback=fallback, passage=passage, pieces=tuple(pieces_of(fallback.text, units)))

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
        return [("".join(r.text for r in results), summary_method([r.method for r in results]))
                for results in self._compressions(plans)]

    def _compressions(self, plans: Sequence[_Plan]) -> list[list[SentenceResult]]:
        jobs = [(k, j) for k, plan in enumerate(plans) for j, piece in enumerate(plan.pieces)
                if len(piece) >= COMPRESS_MIN_CHARS]
        texts = self.model.generate_candidates([plans[k].pieces[j] for k, j in jobs], "summary")
        generated = dict(zip(jobs, texts))
        results = []
        for k, plan in enumerate(plans):
            sentences = []
            for j, piece in enumerate(plan.pieces):
                if (k, j) not in generated:
                    sentences.append(SentenceResult(piece, "", None, piece, "extractive"))
                    continue
                candidates = generated[(k, j)]
                choice, verdict = self._first_accepted(candidates, piece, MIN_SENTENCE_CHARS, len(piece) - 1)
                if verdict:
                    text = choice.text if choice.text.endswith(tuple(_TERMINAL)) else choice.text + "。"
                    sentences.append(SentenceResult(piece, candidates[0].text, verdict, text, METHOD))
                else:
                    log.debug("seq2seq sentence %r rejected: %s", choice.text, verdict.reason)
                    sentences.append(SentenceResult(piece, candidates[0].text, verdict, piece, FALLBACK))
            results.append(sentences)
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


def headline_passage(article: CleanArticle, options: SummaryOptions) -> tuple[list[str], str]:
    """The units the extractive backend chooses from, and the lead passage the model writes the headline from."""
    limit = round(options.max_chars * LEAD_STRETCH)
    units = candidate_units(article.sentences, limit) or [s for s in article.sentences if len(s) <= limit][:1]
    return units, lead_passage(units, find_lead(units))


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


@register("seq2seq")
def build_summarizer(options: SummaryOptions) -> Seq2SeqSummarizer:
    """The model of `options.model` loaded, behind the guard; a model that cannot load is a ModelError."""
    return Seq2SeqSummarizer(Seq2SeqModel.load(options.model), options)


@register("auto")
def _auto(options: SummaryOptions) -> Summarizer:
    """The shipped model when it can load; else the extractive backend, with a warning.

    Only the shipped default degrades: a model directory the user named must
    load, or the run fails. Either way each summary's `method` says who wrote it.
    """
    try:
        return build_summarizer(options)
    except ModelError as exc:
        if options.model.model_dir is not None:
            raise
        log.warning("summariser: the shipped model cannot be used (%s); summaries are extractive", exc)
        return get_summarizer("extractive", options)
