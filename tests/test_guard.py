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
