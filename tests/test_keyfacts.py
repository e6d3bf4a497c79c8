"""The key-fact scorer and the headline/summary pair: no summary says its headline again."""

import json

import pytest

from digest.clean import clean_article
from digest.clean.sentences import split_sentences
from digest.ingest import read_exports
from digest.summarize import SummaryOptions, get_summarizer
from digest.summarize.keyfacts import (FEATURES, WEIGHTS_FILE, clauses, default_scorer, headline_echo, new_facts,
                                       repeats_headline, sentence_units)

from conftest import SEED


@pytest.fixture(scope="module")
def seed_pairs():
    summarizer = get_summarizer("extractive")
    return [(a, summarizer(a)) for a in (clean_article(raw) for raw in read_exports([SEED]).articles)]


@pytest.mark.parametrize("headline, sentence, repeats", [
    # word for word, with a dateline in front
    ("中国共产党天津市第十二届纪律检查委员会第五次全体会议召开",
     "1月19日，中国共产党天津市第十二届纪律检查委员会第五次全体会议召开。", True),
    # nearly: most of the headline again, and only who and when added
    ("市政府召开第96次常务会议", "1月16日，市长张工主持召开市政府第96次常务会议。", True),
    # the headline inside a long sentence is still said twice
    ("北京大学京津冀生物医学前沿创新中心在北辰经济技术开发区正式启用",
     "昨日，由北京大学与北辰区人民政府携手共建的北京大学京津冀生物医学前沿创新中心在北辰经济技术开发区正式启用，"
     "同步启用的还有中心内的京津医药谷生物医学研发平台。", True),
    # common words only (天津, 1月) are no repetition
    ("天津轨道交通上新，1月18日开通运营", "Z4线一期工程（北段）北塘站—寨上站，线路全程23.738千米，设地上站十座。", False),
    # part of the headline, and much more that it does not say
    ("张工调度降雪天气应对工作",
     "下午，市委副书记、市长张工到市政府总值班室视频调度降雪降温天气应对工作，察看城市道路、高速公路等重点区域运行情况，"
     "向市公安交管局、市城市管理委等部门和单位了解交通组织、清雪安排、保供保暖等情况。", False),
    # a document the headline names only states the decision on it
    ("天津市人民政府关于天津市中心城区外围地区10P-04-06单元01街坊部分地块控制性详细规划的批复",
     "一、原则同意《天津市中心城区外围地区10P-04-06单元01街坊部分地块控制性详细规划》。", False),
    # ... but a document the headline quotes is said again
    ("国务院日前印发《城市更新“十五五”规划》", "国务院日前印发《城市更新“十五五”规划》（以下简称《规划》）。", True),
])
def test_repeats_headline(headline, sentence, repeats):
    assert repeats_headline(headline, sentence) is repeats


def test_headline_echo_counts_runs_not_common_characters():
    assert headline_echo("天津港开通新航线", "天津港开通新航线。") == 1.0
    assert headline_echo("天津港开通新航线", "天津市港口新开通") == 0.0  # no shared run of 4
    assert headline_echo("", "任何文字") == 0.0


def test_clauses_never_split_inside_a_document_name_or_quotation():
    assert clauses("会议审议《关于推进“站产城”融合发展，的意见》，强调要落实。") == [
        "会议审议《关于推进“站产城”融合发展，的意见》，", "强调要落实。"]


def test_new_facts_are_what_the_headline_lacks():
    assert new_facts("46个优质项目落地", "总投资额达99.22亿元的46个优质项目“牵手”静海。") == 1
    assert new_facts("天津推出22条措施", "1月13日，《实施意见》发布。") == 2


def test_shipped_weights_match_the_features():
    data = json.loads(WEIGHTS_FILE.read_text(encoding="utf-8"))
    assert tuple(data["features"]) == FEATURES
    assert set(data["weights"]) == {"sentence", "clause"}
    assert "lcsts" not in data["trained_on"]  # the shipped weights carry no research-only data


def test_scorer_prefers_what_happened_over_a_roll_call():
    sentences = split_sentences("1月16日，市政府召开常务会议，审议《关于推进融合发展的意见》。"
                                "市领导张三、李四出席。会议要求各部门抓好落实。")
    scores = default_scorer().score(sentence_units(sentences), "sentence")
    assert scores.index(max(scores)) == 0
    assert scores[1] < scores[0]


def test_no_seed_summary_says_its_headline_again(seed_pairs):
    for article, summary in seed_pairs:
        for sentence in split_sentences(summary.text):
            assert not repeats_headline(summary.headline, sentence), (article.aid, summary.headline, sentence)
        assert len(summary.text) <= SummaryOptions().max_chars, article.aid


def test_seed_summaries_carry_the_key_fact_the_headline_lacks(seed_pairs):
    by_title = {a.title: s for a, s in seed_pairs}
    approval = by_title["市政府最新批复！事关中心城区外围这一地块——"]
    assert approval.text.startswith("一、原则同意《")  # the decision, not "…的请示收悉"
    meeting = by_title["市政府召开第96次常务会议"]
    assert meeting.text.startswith("会议审议《关于推进“站产城”融合发展的意见》。")
    metro = by_title["天津轨道交通上新！1月18日开通运营"]
    assert "Z4线一期工程（北段）" in metro.text


def test_a_quotation_the_sentence_splitter_cut_in_two_does_not_swallow_its_clauses():
    assert clauses("他说“今年是关键一年，各项工作要抓紧，确保完成全年目标任务。") == [
        "他说“今年是关键一年，", "各项工作要抓紧，", "确保完成全年目标任务。"]
