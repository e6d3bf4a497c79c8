"""The model backend's logic without a model: options, text conventions, extract-then-compress
with the guard, and `digest summarize`. None of this needs torch."""

import argparse
import json
import subprocess
import sys

import pytest
from conftest import ROOT, SEED

from digest.clean import clean_article
from digest.commands import summarize as summarize_command
from digest.errors import ConfigError, InputError, ModelError
from digest.ingest import read_exports
from digest.summarize import SummaryOptions, get_summarizer
from digest.summarize.cjk import fold_full_width, strip_cjk_spaces
from digest.summarize.seq2seq import (
    FALLBACK,
    Candidate,
    METHOD,
    Seq2SeqOptions,
    Seq2SeqSummarizer,
    build_summarizer,
    lead_passage,
    pieces_of,
    summary_method,
)


def test_registering_the_backend_imports_no_torch():
    code = ("import sys, digest.summarize as s; assert 'seq2seq' in s.available(); "
            "assert not {'torch', 'transformers'} & set(sys.modules), 'torch imported'")
    subprocess.run([sys.executable, "-c", code], check=True, cwd=ROOT)


def test_missing_or_invalid_model_directory_is_a_model_error(tmp_path):
    with pytest.raises(ModelError, match="no model directory at .*nope"):
        build_summarizer(SummaryOptions(model=Seq2SeqOptions(model_dir=tmp_path / "nope")))
    with pytest.raises(ModelError, match="no config.json"):
        build_summarizer(SummaryOptions(model=Seq2SeqOptions(model_dir=tmp_path)))
    (tmp_path / "config.json").write_text("{}")
    with pytest.raises(ModelError, match="has no tokenizer"):
        build_summarizer(SummaryOptions(model=Seq2SeqOptions(model_dir=tmp_path)))


def test_auto_falls_back_to_extractive_when_the_shipped_model_is_missing(caplog, seed_articles):
    # conftest points the shipped model's folder at nothing for tests not marked shipped_model
    summarizer = get_summarizer("auto")
    assert summarizer.name == "extractive"
    assert "summaries are extractive" in caplog.text
    assert summarizer(next(iter(seed_articles.values()))).method == "extractive"


def test_auto_with_a_model_folder_the_user_named_must_load(tmp_path):
    options = SummaryOptions(model=Seq2SeqOptions(model_dir=tmp_path / "missing"))
    with pytest.raises(ModelError, match="no model directory"):
        get_summarizer("auto", options)


@pytest.mark.parametrize("change, message", [
    ({"device": "tpu"}, "device = .tpu.: must be one of auto, cpu, cuda"),
    ({"batch_size": 0}, "batch_size = 0: must be a positive integer"),
    ({"num_beams": 0}, "num_beams"),
    ({"no_repeat_ngram_size": -1}, "no_repeat_ngram_size"),
])
def test_options_are_checked(change, message):
    with pytest.raises(ConfigError, match=message):
        Seq2SeqOptions(**change)


@pytest.mark.parametrize("raw, clean", [
    ("天 津 港 ， 1 月 16 日 开 通", "天津港，1月16日开通"),
    ("New York 时 报", "New York 时报"),  # Latin words keep their spaces
    ("GDP 增 长", "GDP 增长"),
    (" 天津 ", "天津"),
])
def test_strip_cjk_spaces(raw, clean):
    assert strip_cjk_spaces(raw) == clean


def test_fold_full_width_keeps_chinese_punctuation():
    assert fold_full_width("ＧＤＰ增长１２％，：！") == "GDP增长12％，：！"


class ScriptedModel:
    """Stands in for Seq2SeqModel: answers each text with `answer(text, mode)` (one candidate, or a
    list of them, best first) and records the calls."""

    def __init__(self, answer):
        self.answer = answer
        self.calls = []

    def generate_candidates(self, texts, mode):
        self.calls.append((list(texts), mode))
        answers = [self.answer(text, mode) for text in texts]
        return [[c if isinstance(c, Candidate) else Candidate(c, -0.1) for c in (a if isinstance(a, list) else [a])]
                for a in answers]


@pytest.fixture(scope="module")
def seed_articles():
    return {a.aid: clean_article(a) for a in read_exports([SEED]).articles}


@pytest.fixture(scope="module")
def meeting(seed_articles):
    return seed_articles["2247552477_1"]  # 1月16日，市长张工主持召开市政府第96次常务会议。…


def faithful(text, mode):
    return text[:16] if mode == "headline" else text[: len(text) // 2]


def test_faithful_generations_are_used(meeting):
    summarizer = Seq2SeqSummarizer(ScriptedModel(faithful), SummaryOptions(model=Seq2SeqOptions(compress=True)))
    summary = summarizer(meeting)
    assert (summary.headline, summary.headline_method) == ("1月16日，市长张工主持召开市政", METHOD)
    assert summary.method == METHOD
    plain = get_summarizer("extractive")(meeting)
    assert summary.text != plain.text and summary.text.endswith("。")
    assert len(summary.text) < len(plain.text)


def test_invented_facts_fall_back_to_the_extracted_text(meeting):
    summarizer = Seq2SeqSummarizer(ScriptedModel(lambda text, mode: "市长李明华主持召开第97次会议"), SummaryOptions(model=Seq2SeqOptions(compress=True)))
    summary = summarizer(meeting)
    plain = get_summarizer("extractive")(meeting)
    assert (summary.headline, summary.headline_method) == (plain.headline, FALLBACK)
    assert (summary.text, summary.method) == (plain.text, FALLBACK)


def test_the_best_candidate_the_guard_accepts_is_shown(meeting):
    def answer(text, mode):
        return ["市长李明华主持召开第97次会议", "张工在地震中主持召开会议", faithful(text, mode)]

    model = ScriptedModel(answer)
    details = Seq2SeqSummarizer(model, SummaryOptions(model=Seq2SeqOptions(compress=True))).headline_details([meeting])
    assert details[0].generated == "市长李明华主持召开第97次会议"  # the best beam, as the model ranked it
    assert (details[0].headline, details[0].method) == ("1月16日，市长张工主持召开市政", METHOD)
    summary = Seq2SeqSummarizer(ScriptedModel(answer), SummaryOptions(model=Seq2SeqOptions(compress=True)))(meeting)
    assert summary.method == METHOD and "李明华" not in summary.text and "地震" not in summary.text


def test_candidates_the_model_is_unsure_of_are_not_shown(meeting):
    def answer(text, mode):
        return [Candidate("张工主持召开市长96次常务会议", -0.9), Candidate("市长张工主持召开常务会议", -0.5)]

    details = Seq2SeqSummarizer(ScriptedModel(answer), SummaryOptions(model=Seq2SeqOptions(min_score=-0.6))).headline_details([meeting])
    assert (details[0].headline, details[0].method, details[0].score) == ("市长张工主持召开常务会议", METHOD, -0.5)
    assert "市长张工主持召开" in details[0].passage  # what the model read, for the faithfulness bench
    details = Seq2SeqSummarizer(ScriptedModel(answer), SummaryOptions(model=Seq2SeqOptions(min_score=-0.4))).headline_details([meeting])
    assert details[0].method == FALLBACK and details[0].verdict.reason == "unsure (score -0.90 < -0.4)"
    assert details[0].score is None


def test_when_no_candidate_passes_the_best_beams_reason_is_kept(meeting):
    model = ScriptedModel(lambda text, mode: ["市长李明华主持召开会议", "张工在地震中主持召开会议"])
    details = Seq2SeqSummarizer(model, SummaryOptions()).headline_details([meeting])
    assert details[0].method == FALLBACK
    assert "name '李明华'" in details[0].verdict.reason


def test_without_compression_the_summary_is_the_extracted_one(seed_articles):
    model = ScriptedModel(faithful)
    articles = list(seed_articles.values())[:6]
    summaries = Seq2SeqSummarizer(model, SummaryOptions()).summarize_many(articles)
    plain = [get_summarizer("extractive")(a) for a in articles]
    assert [(s.text, s.method) for s in summaries] == [(p.text, p.method) for p in plain]
    assert any(s.headline_method == METHOD for s in summaries)
    assert [mode for _, mode in model.calls] == ["headline"]  # no sentence was sent to the model


def test_one_rejected_sentence_of_several_is_named_in_the_method(seed_articles):
    snow = seed_articles["2247552478_2"]  # two long sentences: the snow of 1月17日 and the wind and cold

    def answer(text, mode):
        return "陆地有5到6级东北风" if "东北风" in text else faithful(text, mode)

    summary = Seq2SeqSummarizer(ScriptedModel(answer), SummaryOptions(model=Seq2SeqOptions(compress=True)))(snow)
    assert summary.method == f"{METHOD}+{FALLBACK}"
    assert "陆地有3到4级东北风" in summary.text  # the rejected sentence, as extracted
    assert "5到6" not in summary.text


def test_sentence_details_say_what_became_of_each_sentence(seed_articles):
    snow = seed_articles["2247552478_2"]

    def answer(text, mode):
        return "陆地有5到6级东北风" if "东北风" in text else faithful(text, mode)

    # Off by default, yet the details show what compression would make of each sentence.
    summarizer = Seq2SeqSummarizer(ScriptedModel(answer), SummaryOptions())
    (results,) = summarizer.sentence_details([snow])
    assert "".join(r.sentence for r in results) == get_summarizer("extractive")(snow).text
    rejected = [r for r in results if r.method == FALLBACK]
    assert [(r.generated, r.text == r.sentence) for r in rejected] == [("陆地有5到6级东北风", True)]
    assert rejected[0].verdict.reason == "number '5' is not in the source"
    assert {r.method for r in results} == {METHOD, FALLBACK}
    compressed = Seq2SeqSummarizer(ScriptedModel(answer), SummaryOptions(model=Seq2SeqOptions(compress=True)))(snow)
    assert compressed.text == "".join(r.text for r in results)


def test_short_sentences_are_kept_whole(meeting):
    summary = Seq2SeqSummarizer(ScriptedModel(faithful), SummaryOptions(model=Seq2SeqOptions(compress=True)))(meeting)
    assert "会议审议《关于推进“站产城”融合发展的意见》。" in summary.text  # under 30 characters: not compressed


def test_headline_longer_than_allowed_falls_back(meeting):
    summarizer = Seq2SeqSummarizer(ScriptedModel(lambda text, mode: text[:60]), SummaryOptions(headline_max_chars=40, model=Seq2SeqOptions(compress=True)))
    assert summarizer(meeting).headline_method == FALLBACK


def test_many_articles_take_one_model_call_per_mode(seed_articles):
    model = ScriptedModel(faithful)
    articles = list(seed_articles.values())[:6]
    summaries = Seq2SeqSummarizer(model, SummaryOptions(model=Seq2SeqOptions(compress=True))).summarize_many(articles)
    assert len(summaries) == 6
    assert [mode for _, mode in model.calls] == ["headline", "summary"]
    assert len(model.calls[0][0]) == 6


def test_an_article_without_text_is_not_sent_to_the_model():
    article = summarize_command.article_from_text("")
    model = ScriptedModel(faithful)
    summary = Seq2SeqSummarizer(model, SummaryOptions(model=Seq2SeqOptions(compress=True)))(article)
    assert model.calls == [([], "headline"), ([], "summary")]
    assert (summary.headline_method, summary.method) == (FALLBACK, "extractive")


def test_lead_passage_and_pieces():
    units = ["各位市民：", "1月16日，市政府召开常务会议。", "会议审议了有关事项。", "会议强调要抓好落实。"]
    assert lead_passage(units, 1, max_chars=30) == "1月16日，市政府召开常务会议。会议审议了有关事项。"
    assert lead_passage(units, None, max_chars=3) == "各位市民："  # at least one sentence
    assert pieces_of("1月16日，市政府召开常务会议。会议强调要抓好落实。", units) == [units[1], units[3]]
    assert pieces_of("别的句子。另一句。", units) == ["别的句子。", "另一句。"]


@pytest.mark.parametrize("methods, method", [
    ([METHOD, "extractive"], METHOD), ([FALLBACK, "extractive"], FALLBACK), (["extractive"], "extractive"),
    ([METHOD, FALLBACK], f"{METHOD}+{FALLBACK}"), ([], "extractive"),
])
def test_summary_method(methods, method):
    assert summary_method(methods) == method


def command(*argv):
    parser = argparse.ArgumentParser()
    summarize_command.add_parser(parser.add_subparsers(dest="command"))
    return summarize_command.run(parser.parse_args(["summarize", *argv]))


def write_jsonl(path, records):
    path.write_text("".join(json.dumps(r, ensure_ascii=False) + "\n" for r in records) + "\n", encoding="utf-8")
    return path


def test_command_prints_one_json_line_per_input_line_in_order(tmp_path, capsys, seed_records):
    sources = [r["finalContent"] for r in seed_records[:4]]
    data = write_jsonl(tmp_path / "in.jsonl", [{"source": s, "summary": "x"} for s in sources])
    for mode in ("headline", "summary"):
        assert command("-i", str(data), "--mode", mode, "--backend", "extractive") == 0
        lines = [json.loads(line) for line in capsys.readouterr().out.splitlines()]
        expected = [get_summarizer("extractive")(summarize_command.article_from_text(s)) for s in sources]
        if mode == "headline":
            assert lines == [{"headline": e.headline, "method": e.headline_method} for e in expected]
        else:
            assert lines == [{"summary": e.text, "method": e.method} for e in expected]


def test_command_lists_backends(capsys):
    assert command("--list") == 0
    assert capsys.readouterr().out.split() == ["auto", "extractive", "seq2seq"]


@pytest.mark.parametrize("content, message", [
    ('{"text": "天津"}\n', r"in.jsonl:1: no text under 'source'"),
    ('{"source": "天津"}\nnot json\n', r"in.jsonl:2: not JSON"),
    ('["天津"]\n', r"in.jsonl:1: no text under"),
])
def test_command_names_the_bad_line(tmp_path, content, message):
    (tmp_path / "in.jsonl").write_text(content, encoding="utf-8")
    with pytest.raises(InputError, match=message):
        command("-i", str(tmp_path / "in.jsonl"), "--backend", "extractive")


def test_command_without_input_or_model(tmp_path):
    with pytest.raises(InputError, match="needs --input"):
        command()
    write_jsonl(tmp_path / "in.jsonl", [{"source": "天津"}])
    with pytest.raises(ModelError, match="no model directory"):
        command("-i", str(tmp_path / "in.jsonl"), "--model", str(tmp_path / "missing"))
