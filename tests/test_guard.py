"""The faithfulness guard on made-up adversarial generations."""

import pytest

from digest.summarize.guard import default_guard, normalise, numbers, occurs_as_number, repeated_unit

SOURCE = (
    "1月16日，市长张工主持召开市政府第96次常务会议，审议《关于推进“站产城”融合发展的意见》。"
    "全市ＧＤＰ增长5.2%，投资１２亿元，三名代表、十三个项目获表彰，1,080人参加，滨海新区Z4线开通运营。"
)

CASES = [
    # (generated, accepted, reason fragment)
    ("张工主持召开第96次常务会议", True, ""),
    ("张工主持召开第97次常务会议", False, "number '97'"),
    ("1月16日市政府召开常务会议", True, ""),
    ("1月6日市政府召开常务会议", False, "number '1月6日'"),  # 6日 is a piece of 16日
    ("2025年1月16日召开常务会议", False, "2025年"),  # an invented year
    ("全市GDP增长5.2%", True, ""),  # full-width ＧＤＰ in the source matches
    ("全市GDP增长5%", False, "number '5%'"),
    ("全市GDP增长5.2个百分点", False, "number '5.2'"),  # 5.2 is only there as 5.2%
    ("投资12亿元推进项目", True, ""),  # full-width １２ in the source matches
    ("投资12万元推进项目", False, "number '12万'"),
    ("投资12元推进项目建设", False, "number '12'"),  # the magnitude belongs to the value
    ("1080人参加会议", True, ""),  # 1,080 in the source
    ("108人参加会议", False, "number '108'"),
    ("三名代表获表彰", True, ""),
    ("五名代表获表彰", False, "number '五名'"),
    ("三个项目获表彰", False, "number '三个'"),  # 三个 is a piece of 十三个
    ("十三个项目获表彰", True, ""),
    ("市政府召开第二次会议", False, "number '第二次'"),
    ("市长李明华主持召开常务会议", False, "name '李明华'"),
    ("北京市政府召开常务会议", False, "name"),
    ("滨海新区Z4线开通运营", True, ""),
    ("滨海新区Z6线开通运营", False, "not in the source"),  # as the number 6 or the code Z6
    ("全市CPI增长明显", False, "name 'CPI'"),
    ("结束结束结束", False, "repeats '结束'"),
    ("会议会议会议审议意见", False, "repeats"),
    ("市长张工主持召开召开召开会议", False, "repeats"),
    ("", False, "empty"),
    ("张工主持召开\ufffd常务会议", False, "broken characters"),  # byte-fallback pieces that decode to nothing
    ("  ，。 ", False, "too short"),
    # nouns the post never uses: phrases a model learnt from 新闻联播, not from this post
    ("【奋进新征程建功新时代】张工主持召开常务会议", False, "noun '征程'"),
    ("张工在地震中主持召开常务会议", False, "noun '地震'"),
    ("滨海新区Z4线开通运营方便市民出行", False, "noun '市民'"),
    ("张工主持召开常务会议推动站产城融合", True, ""),  # verbs are the headline's own words
    ("市政府常务会议审议有关情况", True, ""),  # a noun that names no fact
    ("张工", False, "too short"),
]


@pytest.mark.parametrize("generated, accepted, reason", CASES)
def test_guard_table(generated, accepted, reason):
    verdict = default_guard().check(generated, SOURCE)
    assert verdict.accepted is accepted, verdict.reason
    assert bool(verdict) is accepted
    assert reason in verdict.reason


def test_too_long_is_rejected_only_with_a_limit():
    text = "张工主持召开常务会议审议意见"
    assert default_guard().check(text, SOURCE)
    verdict = default_guard().check(text, SOURCE, max_chars=10)
    assert not verdict and "too long" in verdict.reason


def test_normalise_folds_full_width_and_thousands():
    assert normalise("ＧＤＰ增长　１２％，共1,080人") == "GDP增长12%,共1080人"


def test_numbers_found():
    assert numbers("1月16日，投资3.5亿元，增长12%，第二批三名代表和十三个项目，一些人统一行动") == [
        "1月16日", "3.5亿", "12%", "第二批", "三名", "十三个",
    ]


def test_number_occurrence_respects_number_boundaries():
    assert occurs_as_number("16", "1月16日")
    assert not occurs_as_number("6", "1月16日")
    assert not occurs_as_number("5", "增长5.5%")
    assert not occurs_as_number("5", "投资5亿元")
    assert occurs_as_number("5亿", "投资5亿元")
    assert not occurs_as_number("二十", "二十五")


@pytest.mark.parametrize("text, unit", [
    ("结束结束结束", "结束"), ("好好好", "好"), ("天津港天津港天津港", "天津港"), ("开通开通", None),
    ("投资1000万元", None), ("……！！！", None), ("今天天气很好", None),
])
def test_repeated_unit(text, unit):
    assert repeated_unit(text) == unit


# -- Relaxations (each measured with bench/guard_rates.py) and the invented facts they must still catch.
WIDE_SOURCE = (
    "国务院总理李克强在湖北主持会议。中央纪律检查委员会通报，我国去年投资600,000万元，"
    "五年来建成1.2万套住房，土地收入超过财政收入的30%，三名代表发言。07年5月起试点，16日签约，1月起施行。"
    "公司注册资本5万亿元。中共中央、国务院印发意见。"
)

WIDE_CASES = [
    ("李克强在湖北主持会议", True, ""),  # 国务院总理李克强 -> 李克强: a substring
    ("湖北省召开会议研究投资", True, ""),  # 湖北省 for 湖北
    ("中纪委通报投资情况", True, ""),  # an organisation's abbreviation
    ("中国去年投资60亿元", True, ""),  # 中国 for 我国; 60亿 = 600000万
    ("5年来建成12000套住房", True, ""),  # 五年 = 5年; 1.2万 = 12000
    ("土地收入超财政收入三成", True, ""),  # 三成 = 30%
    ("3名代表发言谈投资", True, ""),  # 三名 = 3名
    ("2007年5月起试点住房", True, ""),  # 07年 is unambiguous
    ("1月16日签约建设住房", True, ""),  # a bare 16日 with 1月 in the source
    ("曝光：湖北上市公司投资", True, ""),
    ("中共中央国务院印发意见", True, ""),  # against 中共中央、国务院 below
    ("中共中央军委印发意见", False, "name"),  # ordinary words jieba tags as names
    ("迎新春：湖北宜居住房投资", True, ""),  # 迎新春 and 宜居: words of 新闻联播 headlines, not names
    ("迎新春：湖南宜居住房投资", False, "name '湖南'"),  # ...which excuse no place beside them
    # invented facts
    ("李明华在湖北主持会议", False, "name '李明华'"),  # an invented person
    ("李克在湖北主持会议", False, "name '李克' is cut short"),  # 李克 is someone else than 李克强
    ("李克强在湖南主持会议", False, "name '湖南'"),  # an invented place
    ("湖南省召开会议研究投资", False, "name '湖南省'"),
    ("中国证监会通报投资情况", False, "name"),  # an organisation the source does not name
    ("中国去年投资60万元", False, "number '60万'"),  # a changed magnitude
    ("中国去年投资6亿元", False, "number '6亿'"),
    ("五年来建成1.3万套住房", False, "number '1.3万'"),  # a changed digit
    ("土地收入超财政收入四成", False, "number '四成'"),
    ("土地收入超财政收入3%", False, "number '3%'"),  # 30% is not 3%
    ("三个项目获奖五年来建房", False, "number '三个'"),  # 三名 people are not 三个 projects
    ("六名代表发言谈投资", False, "number '六名'"),  # absent from the source
    ("2008年5月起试点住房", False, "2008年"),
    ("07年6月起试点住房", False, "6月"),  # a month stated nowhere
    ("1月17日签约建设住房", False, "1月17日"),  # a date shifted by one day
    ("2月16日签约建设住房", False, "2月16日"),  # a month the source never states
    ("公司注册资本5万元", False, "number '5万'"),  # 5万 is not the 5万 of 5万亿
    ("公司注册资本5亿元", False, "number '5亿'"),
]


@pytest.mark.parametrize("generated, accepted, reason", WIDE_CASES)
def test_guard_relaxations_and_invented_facts(generated, accepted, reason):
    verdict = default_guard().check(generated, WIDE_SOURCE)
    assert verdict.accepted is accepted, verdict.reason
    assert reason in verdict.reason


def test_short_years_only_when_unambiguous():
    # 15年 alone may be fifteen years: it does not state 2015年 ...
    assert not default_guard().check("2015年房价上涨", "房价15年上涨了一倍")
    # ... but 15年3月 and 09年 are years, and a headline may shorten a stated year.
    assert default_guard().check("2015年3月房价上涨", "15年3月房价上涨一成")
    assert default_guard().check("09年房价上涨", "2009年房价上涨一成")
    assert not default_guard().check("08年房价上涨", "2009年房价上涨一成")


def test_date_with_month_elsewhere_needs_a_bare_day():
    source = "3月16日发布通知，1月起施行"
    assert not default_guard().check("1月16日发布通知", source)  # 16日 belongs to 3月 there
    assert default_guard().check("3月16日发布通知", source)


def test_values():
    from decimal import Decimal

    from digest.summarize.guard import value

    assert value("60亿") == value("600000万") == ("", Decimal(6 * 10**9))
    assert value("1.2万") == ("", Decimal(12000))
    assert value("三成") == ("%", Decimal(30)) == value("30%")
    assert value("十三个") == ("", Decimal(13))
    assert value("三千万") == value("3千万") == ("", Decimal(3 * 10**7))
    assert value("二〇一五") == ("", Decimal(2015))
    assert value("三四") is None  # three or four: a range, not 34
    assert value("1月16日") is None


# -- Units: an Arabic number with a unit needs the same value with the same unit (or a
# synonym) in the source; a bare number states no unit and matches any whole-number occurrence.
UNIT_CASES = [
    # (generated, source, accepted, reason fragment)
    ("5名代表参加会议", "5月，代表参加会议", False, "number '5名'"),  # people are not May
    ("3天完成企业重组", "3家企业完成重组", False, "number '3天'"),
    ("企业利润增长12%", "12个企业利润增长", False, "number '12%'"),
    ("12个企业利润增长", "企业利润增长12%", False, "number '12'"),
    ("利润增长10个百分点", "利润增长10%", False, "number '10'"),  # 10% is not 10 percentage points
    ("利润增长10%", "利润增长10个百分点", False, "number '10%'"),
    ("利润增长3.5个百分点", "利润增长3.5%", False, "number '3.5'"),
    ("12个百分点的增长", "12个项目增长", False, "number '12个百分点'"),  # 个百分点 is read whole
    ("1月5日签约建设", "1月起施行，2月5日签约建设", False, "1月5日"),  # 5日 of another month
    ("中秋赏月在9日凌晨", "今年9月8日中秋节", False, "number '9日'"),  # 9 is the month
    ("262项成果发布会", "262人参加成果发布会", False, "number '262项'"),
    ("46名项目负责人", "46个优质项目落地", False, "number '46名'"),
    ("投资1.5亿美元建设", "投资1.5亿建设", False, "number '1.5亿美元'"),  # a currency the source never names
    ("买iPhone5前须知的5件事", "iPhone5在美国9月21日发售", False, "number '5件'"),
    ("五名代表参加会议", "5月，代表参加会议", False, "number '五名'"),  # Chinese numerals already did this
    # legitimate forms
    ("5名代表参加会议", "5名代表参加了会议", True, ""),
    ("5名代表参加会议", "五名代表参加了会议", True, ""),
    ("5人代表参加会议", "5名代表参加了会议", True, ""),  # 人/名/位 count people alike
    ("262名市民参加发布会", "262人参加成果发布会，市民踊跃", True, ""),
    ("利润增长3.5%", "全年利润增长3.5%", True, ""),
    ("2026年起施行新规", "新规自2026年起施行", True, ""),
    ("2024年跨年晚会播出", "《启航2024》跨年晚会", True, ""),  # a year written without 年
    ("46个项目落地", "46个优质项目落地", True, ""),
    ("投资1.5亿元建设", "投资1.5亿建设", True, ""),  # a bare amount of money is in 元
    ("合作意向超6700项", "促成合作意向6700多项", True, ""),  # read past 多
    ("伊核协议20日开始落实", "伊核协议同意于本月20号开始落实", True, ""),  # 号 = 日
    ("李克强1天出席三峰会", "李克强一天之内出席三个峰会", True, ""),  # 一 is 1 when a unit follows
    ("5月起施行新规", "新规5月16日起施行", True, ""),
    ("16日起施行新规", "新规1月16日起施行", True, ""),
    ("19大城市公布方案", "19个大城市公布方案", True, ""),
    ("10省份调整纪委书记", "10个省份调整纪委书记", True, ""),  # 省 is no unit: 10省 is 10个省
    ("南京大屠杀75周年祭", "75年前的今天，南京大屠杀", True, ""),  # 周年 = 年
    # A bare number states no unit, so it may stand for the source's 5月 or 5名: deliberate.
    ("新规解读(5)", "新规5月起施行", True, ""),
]


@pytest.mark.parametrize("generated, source, accepted, reason", UNIT_CASES)
def test_units_must_match(generated, source, accepted, reason):
    verdict = default_guard().check(generated, source)
    assert verdict.accepted is accepted, verdict.reason
    assert reason in verdict.reason


def test_units_read_after_a_whole_number():
    from digest.summarize.guard import units

    assert units("5", "5月有5名代表，共5") == {"月", "名", ""}
    assert units("10", "增长10个百分点") == {"个百分点"}
    assert units("6700", "6700多项") == {"项"}
    assert units("262", "262人、262位") == {"名"}
    assert units("5", "投资5亿元，增长5.5%，共15人") == set()  # none of these is the number 5
