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
    # invented facts
    ("李明华在湖北主持会议", False, "name '李明华'"),  # an invented person
    ("李克在湖北主持会议", True, ""),  # (a substring of a stated name is not invented)
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
