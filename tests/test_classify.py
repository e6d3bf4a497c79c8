import json
from pathlib import Path

import pytest

from digest.classify import Classifier, load_lexicon
from digest.clean import clean_article
from digest.errors import ConfigError
from digest.ingest import read_exports

LABELS = json.loads((Path(__file__).parent / "fixtures" / "seed_labels.json").read_text(encoding="utf-8"))


@pytest.fixture(scope="module")
def predictions():
    classifier = Classifier.default()
    articles = read_exports([Path(__file__).resolve().parents[1] / "examples" / "tianjin-zwb-2026-01.json"]).articles
    return {a.aid: classifier.classify(clean_article(a)) for a in articles}


def test_hand_labelled_seed_accuracy_at_least_90_percent(predictions):
    posts = LABELS["posts"]
    assert len(posts) == 51
    strict = sum(predictions[p["aid"]].category == p["category"] for p in posts)
    lenient = sum(predictions[p["aid"]].category in (p["category"], *p["also"]) for p in posts)
    assert strict / len(posts) >= 0.90, f"strict accuracy {strict}/51"
    assert lenient / len(posts) >= 0.95, f"lenient accuracy {lenient}/51"


@pytest.mark.parametrize("aid, category", [
    ("2247552523_1", "governance"),  # 纪委全会
    ("2247552477_1", "governance"),  # 市政府常务会议
    ("2247552219_1", "governance"),  # 市委常委会
    ("2247552422_1", "weather"),  # snow forecast
    ("2247552478_2", "weather"),  # cold days ahead
    ("2247552345_1", "transport"),  # metro line Z4
    ("2247552449_1", "transport"),  # high-speed rail timetable
    ("2247552506_1", "economy"),  # 46 projects signed
    ("2247552505_1", "economy"),  # Tianjin port
    ("2247552337_1", "society"),  # employment policy
])
def test_obvious_posts(predictions, aid, category):
    assert predictions[aid].category == category


def test_every_item_says_why(predictions):
    for result in predictions.values():
        assert result.reason.split(":")[0] in {"时政", "经济", "天气", "交通", "社会民生"}
        assert result.matched or "catch-all" in result.reason
    port = predictions["2247552505_1"]
    assert port.matched[0][0] == "天津港"
    assert dict(port.scores)["economy"] > dict(port.scores)["transport"]


def test_title_outweighs_tail():
    classifier = Classifier.default()
    body = "会议听取了港口、投资和产业情况汇报。"
    assert classifier.classify_text("市委常委会召开会议", "", body).category == "governance"
    assert classifier.classify_text("港口吞吐量创新高", "", "市委市政府高度重视。").category == "economy"


def test_nothing_matched_is_the_catch_all():
    result = Classifier.default().classify_text("今天的故事", "一只猫在晒太阳。")
    assert result.category == "society"
    assert "catch-all" in result.reason


def test_user_lexicon_is_layered_over_defaults(tmp_path):
    user = tmp_path / "mine.toml"
    user.write_text('[categories.transport.terms]\n"共享单车" = 9\n"交通" = 0\n', encoding="utf-8")
    lexicon = load_lexicon(user)
    assert lexicon.terms["transport"]["共享单车"] == 9
    assert "交通" not in lexicon.terms["transport"]
    assert lexicon.terms["transport"]["地铁"] == 6  # default kept
    classifier = Classifier(lexicon)
    assert classifier.classify_text("共享单车新规").category == "transport"


@pytest.mark.parametrize("text, message", [
    ('[categories.sports.terms]\n"足球" = 3\n', "unknown category 'sports'"),
    ('[colours]\nred = 1\n', "unknown lexicon tables: colours"),
    ('[categories.economy.terms]\n"港口" = "many"\n', "non-numeric"),
    ('not toml at all [', "cannot read lexicon"),
])
def test_bad_user_lexicon_is_a_clear_error(tmp_path, text, message):
    user = tmp_path / "bad.toml"
    user.write_text(text, encoding="utf-8")
    with pytest.raises(ConfigError, match=message):
        load_lexicon(user)


def test_terms_match_whole_words_only():
    classifier = Classifier.default()
    # 学习教育 is a party study campaign, not education; 新气象 is "a new look", not meteorology.
    assert classifier.classify_text("推动学习教育走深走实").category == "governance"
    sport = classifier.evidence("展现我国冰雪运动蓬勃发展新气象")
    assert "气象" not in sport.lexicon["weather"]
    assert classifier.classify_text("中央气象台发布寒潮预警").category == "weather"


def test_prior_is_named_only_where_it_decides(tmp_path):
    user = tmp_path / "prior.toml"
    user.write_text('[classify.prior]\nsociety = 0\ntransport = 100\n', encoding="utf-8")
    classifier = Classifier(load_lexicon(user))
    assert classifier.lexicon.tuning.prior["economy"] == 2  # the default kept
    tipped = classifier.classify_text("港口吞吐量创新高")
    assert tipped.category == "transport" and "prior +100" in tipped.reason
    plain = Classifier.default().classify_text("港口吞吐量创新高")
    assert plain.category == "economy" and "prior" not in plain.reason


def test_unknown_prior_category_is_an_error(tmp_path):
    user = tmp_path / "bad.toml"
    user.write_text('[classify.prior]\nsports = 3\n', encoding="utf-8")
    with pytest.raises(ConfigError, match="sports"):
        load_lexicon(user)
