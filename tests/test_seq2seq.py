"""The seq2seq loading path on tiny random models of each architecture."""

import argparse
import json
import re

import pytest

torch = pytest.importorskip("torch")
pytest.importorskip("transformers")

from dataclasses import dataclass  # noqa: E402

from tiny_models import BERT_ARCHITECTURES, SEED, SPM_ARCHITECTURES, bert_tokenizer, build_model, spm_tokenizer  # noqa: E402

from digest.clean import clean_article  # noqa: E402
from digest.commands import summarize as summarize_command  # noqa: E402
from digest.errors import ModelError  # noqa: E402
from digest.ingest import read_exports  # noqa: E402
from digest.summarize import SummaryOptions, get_summarizer  # noqa: E402
from digest.summarize.decoding import SourceBias, SourceBigramBias  # noqa: E402
from digest.summarize.seq2seq import (  # noqa: E402
    FALLBACK,
    METHOD,
    Seq2SeqModel,
    Seq2SeqOptions,
    Seq2SeqSummarizer,
    build_summarizer,
)

TEXTS = [
    "1月16日，市长张工主持召开市政府第96次常务会议，审议《关于推进“站产城”融合发展的意见》。",
    "天津港",
    "滨海新区交运局获悉，轨道交通Z4线一期工程将于1月18日开通运营，线路全程23.738千米。",
    "市教委发布五项举措，促进充分就业。",
    "",
]
LONG_TEXT = "天津市轨道交通线路开通运营，" * 2000  # ~28,000 characters, far past 64 positions


@pytest.fixture(scope="module")
def tokenizers(tmp_path_factory):
    return {"spm": spm_tokenizer(tmp_path_factory.mktemp("spm")),
            "bert": bert_tokenizer(tmp_path_factory.mktemp("bert"))}


@pytest.fixture(scope="module")
def model_dirs(tokenizers, tmp_path_factory):
    dirs = {}
    for name in SPM_ARCHITECTURES + BERT_ARCHITECTURES:
        tokenizer = tokenizers["bert" if name in BERT_ARCHITECTURES else "spm"]
        dirs[name] = build_model(name, tokenizer, tmp_path_factory.mktemp(name))
    return dirs


def load(path, **options):
    return Seq2SeqModel.load(Seq2SeqOptions(model_dir=path, device="cpu", **options))


@pytest.mark.parametrize("architecture", SPM_ARCHITECTURES + BERT_ARCHITECTURES)
def test_each_architecture_loads_and_generates_even_from_a_very_long_input(model_dirs, architecture):
    model = load(model_dirs[architecture], headline_max_new_tokens=8, max_input_tokens=10_000)
    # 64 learned positions (T5's are relative; its tokenizer says 512): the input is cut there.
    assert model.input_limit <= 512
    if architecture not in ("t5", "mt5"):
        assert model.input_limit == 64
    outputs = model.generate_batch([LONG_TEXT, *TEXTS], "headline")
    assert len(outputs) == len(TEXTS) + 1
    assert all(isinstance(text, str) for text in outputs)
    assert model.generate_batch([], "summary") == []


def test_without_truncation_a_long_input_would_not_fit(model_dirs):
    """The guard rail above is real: these positions end at 64."""
    model = load(model_dirs["bart"])
    ids = model.tokenizer(LONG_TEXT, return_tensors="pt")["input_ids"]
    assert ids.shape[1] > 64
    with pytest.raises((IndexError, RuntimeError)):
        model.model.generate(input_ids=ids, max_new_tokens=2)


@pytest.mark.parametrize("architecture", ["bart", "t5", "bert2bert"])
def test_batching_gives_what_one_by_one_gives(model_dirs, architecture):
    batched = load(model_dirs[architecture], batch_size=8, headline_max_new_tokens=10)
    outputs = batched.generate_batch(TEXTS, "headline")
    assert len(set(outputs)) > 1, "the model ignores its input: the comparison would prove nothing"
    one_by_one = [load(model_dirs[architecture], batch_size=1, headline_max_new_tokens=10)
                  .generate_batch([text], "headline")[0] for text in TEXTS]
    assert outputs == one_by_one


def test_a_large_source_bias_makes_the_model_copy(model_dirs):
    """A random model writes any tokens; with the bias at 1000 only the input's own (and the end)."""
    free = load(model_dirs["bart"], headline_max_new_tokens=10, source_bias=0)
    steered = load(model_dirs["bart"], headline_max_new_tokens=10, source_bias=1000)
    texts = TEXTS[:4]
    encoded = [set(steered.tokenizer(t)["input_ids"]) for t in texts]

    def generated_ids(model):
        batch = model.tokenizer(texts, padding=True, return_tensors="pt")
        special = model._special
        output = model.model.generate(**batch, num_beams=4, max_new_tokens=10, logits_processor=[
            SourceBias(batch["input_ids"], batch["attention_mask"], model.options.source_bias,
                       model._allowed_anywhere)] if model.options.source_bias else None, **special)
        return [set(row.tolist()) - set(model._allowed_anywhere) - {special["decoder_start_token_id"]}
                for row in output]

    assert any(not ids <= source for ids, source in zip(generated_ids(free), encoded)), "nothing to steer"
    for ids, source in zip(generated_ids(steered), encoded):
        assert ids <= source
    assert steered.generate_batch(texts, "headline") != free.generate_batch(texts, "headline")


def test_the_bigram_bias_frees_only_pairs_the_input_has():
    source = torch.tensor([[5, 6, 7, 5, 8, 0], [9, 9, 2, 0, 0, 0]])
    mask = (source != 0).long()
    bias = SourceBigramBias(source, mask, 3.0, always_allowed=[2])
    scores = torch.zeros(4, 10)  # two items, two beams each: item 0's beams, then item 1's
    assert torch.equal(bias(torch.tensor([[1]] * 4), scores), scores), "the first token is free"
    penalty = scores - bias(torch.tensor([[1, 5], [1, 7], [1, 9], [1, 2]]), scores)
    freed = [set(torch.nonzero(row == 0).flatten().tolist()) for row in penalty]
    # 5 is followed by 6 and 8; 7 by 5; 9 by 9 and 2; after the end token nothing is a pair. 2 is the end.
    assert freed == [{6, 8, 2}, {5, 2}, {9, 2}, {2}]
    assert set(penalty.flatten().tolist()) == {0.0, 3.0}


def test_a_large_bigram_bias_makes_the_model_copy_whole_runs(model_dirs):
    model = load(model_dirs["bart"], headline_max_new_tokens=10)
    texts = TEXTS[:4]
    batch = model.tokenizer(texts, padding=True, return_tensors="pt")
    special = model._special
    processors = [SourceBias(batch["input_ids"], batch["attention_mask"], 1000, model._allowed_anywhere),
                  SourceBigramBias(batch["input_ids"], batch["attention_mask"], 1000, model._allowed_anywhere)]
    output = model.model.generate(**batch, num_beams=4, max_new_tokens=10, logits_processor=processors, **special)
    ends = set(model._allowed_anywhere)
    copied_pairs = 0
    for row, source, keep in zip(output.tolist(), batch["input_ids"].tolist(), batch["attention_mask"].tolist()):
        source_pairs = set(zip([t for t, k in zip(source, keep) if k], [t for t, k in zip(source, keep) if k][1:]))
        generated = [t for t in row[1:] if t not in ends]
        for pair in zip(generated, generated[1:]):
            assert pair in source_pairs
            copied_pairs += 1
    assert copied_pairs, "nothing generated past one token: the check above would prove nothing"


def test_candidates_are_distinct_beams_best_first(model_dirs):
    model = load(model_dirs["bart"], headline_max_new_tokens=10, num_beams=4, candidates=3)
    candidates = model.generate_candidates(TEXTS, "headline")
    assert [len(c) for c in candidates] == [3] * len(TEXTS)
    assert [c[0].text for c in candidates] == model.generate_batch(TEXTS, "headline")
    assert len({c.text for c in candidates[0]}) > 1
    for beams in candidates:  # log-probabilities per token, best first
        assert all(c.score <= 0 for c in beams) and [c.score for c in beams] == sorted((c.score for c in beams), reverse=True)
    assert [len(c) for c in model.generate_candidates(TEXTS, "headline", 9)] == [4] * len(TEXTS)  # at most the beams


def test_greedy_search_scores_its_output_too(model_dirs):
    model = load(model_dirs["bart"], headline_max_new_tokens=10, num_beams=1)
    for (candidate,) in model.generate_candidates(TEXTS[:3], "headline"):
        assert candidate.score <= 0 and candidate.score > -50


def test_bert_tokenised_output_loses_the_spaces_between_chinese_characters(model_dirs):
    model = load(model_dirs["bart-bert"], headline_max_new_tokens=12)
    ids = model.tokenizer("天津港开通运营")["input_ids"]
    assert " " in model.tokenizer.decode(ids, skip_special_tokens=True)  # what BERT's decode gives: 天 津 港 …
    for text in model.generate_batch(TEXTS, "headline"):
        assert text and not re.search(r"[\u4e00-\u9fff，。]\s+[\u4e00-\u9fff，。]", text), text


def test_a_tokenizer_larger_than_the_model_vocabulary_is_refused(tokenizers, tmp_path):
    import transformers as tf

    small = tf.BartForConditionalGeneration(tf.BartConfig(
        vocab_size=100, d_model=16, encoder_layers=1, decoder_layers=1, encoder_attention_heads=2,
        decoder_attention_heads=2, encoder_ffn_dim=32, decoder_ffn_dim=32, max_position_embeddings=32))
    small.save_pretrained(str(tmp_path))
    tokenizers["spm"].save_pretrained(str(tmp_path))
    with pytest.raises(ModelError, match="the tokenizer has 3000 tokens, the model only 100"):
        load(tmp_path)


def test_a_model_that_is_not_seq2seq_is_refused(tokenizers, tmp_path):
    import transformers as tf

    tf.BertForMaskedLM(tf.BertConfig(vocab_size=len(tokenizers["bert"]), hidden_size=16, num_hidden_layers=1,
                                     num_attention_heads=2, intermediate_size=32)).save_pretrained(str(tmp_path))
    tokenizers["bert"].save_pretrained(str(tmp_path))
    with pytest.raises(ModelError, match="cannot load the model|not an encoder-decoder"):
        load(tmp_path)


def test_a_directory_without_tokenizer_is_refused(model_dirs, tmp_path):
    for name in ("config.json", "generation_config.json", "model.safetensors"):
        source = model_dirs["bart"] / name
        if source.exists():
            (tmp_path / name).write_bytes(source.read_bytes())
    with pytest.raises(ModelError, match="has no tokenizer"):
        load(tmp_path)


@pytest.mark.skipif(torch.cuda.is_available(), reason="there is a GPU here")
def test_cuda_without_a_gpu_is_a_model_error(model_dirs):
    with pytest.raises(ModelError, match="no GPU"):
        Seq2SeqModel.load(Seq2SeqOptions(model_dir=model_dirs["bart"], device="cuda"))


@pytest.fixture(scope="module")
def seed_articles():
    return [clean_article(a) for a in read_exports([SEED]).articles][:12]


def test_random_model_in_the_briefing_falls_back_where_the_guard_says_so(model_dirs, seed_articles):
    summarizer = build_summarizer(SummaryOptions(model=Seq2SeqOptions(model_dir=model_dirs["bart"], device="cpu")))
    extractive = get_summarizer("extractive")
    summaries = summarizer.summarize_many(seed_articles)
    assert [summarizer(seed_articles[0])] == summaries[:1]  # one at a time = in a batch
    for article, summary in zip(seed_articles, summaries):
        plain = extractive(article)
        assert summary.headline_method in (METHOD, FALLBACK)
        if summary.headline_method == FALLBACK:
            assert summary.headline == plain.headline
        assert summary.method in (METHOD, FALLBACK, f"{METHOD}+{FALLBACK}", "extractive")
        if summary.method in (FALLBACK, "extractive"):
            assert summary.text == plain.text
    # Random weights write nonsense; the guard must catch nearly all of it.
    assert sum(s.headline_method == FALLBACK for s in summaries) >= len(summaries) - 1


@dataclass(frozen=True)
class SummaryOptionsWithModel(SummaryOptions):
    """SummaryOptions as config.py will build it once it carries summary.model.*."""

    model: Seq2SeqOptions | None = None


def test_registry_builds_the_backend_from_summary_options(model_dirs):
    options = SummaryOptionsWithModel(model=Seq2SeqOptions(model_dir=model_dirs["t5"], device="cpu"))
    summarizer = get_summarizer("seq2seq", options)
    assert isinstance(summarizer, Seq2SeqSummarizer)
    assert summarizer.model.options.model_dir == model_dirs["t5"]


def test_summarize_command_with_a_model(model_dirs, tmp_path, capsys):
    data = tmp_path / "in.jsonl"
    data.write_text("".join(json.dumps({"source": t}, ensure_ascii=False) + "\n" for t in TEXTS), encoding="utf-8")
    parser = argparse.ArgumentParser()
    summarize_command.add_parser(parser.add_subparsers(dest="command"))
    for mode in ("headline", "summary"):
        args = parser.parse_args(["summarize", "-i", str(data), "--mode", mode, "--model", str(model_dirs["mbart"]),
                                  "--device", "cpu", "--batch-size", "2"])
        assert summarize_command.run(args) == 0
        lines = [json.loads(line) for line in capsys.readouterr().out.splitlines()]
        assert len(lines) == len(TEXTS)
        assert all(set(line) == {mode, "method"} for line in lines)
