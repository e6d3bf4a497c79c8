import re

import pytest

from digest.clean import clean_article
from digest.errors import ConfigError
from digest.ingest import read_exports
from digest.records import Article
from digest.summarize import SummaryOptions, available, get_summarizer
from digest.summarize.condense import CUT_MARK
from digest.summarize.extractive import LEAD_STRETCH, candidate_units, summary_units
from digest.summarize.headline import DOCUMENT_STRETCH, document_name, lead_clause, title_clause
from digest.summarize.keyfacts import clauses
from digest.summarize.listing import list_summary
from digest.summarize.titles import expand_short_names, is_teaser, resolve_title

from conftest import SEED

OPTIONS = SummaryOptions()


@pytest.fixture(scope="module")
def seed_summaries():
    summarizer = get_summarizer("extractive")
    cleaned = [clean_article(a) for a in read_exports([SEED]).articles]
    return [(c, summarizer(c)) for c in cleaned]


def test_registry():
    assert "extractive" in available()
    with pytest.raises(ConfigError, match="unknown summarizer 'nope'"):
        get_summarizer("nope")


CLAUSE_MARKS = "，,；;。！？!?：:、"


def test_summaries_are_whole_clauses_of_the_post_of_bounded_length(seed_summaries):
    for article, summary in seed_summaries:
        assert summary.method == "extractive"
        assert summary.text, article.aid
        own = {clause.rstrip(CLAUSE_MARKS) for sentence in article.sentences for clause in clauses(sentence)}
        if summary.text == list_summary(article.sentences, summary.headline, OPTIONS.max_chars):
            # A list post names its items: each clause one of the post's own (listing.py).
            assert len(summary.text) <= OPTIONS.max_chars, article.aid
            assert all(c.rstrip(CLAUSE_MARKS) in own for c in clauses(summary.text)), article.aid
            continue
        units = candidate_units(article.sentences, round(OPTIONS.max_chars * LEAD_STRETCH))
        # The summary joins what its sentences may give (whole, less the headline's clauses, or their
        # first clauses that fit), in document order.
        pieces = summary_units(units, summary.headline, OPTIONS.max_chars)
        remaining, used = summary.text, []
        for index, piece in enumerate(pieces):
            if piece and remaining.startswith(piece):
                remaining = remaining[len(piece):]
                used.append(index)
        assert remaining == "", f"{article.aid}: summary is not made of the post's clauses"
        assert 1 <= len(used) <= OPTIONS.max_sentences
        assert len(summary.text) <= OPTIONS.max_chars, article.aid
        # Each clause is one of the post's own, its end mark aside; a list of names cut short ends with CUT_MARK.
        for clause in (c for index in used for c in clauses(pieces[index])):
            body = clause.rstrip(CLAUSE_MARKS)
            if body.endswith(CUT_MARK):
                assert any(c.startswith(body[: -len(CUT_MARK)]) for c in own), (article.aid, clause)
            else:
                assert body in own, (article.aid, clause)


def test_most_summaries_land_in_the_target_length(seed_summaries):
    lengths = [len(s.text) for _, s in seed_summaries]
    in_range = sum(40 <= n <= 150 for n in lengths)
    assert in_range / len(lengths) >= 0.8, lengths


def test_meeting_summary_says_what_the_meeting_took_up_not_the_headline_again(seed_summaries):
    by_aid = {a.aid: s for a, s in seed_summaries}
    assert by_aid["2247552477_1"].headline == "市政府召开第96次常务会议"
    assert "主持召开市政府第96次常务会议" not in by_aid["2247552477_1"].text
    assert by_aid["2247552477_1"].text.startswith("会议审议《关于推进“站产城”融合发展的意见》。")


def test_roll_calls_are_not_summaries(seed_summaries):
    for _, summary in seed_summaries:
        for sentence in re.findall(r"[^。！？]+[。！？]", summary.text)[1:]:
            assert not re.search(r"(出席|参加|陪同)。$", sentence), summary.text


@pytest.mark.parametrize("title, teaser", [
    ("天津这项指标全国居首！", True),
    ("又一论坛在津举行！会上发布多项——", True),
    ("重磅！这家国内领军企业落子滨海新区", True),
    ("正式发布！天津新增一重磅计划！", True),  # which plan is the news
    ("市政府召开第96次常务会议", False),
    ("京津冀首开环线高铁！26日起实行新运行图", False),
    ("我国首批，在津正式发布！", True),  # first batch of what?
    ("全国首个！天津又一中心正式成立", True),
    ("突破340亿元！创近五年新高", True),  # what reached it?
    ("增长5.2%！天津经济稳中向好", True),
    # The same words in titles that tell (新闻联播 headlines): no teasers.
    ("超121万港人签名支持政改方案", False),
    ("突破百万亿元 中国经济实现历史性跨越", False),
    ("全国无新增报告确诊病例 为1月16日以来首次", False),
])
def test_teaser_titles(title, teaser):
    assert is_teaser(title) is teaser


def test_teaser_title_gets_a_headline_from_the_lead(seed_summaries):
    by_aid = {a.aid: s for a, s in seed_summaries}
    forum = by_aid["2247552257_1"]  # 又一论坛在津举行！会上发布多项——
    assert forum.headline_method == "lead"
    assert forum.headline == "天津宏观经济论坛暨天津经济社会发展报告发布会在津举行"
    meeting = by_aid["2247552477_1"]
    assert (meeting.headline, meeting.headline_method) == ("市政府召开第96次常务会议", "title")


def test_a_teaser_title_is_spelt_out_by_the_clause_that_echoes_it(seed_summaries):
    by_title = {a.title: s for a, s in seed_summaries}
    for title, headline in [
        ("我国首批，在津正式发布！", "我国首批生态海盐产品正式发布"),  # the lead's second clause
        ("全国首个！天津又一中心正式成立", "天津水务行业信创适配双创中心正式成立"),  # the second sentence
        # Echoed by no clause: the lead, which runs on past the bare year.
        ("突破340亿元！创近五年新高", "2025年，天津市非金融企业在银行间债券市场净融资额达340.15亿元"),
    ]:
        assert (by_title[title].headline, by_title[title].headline_method) == (headline, "lead")


def test_a_pointer_the_post_makes_plain_is_filled_in_when_the_lead_is_about_something_else(seed_summaries):
    by_title = {a.title: s for a, s in seed_summaries}
    for title, headline, method in [
        # The lead opens on a rocket launch (力箭一号…刺破苍穹); the post is about 东丽区.
        ("培育4个百亿级产业集群！天津这区成绩耀眼", "培育4个百亿级产业集群，天津东丽区成绩耀眼", "resolved-title"),
        # …（以下简称望圆科技）: the lead says only 公司销售收入继续大幅飙升.
        ("全球前三、中国第一！天津这家企业成绩单亮了！", "全球前三、中国第一，天津望圆科技成绩单亮了", "resolved-title"),
        # A lead that tells the title's story stays, though 这个区 could be filled in too.
        ("新模式！这个区率先启动！", "和平区在全市率先启动实施孕娩托育闭环新模式", "lead"),
    ]:
        assert (by_title[title].headline, by_title[title].headline_method) == (headline, method)


def test_a_document_is_named_in_full_and_a_bare_meeting_by_what_it_took_up(seed_summaries):
    by_title = {a.title: s for a, s in seed_summaries}
    policy = by_title["我市出台《实施方案》，推出98项具体举措"]
    assert policy.headline_method == "resolved-title"
    assert policy.headline == ("我市出台《天津市关于做好自由贸易试验区全面对接国际高标准经贸规则推进高水平制度型开放试点措施"
                               "复制推广工作的实施方案》，推出98项具体举措")
    meeting = by_title["市委常委会召开会议"]
    assert (meeting.headline, meeting.headline_method) == ("市委常委会召开会议，学习贯彻1月8日中央政治局常务委员会会议精神",
                                                           "lead")
    # A meeting title that names its subject stays.
    assert by_title["市政府召开第96次常务会议"].headline_method == "title"


@pytest.mark.parametrize("text, expected", [
    ("我市出台《实施方案》", "我市出台《天津市某某工作实施方案》"),
    ("我市出台《天津市某某工作实施方案》", "我市出台《天津市某某工作实施方案》"),  # already in full
    ("我市出台《实施意见》", "我市出台《实施意见》"),  # the post defines no such short name
    ("我市出台《实施方案》" + "，" * 40, "我市出台《实施方案》" + "，" * 40),  # too long in full
])
def test_expand_short_names(text, expected):
    body = "近日，我市印发《天津市某某工作实施方案》（以下简称《实施方案》）。《实施方案》提出……"
    assert expand_short_names(text, body, 50) == expected


@pytest.mark.parametrize("title, body, expected", [
    ("天津这区成绩耀眼！", "东丽区引入企业。东丽区培育集群。华明高新区属东丽区。河西区也有。", "天津东丽区成绩耀眼"),
    ("这个区率先启动托育新模式！", "和平区启动。和平区推广。和平区总结。", "和平区率先启动托育新模式"),
    # Two districts named as often: which one the title means is a guess.
    ("天津这区成绩耀眼！", "东丽区引入企业。东丽区培育。东丽区总结。河西区引入。河西区培育。河西区总结。", ""),
    ("天津这区成绩耀眼！", "东丽区引入企业。", ""),  # named once: not plainly the subject
    # Kinds of places are not districts.
    ("天津这区成绩耀眼！", "开发区引入企业。开发区培育。开发区总结。全区推广。", ""),
    ("天津这家企业亮了！", "某某科技股份有限公司（以下简称某某科技）成立。某某科技研发。某某科技出海。",
     "天津某某科技亮了"),
    ("天津这家企业亮了！", "甲科技有限公司（以下简称甲科技）与乙材料有限公司（以下简称乙材料）合作。甲科技、乙材料、甲科技。", ""),
    ("天津这项指标全国居首！", "东丽区引入企业。东丽区培育。东丽区总结。", ""),  # points at no name
    ("又一中心落户这个区！", "和平区启动。和平区推广。和平区总结。", ""),  # 又一中心 still teases
])
def test_resolve_title(title, body, expected):
    assert resolve_title(title, body) == expected


@pytest.mark.parametrize("title, body, expected", [
    ("又一平台宣告成立！", "昨日，某区召开大会。会上，某区人工智能协同平台宣告成立。", "某区人工智能协同平台宣告成立"),
    # A clause that only says the title again tells nothing more.
    ("天津又一平台宣告成立！", "天津又一平台宣告成立。市领导出席。", ""),
    # One that echoes the title but says nothing happened (no event verb) has lost its subject.
    ("厉害了！又是两个“连续全球第一”", "2025年，汽车产销量双双突破3400万辆，连续17年稳居全球第一。", ""),
    # The clause stands alone as a headline: 在此 points at a place it does not show.
    ("又一推介会在津举行！", "1月9日，天津市养老金融项目推介会在此举行。", "天津市养老金融项目推介会举行"),
    # Too few of the title's words: a different story.
    ("又一中心正式成立！", "某公司与某大学签署合作协议，共建联合实验室。", ""),
])
def test_title_clause(title, body, expected):
    from digest.clean import split_sentences

    assert title_clause(title, list(split_sentences(body)), 40) == expected


def test_headlines_are_short_and_from_the_source(seed_summaries):
    for article, summary in seed_summaries:
        # A document's full name is never cut, in a title either.
        stretch = DOCUMENT_STRETCH if summary.headline_method in ("document", "resolved-title") else 1.25
        assert 0 < len(summary.headline) <= max(OPTIONS.headline_max_chars * stretch, len(article.title))
        if summary.headline_method == "lead":
            # The post's own words: one run of them, or two where a pointer was named or 在此 left out.
            body = re.sub(r"（[^）]*）", "", article.body)
            headline = summary.headline
            assert headline in body or any(headline[:k] in body and headline[k:] in body
                                           for k in range(2, len(headline) - 1)), headline


@pytest.mark.parametrize("sentence, expected", [
    ("1月11日，天津宏观经济论坛（2026）暨蓝皮书发布会在津举行。", "天津宏观经济论坛暨蓝皮书发布会在津举行"),
    ("昨日，和平区在全市率先启动实施孕娩托育闭环新模式。", "和平区在全市率先启动实施孕娩托育闭环新模式"),
    ("作为国内领军企业，昨日，某公司与某区签署合作协议。", "某公司与某区签署合作协议"),
    ("昨日。", ""),
    # A headline does not stop on who said it, on a bare date or on a clause that sets up the next.
    ("市政府新闻发言人表示，轨道交通Z4线一期工程将于1月18日开通运营。",
     "市政府新闻发言人表示，轨道交通Z4线一期工程将于1月18日开通运营"),
    ("统计数据显示，截至12月31日，全市新增经营主体12.3万户。", "统计数据显示，截至12月31日，全市新增经营主体12.3万户"),
    ("就在新线开通运营后，沿线客流增长了三成，地铁公司加密了班次。", "就在新线开通运营后，沿线客流增长了三成"),
    ("全市一般公共预算收入增长5.2%以上，高于年初目标。", "全市一般公共预算收入增长5.2%以上"),
    ("天津港集装箱吞吐量首次突破2300万标准箱，同比增长5%，创历史新高。", "天津港集装箱吞吐量首次突破2300万标准箱"),
    ("市领导表示，" + "要" * 60 + "。", ""),  # what he said does not fit: no headline rather than half of one
    ("据天津日报报道，滨海新区新开通3条公交线路。", "滨海新区新开通3条公交线路"),  # the outlet goes
    # A colon's clause runs on to what it announces; a long description before —— gives way to the name.
    ("近日，天津某勘查局在南美的旗舰项目——某矿山勘探项目传来捷报：项目单月生产效率创下历史新高，成为重要里程碑。",
     "天津某勘查局在南美的旗舰项目——某矿山勘探项目传来捷报：项目单月生产效率创下历史新高"),
    ("昨天，由市国资委指导、某集团牵头，多家市属国有企业和相关战略合作单位共同参与的产业服务与协同创新组织"
     "——市国资系统人工智能产业协同平台宣告成立。", "市国资系统人工智能产业协同平台宣告成立"),
    ("昨日，由某大学与某区人民政府携手共建的某大学京津冀生物医学前沿创新中心在某经济技术开发区正式启用。",
     "某大学京津冀生物医学前沿创新中心在某经济技术开发区正式启用"),  # too long with who built it
    ("据知情人士透露，某集团已列入混合所有制改革名单。", "据知情人士透露，某集团已列入混合所有制改革名单"),  # hearsay stays so
    # A pointer is named from the framing clause the headline leaves out, if that clause names it.
    ("1月16日上午，在天津港某某煤码头有限公司集控中心，随着指令传至现场，这个码头迎来自动化作业新突破。",
     "天津港某某煤码头迎来自动化作业新突破"),
    ("1月16日上午，随着指令传至现场，这个码头迎来自动化作业新突破。", "这个码头迎来自动化作业新突破"),
    # 在此 "here" points at a place the headline does not show; 在此次 is "this time".
    ("1月9日，天津市养老金融项目推介会在此举办。", "天津市养老金融项目推介会举办"),
    ("某医院的医疗队在此次义诊中完成手术300台。", "某医院的医疗队在此次义诊中完成手术300台"),
    # A last clause of a few characters finishes the statement; a longer one is left for the summary.
    ("明天，我们迎来二十四节气中，最后一个节气，大寒。", "明天，我们迎来二十四节气中，最后一个节气，大寒"),
    ("一男子持刀，对多名群众乱砍，连伤4人。", "一男子持刀，对多名群众乱砍，连伤4人"),
    ("一男子持刀，对多名群众乱砍，造成多人受伤住院。", "一男子持刀，对多名群众乱砍"),
    ("“目前案件已进行到取证阶段。”", "“目前案件已进行到取证阶段”"),  # the quotation is closed, not a clause
    ("他说：“我们要加快建设，确保年底完工。”", ""),  # who 他 is lies outside the clause
    # A headline never stops inside a document's name, whatever commas the name holds.
    ("1月5日，天津市人民政府办公厅印发《关于加快发展，推动转型升级的若干意见》，提出十条措施。",
     "天津市人民政府办公厅印发《关于加快发展，推动转型升级的若干意见》"),
])
def test_lead_clause(sentence, expected):
    assert lead_clause(sentence, 40) == expected


def test_odd_articles_never_fail():
    import datetime as dt

    summarizer = get_summarizer("extractive")
    for content, expected in [("短。", "短。"), ("没有标点的一整段文字" * 30, ""), ("一句话" * 100 + "。", ""),
                              ("主要包括：", "主要包括：")]:
        article = clean_article(Article("x_1", "标题", "", dt.date(2026, 1, 1), "", content))
        summary = summarizer(article)
        assert summary.headline == "标题"
        assert summary.text == expected  # never a cut sentence


APPROVAL = ("天津市人民政府关于天津市\r中心城区外围地区10P-04-06单元01街坊\r部分地块（天安商服地块）控制性\r"
            "详细规划（修改）的批复\r")


def document_post(opening):
    import datetime as dt

    content = (opening + "东丽区人民政府、市规划资源局：\r你们的请示收悉。经研究，现批复如下：\r一、原则同意。\r"
               "天津市人民政府\r2025年12月30日")
    return clean_article(Article("x_1", "重磅！市政府发布这一文件", "", dt.date(2026, 1, 1), "", content))


@pytest.mark.parametrize("opening, expected", [
    ("天津市人民政府关于印发\r天津市某某专项行动方案的通知\r",
     ("天津市人民政府关于印发天津市某某专项行动方案的通知", "document")),
    (APPROVAL, ("天津市人民政府关于天津市中心城区外围地区10P-04-06单元01街坊部分地块（天安商服地块）控制性详细规划（修改）的批复",
                "document")),
    ("关于做好春节期间安全工作\r", ("市政府发布这一文件", "title")),  # a heading, but no document's name
])
def test_a_post_that_publishes_a_document_is_headed_by_its_name(opening, expected):
    summary = get_summarizer("extractive")(document_post(opening))
    assert (summary.headline, summary.headline_method) == expected


def test_a_document_name_too_long_loses_its_asides_not_its_words():
    name = document_name(document_post(APPROVAL), 50)
    assert name == "天津市人民政府关于天津市中心城区外围地区10P-04-06单元01街坊部分地块控制性详细规划的批复"
    assert document_name(document_post(APPROVAL), 40) == ""
