"""The training recipe on CPU: tiny corpora, a tiny BART, a few steps, export, resume,
and the exported model loaded back through the seq2seq loading path."""

import gzip
import json
import re

import pytest

pytest.importorskip("torch")
pytest.importorskip("transformers")
pytest.importorskip("sentencepiece")

from tiny_models import seed_lines  # noqa: E402  (also puts the repo root on sys.path)

from digest.errors import ConfigError  # noqa: E402
from digest.summarize import SummaryOptions  # noqa: E402
from digest.summarize.seq2seq import Seq2SeqModel, Seq2SeqOptions, Seq2SeqSummarizer  # noqa: E402
from training import train  # noqa: E402
from training.batches import Encoded, collate, epoch_batches  # noqa: E402
from training.data import training_pairs, validation_pairs  # noqa: E402
from training.settings import load_settings  # noqa: E402

REPEATED_HEADLINE = "国务院常务会议召开"


def pairs_from_seed():
    """(source, headline) pairs made from the sample posts: a paragraph and its first clause."""
    pairs = []
    for line in seed_lines():
        if len(line) >= 30:
            headline = re.split(r"[，。；！？]", line)[0][:24]
            if len(headline) >= 6:
                pairs.append((line[:300], headline))
    return pairs


def write_jsonl(path, records, gz=False):
    text = "".join(json.dumps(r, ensure_ascii=False) + "\n" for r in records)
    if gz:
        with gzip.open(path, "wt", encoding="utf-8") as handle:
            handle.write(text)
    else:
        path.write_text(text, encoding="utf-8")


@pytest.fixture(scope="module")
def data_dir(tmp_path_factory):
    """The four corpora in the layout of ../shared/data, small."""
    folder = tmp_path_factory.mktemp("data")
    pairs = pairs_from_seed()
    assert len(pairs) >= 160
    lcsts = [{"source": s, "summary": t, "split": "train"} for s, t in pairs[:100]]
    lcsts += [{"source": s, "summary": t, "split": "val"} for s, t in pairs[100:120]]
    lcsts += [{"source": s, "summary": t, "split": "test"} for s, t in pairs[120:140]]
    # The headline states 97, its source does not: such a pair must not teach the model.
    lcsts.append({"source": "市政府召开常务会议，研究部署有关工作。", "summary": "市政府召开第97次常务会议",
                  "split": "train"})
    # 疫情 is not in the source: only faithful_targets = "guard" drops this one.
    lcsts.append({"source": "市政府召开常务会议，研究部署有关工作。", "summary": "市政府召开常务会议部署疫情防控",
                  "split": "train"})
    write_jsonl(folder / "lcsts_clge.jsonl", lcsts)
    xwlb = [{"source": s, "summary": t} for s, t in pairs[140:]]
    xwlb += [{"source": f"第{k}条：{pairs[k][0]}", "summary": REPEATED_HEADLINE} for k in range(6)]
    # A 新闻联播 series tag the item never states goes; one it states stays.
    xwlb.append({"source": "天津港集装箱吞吐量创新高。", "summary": "【奋进新征程】天津港集装箱吞吐量创新高"})
    xwlb.append({"source": "【奋进新征程】天津港开通新航线。", "summary": "【奋进新征程】天津港开通新航线"})
    write_jsonl(folder / "xwlb_headlines.jsonl.gz", xwlb, gz=True)
    write_jsonl(folder / "sohu_headlines.jsonl", [{"source": s, "summary": t} for s, t in pairs[:20]])
    csl = [{"source": s, "summary": t, "split": "dev"} for s, t in pairs[20:40]]
    write_jsonl(folder / "csl_abstract_title.jsonl", csl)
    return folder


def tiny_config(tmp_path, data_dir, max_steps, faithful_targets="numbers", piece_length=1):
    config = tmp_path / "tiny.toml"
    config.write_text(f"""
seed = 7
[data]
dir = "{data_dir}"
prepared = "{tmp_path / 'prepared'}"
xwlb_headline_cap = 2
faithful_targets = "{faithful_targets}"
[tokenizer]
vocab_size = 3000
character_coverage = 0.995
max_piece_length = {piece_length}
[model]
d_model = 32
encoder_layers = 1
decoder_layers = 1
attention_heads = 2
ffn_dim = 64
max_source_tokens = 96
max_target_tokens = 16
pointer = true
[train]
work_dir = "{tmp_path / 'work'}"
device = "cpu"
threads = 1
batch_size = 16
warmup_steps = 3
max_steps = {max_steps}
eval_every = 4
eval_items = 8
final_beams = 2
checkpoint_every = 4
log_every = 2
[export]
dir = "{tmp_path / 'export'}"
""", encoding="utf-8")
    return config


def test_training_data_keeps_the_benchmark_out_and_caps_repeated_headlines(data_dir, tmp_path):
    settings = load_settings(tiny_config(tmp_path, data_dir, 1))
    pairs = training_pairs(settings)
    held_out = {json.loads(line)["source"] for line in (data_dir / "lcsts_clge.jsonl").read_text().splitlines()
                if json.loads(line)["split"] != "train"}
    assert not held_out & {p.source for p in pairs}
    assert sum(p.target == REPEATED_HEADLINE for p in pairs) == 2
    assert not any("97" in p.target for p in pairs)  # unsupported number: dropped
    assert any("疫情" in p.target for p in pairs)  # an unsupported noun is kept unless the guard filters
    assert {p.target for p in pairs if "天津港" in p.target and p.corpus == "xwlb"} >= {
        "天津港集装箱吞吐量创新高", "【奋进新征程】天津港开通新航线"}
    strict = training_pairs(load_settings(tiny_config(tmp_path, data_dir, 1, faithful_targets="guard")))
    assert not any("疫情" in p.target or "97" in p.target for p in strict)
    assert 0 < len(strict) < len(pairs)
    assert {p.corpus for p in pairs} == {"lcsts", "xwlb", "sohu", "csl"}
    assert len(validation_pairs(settings)) == 20


def test_settings_refuse_unknown_keys(tmp_path):
    config = tmp_path / "bad.toml"
    config.write_text("[train]\nmax_stpes = 3\n")
    with pytest.raises(ConfigError, match=r"unknown keys in \[train\]: max_stpes"):
        load_settings(config)


def test_epoch_batches_cover_every_pair_once_and_are_reproducible():
    lengths = [k % 17 for k in range(1000)]
    batches = epoch_batches(lengths, 32, seed=1, epoch=3)
    assert sorted(k for batch in batches for k in batch) == list(range(1000))
    assert batches == epoch_batches(lengths, 32, seed=1, epoch=3)
    assert batches != epoch_batches(lengths, 32, seed=1, epoch=4)


def test_collate_pads_and_shifts():
    encoded = Encoded(sources=[[5, 6, 2], [7, 2]], targets=[[8, 9, 2], [10, 2]])
    batch = collate(encoded, [0, 1], pad_id=1, start_id=2, device="cpu")
    assert batch["input_ids"].tolist() == [[5, 6, 2], [7, 2, 1]]
    assert batch["attention_mask"].tolist() == [[1, 1, 1], [1, 1, 0]]
    assert batch["labels"].tolist() == [[8, 9, 2], [10, 2, -100]]
    assert batch["decoder_input_ids"].tolist() == [[2, 8, 9], [2, 10, 1]]


def metrics(tmp_path):
    return [json.loads(line) for line in (tmp_path / "work" / "metrics.jsonl").read_text().splitlines()]


def test_recipe_trains_exports_resumes_and_loads_through_the_backend(data_dir, tmp_path):
    assert train.main(["--config", str(tiny_config(tmp_path, data_dir, 6))]) == 0
    export = tmp_path / "export"
    for name in ("config.json", "generation_config.json", "model.safetensors", "tokenizer.json",
                 "tokenizer_config.json", "training_report.json", "MODEL_CARD.md"):
        assert (export / name).is_file(), name
    assert json.loads((export / "config.json").read_text())["model_type"] == "digest-pointer-bart"
    report = json.loads((export / "training_report.json").read_text())
    assert report["steps"] == 6 and report["lcsts_val"]["items"] == 20
    # val, test and the pair with an invented 97 kept out (and any fake pair whose cut headline ends mid-number)
    assert 90 <= report["data"]["train"]["lcsts"] < 100
    losses = [m["loss"] for m in metrics(tmp_path) if "loss" in m]
    assert len(losses) == 3 and all(loss > 0 for loss in losses)

    # A second run with more steps continues from the newest checkpoint, not from scratch.
    assert train.main(["--config", str(tiny_config(tmp_path, data_dir, 10))]) == 0
    log = (tmp_path / "work" / "train.log").read_text(encoding="utf-8")
    assert "resumed from step-0000006.pt (step 6)" in log
    steps = [m["step"] for m in metrics(tmp_path) if "loss" in m]
    assert steps == [2, 4, 6, 8, 10]
    assert json.loads((export / "training_report.json").read_text())["steps"] == 10

    model = Seq2SeqModel.load(Seq2SeqOptions(model_dir=export, device="cpu", num_beams=2))
    assert model.input_limit == 96
    outputs = model.generate_batch(["1月16日，市长张工主持召开市政府常务会议。" * 40, "天津港"], "headline")
    assert len(outputs) == 2 and all(isinstance(o, str) for o in outputs)
    summary = Seq2SeqSummarizer(model, SummaryOptions())(
        __import__("digest.commands.summarize", fromlist=["x"]).article_from_text("1月16日，市政府召开常务会议。" * 3))
    assert summary.headline_method in ("seq2seq", "extractive-fallback")


def test_continuing_from_a_model_keeps_its_vocabulary(data_dir, tmp_path):
    first, second = tmp_path / "first", tmp_path / "second"
    first.mkdir()
    second.mkdir()
    assert train.main(["--config", str(tiny_config(first, data_dir, 2))]) == 0
    # Other data and pieces: the prepared folder gets another vocabulary than the model has.
    config = tiny_config(second, data_dir, 2, faithful_targets="guard", piece_length=2)
    assert train.main(["--config", str(config), "--init-from", str(first / "export")]) == 0
    vocabulary = lambda folder: json.loads((folder / "tokenizer.json").read_text())["model"]["vocab"]  # noqa: E731
    assert vocabulary(second / "prepared" / "tokenizer") != vocabulary(first / "export"), "nothing to keep"
    assert vocabulary(second / "export") == vocabulary(first / "export")
