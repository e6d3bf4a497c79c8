"""--workers N and --engine ray give the briefing a serial run gives, byte for byte."""

import dataclasses
import sys

import pytest

from digest.clock import fixed_clock
from digest.config import Config
from digest.ingest import read_exports
from digest.parallel import PostStages, RunOptions
from digest.period import Kind, Period
from digest.pipeline import run
from digest.render import render
from digest.summarize import SummaryOptions
from digest.summarize.seq2seq_options import Seq2SeqOptions

from conftest import FIXED_NOW, ROOT, SEED

sys.path.insert(0, str(ROOT / "bench"))
from synthetic import distinct_posts, reposted_stories, write_export  # noqa: E402

SAMPLE_WEEKS = [Period.parse(Kind.WEEKLY, w) for w in ("2026-W02", "2026-W03", "2026-W04")]
SYNTHETIC_WEEK = Period.parse(Kind.WEEKLY, "2026-W04")


def briefing_bytes(inputs, period, config):
    briefing = run(inputs, period, config)
    clock = fixed_clock(FIXED_NOW)
    return render(briefing, "json", config, clock) + render(briefing, "md", config, clock)


def with_run(config=None, **options):
    return dataclasses.replace(config or Config(), run=RunOptions(**options))


@pytest.fixture(scope="module")
def synthetic_export(tmp_path_factory):
    """5,000 distinct posts and two stories reposted by 40 accounts each, over one week."""
    path = tmp_path_factory.mktemp("synthetic") / "synthetic.json"
    return write_export(distinct_posts(5000) + reposted_stories(2, 40), path)


@pytest.fixture(scope="module")
def serial(synthetic_export):
    return {"sample": [briefing_bytes([SEED], week, Config()) for week in SAMPLE_WEEKS],
            "synthetic": briefing_bytes([synthetic_export], SYNTHETIC_WEEK, Config())}


def test_two_processes_give_the_serial_bytes_on_the_sample(serial):
    config = with_run(workers=2, chunk_posts=5)  # many small chunks
    assert [briefing_bytes([SEED], week, config) for week in SAMPLE_WEEKS] == serial["sample"]


def test_two_processes_give_the_serial_bytes_on_5000_synthetic_posts(serial, synthetic_export):
    assert briefing_bytes([synthetic_export], SYNTHETIC_WEEK, with_run(workers=2)) == serial["synthetic"]


def test_chunks_for_the_model_end_where_its_batches_end():
    from digest.clean import clean_article
    from digest.summarize.seq2seq import headline_passage

    summary = SummaryOptions(backend="seq2seq", model=Seq2SeqOptions(batch_size=3))
    stages = PostStages(RunOptions(workers=2, chunk_posts=4), None, summary)
    leads = [clean_article(a) for a in read_exports([SEED]).articles]
    leads += [dataclasses.replace(leads[0], paragraphs=(), sentences=())] * 2  # nothing for the model
    cuts = stages._summary_cuts(leads)
    assert sum(cuts) == len(leads) and len(cuts) > 3
    start = 0
    for size in cuts[:-1]:
        start += size
        assert size >= 4
        assert sum(bool(headline_passage(lead, summary)[1]) for lead in leads[:start]) % 3 == 0


def test_two_processes_with_a_model_give_the_serial_bytes(tmp_path):
    pytest.importorskip("torch")
    pytest.importorskip("transformers")
    from tiny_models import build_model, spm_tokenizer

    model = build_model("bart", spm_tokenizer(tmp_path / "spm"), tmp_path / "bart")
    summary = SummaryOptions(backend="seq2seq", model=Seq2SeqOptions(model_dir=model, device="cpu", batch_size=3))
    config = dataclasses.replace(Config(), summary=summary)
    week = SAMPLE_WEEKS[1]
    assert briefing_bytes([SEED], week, with_run(config, workers=2, chunk_posts=4)) == \
           briefing_bytes([SEED], week, config)


@pytest.fixture(scope="module")
def local_ray():
    """A local Ray cluster of 2 CPUs, started (and stopped) by the test."""
    ray = pytest.importorskip("ray")
    pytest.importorskip("ray.data")
    ray.init(num_cpus=2, include_dashboard=False, log_to_driver=False,
             runtime_env={"env_vars": {"PYTHONPATH": str(ROOT)}})
    yield ray
    ray.shutdown()


def test_ray_gives_the_serial_bytes_on_the_sample_and_on_5000_synthetic_posts(local_ray, serial,
                                                                               synthetic_export):
    config = with_run(workers=2, engine="ray", chunk_posts=16)
    assert [briefing_bytes([SEED], week, config) for week in SAMPLE_WEEKS] == serial["sample"]
    config = with_run(workers=2, engine="ray")
    assert briefing_bytes([synthetic_export], SYNTHETIC_WEEK, config) == serial["synthetic"]
    assert local_ray.is_initialized()  # a cluster it did not start is left running


def test_ray_missing_is_a_config_error(monkeypatch):
    from digest.errors import ConfigError

    monkeypatch.setitem(sys.modules, "ray", None)
    stages = PostStages(RunOptions(workers=2, engine="ray"), None, SummaryOptions())
    with pytest.raises(ConfigError, match="pip install 'digest\\[ray\\]'"):
        stages.prepare(read_exports([SEED]).articles[:2])


def test_workers_get_the_model_folder_and_the_auto_choice_of_this_process(tmp_path):
    from digest.summarize import seq2seq_options

    without = PostStages(RunOptions(workers=2), None, SummaryOptions(backend="auto"))
    assert without.summary.backend == "extractive"  # no shipped model here (conftest): decided once, here
    named = PostStages(RunOptions(workers=2), None, SummaryOptions(backend="seq2seq"))
    assert named.summary.model.model_dir == seq2seq_options.DEFAULT_MODEL_DIR  # as this process sees it
    (tmp_path / "model").mkdir()
    found = SummaryOptions(backend="auto", model=Seq2SeqOptions(model_dir=tmp_path / "model"))
    assert PostStages(RunOptions(workers=2), None, found).summary == found
