"""The per-post stages (clean + classify, summarise) on more cores: processes, or a Ray cluster.

Each post is cleaned, classified and summarised on its own, so those stages
split into chunks of posts and run anywhere; ingest, grouping and rendering
stay in this process. Results come back in the order the chunks went out, so
the briefing is the same bytes as a serial run's:

- `workers = 1`: everything in this process (the default);
- `workers = N`: N processes on this machine (forked: they inherit the jieba
  dictionary this process has loaded; each loads the model once, when it
  first summarises);
- `engine = "ray"`: Ray Data `map_batches` over a pool of `workers` actors per
  stage: the first stage's actors hold a classifier, the second's the model
  (one load per actor, on a GPU when the cluster has one). `ray_address`
  connects to a running cluster; without it a local one is started with
  `workers` CPUs.

The model batches its inputs: a chunk ends only where the model's batches end
in the serial run, so every batch holds the same headlines whatever the chunking.
"""

from __future__ import annotations

import logging
import multiprocessing
import os
import pickle
from concurrent.futures import ProcessPoolExecutor
from dataclasses import dataclass, replace
from pathlib import Path
from typing import Any, Callable, Literal, Sequence

from .errors import ConfigError
from .options import at_least, setting, validate
from .records import Article, CleanArticle, Summary

log = logging.getLogger(__name__)

Engine = Literal["local", "ray"]
MODEL_BACKENDS = ("seq2seq", "auto")


@dataclass(frozen=True)
class RunOptions:
    """Config section `[run]`: where the per-post stages run."""

    workers: int = setting(
        1, "Processes (or, with the ray engine, actors) for the per-post stages: cleaning, classifying and "
        "summarising; 1: all in this process.", check=at_least(1))
    engine: Engine = setting("local", "local: processes on this machine; ray: Ray Data on a Ray cluster.")
    ray_address: str | None = setting(
        None, "Address of a running Ray cluster (ray://host:10001 or host:6379); none: start a local one.")
    chunk_posts: int = setting(64, "Posts handed to a worker at a time.", check=at_least(1))

    def __post_init__(self) -> None:
        validate(self)

    @property
    def parallel(self) -> bool:
        return self.engine == "ray" or self.workers > 1


class PostStages:
    """Runs `prepare_chunk` and `summarize_chunk` (below) over chunks of posts, in order."""

    def __init__(self, options: RunOptions, lexicon: Path | None, summary: Any) -> None:
        self.options, self.lexicon, self.summary = options, lexicon, _for_workers(summary)
        self._map: Callable[[str, list[list[Any]]], list[list[Any]]] | None = None

    def prepare(self, articles: Sequence[Article]) -> list[Any]:
        """Per article, in order: its Story, or the Skip that says why it has none."""
        chunks = _chunks(list(articles), [self.options.chunk_posts] * len(articles))
        return [result for chunk in self._run("prepare", chunks) for result in chunk]

    def summarize(self, leads: Sequence[CleanArticle]) -> list[Summary]:
        chunks = _chunks(list(leads), self._summary_cuts(leads))
        return [result for chunk in self._run("summarize", chunks) for result in chunk]

    def close(self) -> None:
        closer = getattr(self._map, "close", None)
        if closer:
            closer()

    def _run(self, stage: str, chunks: list[list[Any]]) -> list[list[Any]]:
        if not chunks:
            return []
        if self._map is None:
            self._map = _RayMap(self) if self.options.engine == "ray" else _ProcessMap(self)
        return self._map(stage, chunks)

    def _summary_cuts(self, leads: Sequence[CleanArticle]) -> list[int]:
        """Where a chunk of leads may end: after a whole number of the model's batches."""
        size = self.options.chunk_posts
        if self.summary.backend not in MODEL_BACKENDS:
            return [size] * len(leads)
        if self.summary.model.compress:
            return [len(leads)]  # compression batches sentences across posts: one chunk keeps them
        from .summarize.seq2seq import headline_passage

        batch = self.summary.model.batch_size
        cuts, inputs, start = [], 0, 0
        for k, lead in enumerate(leads):
            inputs += bool(headline_passage(lead, self.summary)[1])
            if k + 1 - start >= size and inputs % batch == 0:
                cuts.append(k + 1 - start)
                start = k + 1
        return cuts + ([len(leads) - start] if start < len(leads) else [])


def _for_workers(summary: Any) -> Any:
    """The summary options each worker builds from: the model's folder as this process finds it
    (a Ray node has its own idea of where the shipped model is), and `auto` decided here, once."""
    if summary.backend not in MODEL_BACKENDS:
        return summary
    folder = summary.model.resolved_dir
    if summary.backend == "auto" and summary.model.model_dir is None and not folder.is_dir():
        log.warning("summariser: the shipped model is not at %s; summaries are extractive", folder)
        return replace(summary, backend="extractive")
    return replace(summary, model=replace(summary.model, model_dir=folder))


def _chunks(items: list[Any], sizes: Sequence[int]) -> list[list[Any]]:
    chunks, start = [], 0
    for size in sizes:
        if start >= len(items):
            break
        chunks.append(items[start : start + size])
        start += size
    return chunks


# What a worker holds: built once per process (or actor), on its first chunk.
_WORKER: dict[str, Any] = {}


def run_chunk(stage: str, chunk: list[Any], lexicon: Path | None, summary: Any) -> list[Any]:
    """One chunk of one stage, with the worker's classifier or summariser."""
    if stage == "prepare":
        from .classify import Classifier
        from .pipeline import prepare_story

        classifier = Classifier.from_file(lexicon)
        return [prepare_story(article, classifier) for article in chunk]
    if stage == "summarize":
        from .summarize import get_summarizer, summarize_all

        key = ("summarizer", pickle.dumps(summary))
        if key not in _WORKER:
            _WORKER.clear()
            _WORKER[key] = get_summarizer(options=summary)
        return summarize_all(_WORKER[key], chunk)
    raise ValueError(f"unknown stage {stage!r}")


class _ProcessMap:
    def __init__(self, stages: PostStages) -> None:
        # fork: workers start with this process's jieba dictionary and lexicon; spawn where there is none.
        method = "fork" if "fork" in multiprocessing.get_all_start_methods() else "spawn"
        self.stages = stages
        self.pool = ProcessPoolExecutor(stages.options.workers, mp_context=multiprocessing.get_context(method))

    def __call__(self, stage: str, chunks: list[list[Any]]) -> list[list[Any]]:
        count = len(chunks)
        return list(self.pool.map(run_chunk, [stage] * count, chunks, [self.stages.lexicon] * count,
                                  [self.stages.summary] * count))

    def close(self) -> None:
        self.pool.shutdown()


class _RayMap:
    def __init__(self, stages: PostStages) -> None:
        try:
            import ray
            import ray.data  # noqa: F401
        except ImportError as exc:
            raise ConfigError("run.engine = ray needs Ray: pip install 'digest[ray]'") from exc
        self.stages, self.ray = stages, ray
        if not ray.is_initialized():
            package = str(Path(__file__).resolve().parent)
            address = stages.options.ray_address
            if address:  # the cluster gets this process's digest, whatever it has installed
                ray.init(address=address, runtime_env={"py_modules": [package]}, log_to_driver=False)
            else:
                ray.init(num_cpus=stages.options.workers, include_dashboard=False, log_to_driver=False,
                         runtime_env={"env_vars": {"PYTHONPATH": os.pathsep.join(
                             filter(None, [str(Path(package).parent), os.environ.get("PYTHONPATH")]))}})
            self.started = not address
        else:
            self.started = False
        ray.data.DataContext.get_current().enable_progress_bars = False
        for name in ("ray", "ray.data"):  # a line per dataset on stderr otherwise
            logging.getLogger(name).setLevel(logging.WARNING)

    def __call__(self, stage: str, chunks: list[list[Any]]) -> list[list[Any]]:
        ray, stages = self.ray, self.stages
        rows = [{"index": k, "chunk": pickle.dumps(chunk)} for k, chunk in enumerate(chunks)]
        gpus = 0
        if stage == "summarize" and stages.summary.backend in MODEL_BACKENDS \
                and ray.cluster_resources().get("GPU", 0) >= 1:
            gpus = 1
        results = ray.data.from_items(rows, override_num_blocks=len(rows)).map_batches(
            _RayWorker,
            fn_constructor_args=(stage, stages.lexicon, stages.summary),
            batch_size=1,
            batch_format="numpy",
            compute=ray.data.ActorPoolStrategy(size=min(stages.options.workers, len(rows))),
            num_cpus=0 if gpus else 1,
            num_gpus=gpus,
        ).take_all()
        ordered = sorted(results, key=lambda row: int(row["index"]))
        return [pickle.loads(row["result"]) for row in ordered]

    def close(self) -> None:
        if self.started:
            self.ray.shutdown()


class _RayWorker:
    """A Ray actor: holds the classifier (and the model, once it summarises) across its chunks."""

    def __init__(self, stage: str, lexicon: Path | None, summary: Any) -> None:
        self.stage, self.lexicon, self.summary = stage, lexicon, summary

    def __call__(self, batch: dict[str, Any]) -> dict[str, Any]:
        import numpy

        results = [pickle.dumps(run_chunk(self.stage, pickle.loads(chunk), self.lexicon, self.summary))
                   for chunk in batch["chunk"]]
        return {"index": batch["index"], "result": numpy.array(results, dtype=object)}
