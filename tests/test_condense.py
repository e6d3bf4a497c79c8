"""A lead that says its headline and then the key fact: the summary carries the fact, not the headline again."""

import pytest

from digest.clean import clean_article
from digest.ingest import read_exports
from digest.summarize import get_summarizer
from digest.summarize.condense import CUT_MARK, fit_clauses, said_by_headline, subtract_headline
from digest.summarize.keyfacts import repeats_headline

from conftest import SEED


@pytest.fixture(scope="module")
def seed():
    summarizer = get_summarizer("extractive")
    return {a.aid: summarizer(clean_article(a)) for a in read_exports([SEED]).articles}


def test_a_clause_with_qualifiers_and_a_dateline_still_says_the_headline():
    headline = "张工主持召开市政府全体会议"
    assert said_by_headline(headline, "市长张工主持召开市第十八届人民政府第三次全体会议，")
    assert not said_by_headline(headline, "讨论并原则通过《政府工作报告（讨论稿）》。")
    # Who decided is not the headline though the headline names it.
    assert not said_by_headline("天津市人民政府关于表彰第十三届天津市专利奖获奖项目的决定", "市人民政府决定，")


def test_subtract_headline_keeps_the_dateline_what_follows_and_an_apposition():
    lead = "1月16日上午，市长张工主持召开市第十八届人民政府第三次全体会议，讨论并原则通过《政府工作报告（讨论稿）》。"
    assert subtract_headline("张工主持召开市政府全体会议", lead) == "1月16日上午，讨论并原则通过《政府工作报告（讨论稿）》。"
    street = ("日前，作为天津市首个以骑行为主题的文创街区，鑫恩华·天津飞鸽骑行文创街区正式开街，"
              "昔日的工业引擎重塑多元共生的骑行生态圈，为城市更新写下生动注脚。")
    assert subtract_headline("鑫恩华·天津飞鸽骑行文创街区正式开街", street) == (
        "日前，作为天津市首个以骑行为主题的文创街区，昔日的工业引擎重塑多元共生的骑行生态圈，为城市更新写下生动注脚。")
    # A source goes; a statement of its own before the headline goes, and the dateline with it.
    assert subtract_headline("首套检测系统在天津基地投用", "昨日从海油工程获悉，首套检测系统在天津基地投用，"
                             "标志着检测领域取得重要突破。") == "标志着检测领域取得重要突破。"
    salt = ("1月10日，生态海盐产品发布会在津举办，我国首批生态海盐产品正式发布，填补了国内高端生态盐品空白，"
            "标志着我国盐行业迈入新阶段。")
    assert subtract_headline("我国首批生态海盐产品正式发布", salt) == "填补了国内高端生态盐品空白，标志着我国盐行业迈入新阶段。"


def test_subtract_headline_leaves_nothing_that_says_too_little():
    late = "东丽区围绕航空航天、装备制造、新材料和生物医药四大方向培育产业集群，天津东丽区成绩耀眼，令人瞩目。"
    assert subtract_headline("天津东丽区成绩耀眼", late) == ""
    assert subtract_headline("韩正访问白俄罗斯", "韩正访问白俄罗斯。") == ""
    unrelated = "天津港开通新航线。"
    assert subtract_headline("市政府召开常务会议", unrelated) == unrelated


def test_fit_clauses_keeps_whole_clauses_and_ends_a_statement():
    agenda = "1月15日，传达学习贯彻讲话精神，听取市纪委监委2025年工作情况汇报，审议十二届市纪委五次全会工作报告，研究部署有关工作。"
    assert fit_clauses(agenda, 40) == "1月15日，传达学习贯彻讲话精神，听取市纪委监委2025年工作情况汇报。"
    assert fit_clauses(agenda, 200) == agenda
    # A clause that leaves its statement unsaid (…表示，) is not an end; nor is a dateline.
    assert fit_clauses("他在会上表示，天津将建设更多创新平台并持续优化营商环境。", 20) == ""
    assert fit_clauses("1月15日，天津将建设更多创新平台并持续优化营商环境。", 10) == ""


def test_fit_clauses_starts_at_the_decision_after_purpose_clauses():
    decision = "为表彰先进，根据《天津市专利促进条例》有关规定，市人民政府决定，授予20项专利金奖，授予79项专利优秀奖。"
    assert fit_clauses(decision, 150) == "市人民政府决定，授予20项专利金奖，授予79项专利优秀奖。"


def test_a_list_of_documents_is_cut_between_names_with_etc_only_where_the_post_says_it():
    passed = "会议原则通过《甲规划纲要（草案）》《乙计划草案的报告》《丙预算草案的报告》。"
    assert fit_clauses(passed, 30) == "会议原则通过《甲规划纲要（草案）》《乙计划草案的报告》" + CUT_MARK
    said_etc = "会议审议《甲规划纲要（草案）》《乙计划草案的报告》《丙预算草案的报告》等文件。"
    assert fit_clauses(said_etc, 32) == "会议审议《甲规划纲要（草案）》《乙计划草案的报告》等文件。"
    assert fit_clauses(passed, 10) == ""  # not even one name fits


def test_the_government_meeting_summary_names_what_it_passed_not_the_meeting_again(seed):
    summary = seed["2247552448_1"]
    assert summary.headline == "张工主持召开市政府全体会议"
    assert "《政府工作报告（讨论稿）》" in summary.text and "原则通过" in summary.text
    assert "主持召开" not in summary.text
    assert len(summary.text) <= 150


@pytest.mark.parametrize("aid, key_facts", [
    ("2247552402_1", ["传达学习贯彻", "听取市纪委监委2025年工作情况汇报"]),  # the agenda, not a directive
    ("2247552195_1", ["20项专利", "79项专利", "1项专利"]),  # honours decision: the counts
    ("2247552202_1", ["99个单位", "147名同志"]),
    ("2247552220_1", ["服务贸易", "98项具体举措"]),
    ("2247552336_1", ["天津市首个以骑行为主题的文创街区"]),
    ("2247552237_1", ["填补了国内高端生态盐品空白"]),
    ("2247552424_1", ["签署合作意向协议", "跨境孵化基地"]),
    ("2247552161_1", ["原则同意"]),
    ("2247552504_1", ["1.21亿吨"]),
    ("2247552257_1", ["《天津经济发展报告（2026）》"]),  # what the forum released, not who organised it
    ("2247552236_1", ["600余名代表"]),
])
def test_seed_summaries_carry_the_key_fact_without_saying_the_headline_again(seed, aid, key_facts):
    summary = seed[aid]
    for fact in key_facts:
        assert fact in summary.text, (aid, summary.text)
    assert not repeats_headline(summary.headline, summary.text)
    assert not summary.text.startswith(("要", "他"))
