"""Character ROUGE against values worked out by hand."""

import pytest

from digest.summarize.rouge import corpus_rouge, lcs_length, rouge, rouge_units


def test_units_drop_spaces_and_punctuation_but_keep_digits_letters_and_symbols():
    # % is Unicode punctuation (Po) and goes; ¥ is a symbol (Sc) and stays
    assert rouge_units("天津 港，“开通”！ 3% ¥5 A") == list("天津港开通3¥5A")


def test_hand_computed_pair():
    # candidate 天津港开通新航线 (8 chars), reference 天津港新开航线 (7 chars)
    scores = rouge("天津港开通新航线", "天津港新开航线")
    # unigrams: 7 shared (all but 通): P 7/8, R 7/7 -> F1 14/15
    assert scores.rouge1 == pytest.approx(14 / 15)
    # bigrams: 天津 津港 航线 shared of 7 and 6 -> P 3/7, R 1/2 -> F1 6/13
    assert scores.rouge2 == pytest.approx(6 / 13)
    # LCS 天津港+开航线 = 6: P 6/8, R 6/7 -> F1 0.8
    assert scores.rougeL == pytest.approx(0.8)


def test_lcs_length():
    assert lcs_length(list("开通新航线"), list("新开航线")) == 3
    assert lcs_length(list("abc"), list("")) == 0
    assert lcs_length(list("abcbdab"), list("bdcaba")) == 4


def test_punctuation_and_spaces_do_not_count():
    scores = rouge("天津港，开通！", "天 津 港 开 通")
    assert (scores.rouge1, scores.rouge2, scores.rougeL) == (1.0, 1.0, 1.0)


def test_repeated_ngrams_are_clipped():
    scores = rouge("好好好", "好")
    # one 好 matches: P 1/3, R 1 -> F1 0.5; the reference has no bigram
    assert scores.rouge1 == pytest.approx(0.5)
    assert scores.rouge2 == 0.0
    assert scores.rougeL == pytest.approx(0.5)


def test_empty_texts_score_zero():
    assert rouge("", "天津") == rouge("天津", "") == rouge("，。", "天津")
    assert rouge("", "天津").rouge1 == 0.0


def test_corpus_scores_are_mean_percentages():
    corpus = corpus_rouge([("天津港开通新航线", "天津港新开航线"), ("北京", "上海")])
    assert corpus.rouge1 == pytest.approx(100 * (14 / 15 + 0) / 2)
    assert corpus.rougeL == pytest.approx(40.0)
    assert corpus_rouge([]).rouge1 == 0.0
