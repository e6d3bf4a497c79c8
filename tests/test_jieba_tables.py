"""jieba's tables read once and cached: what comes out is what jieba itself would read."""

import logging
import statistics

import jieba
import jieba.posseg
import pytest

from digest import jieba_tables

from conftest import SEED

jieba.setLogLevel(logging.WARNING)


def test_a_later_tokenizer_does_not_see_the_first_ones_words():
    first = jieba_tables.tokenizer(["市委常委会", "轨道交通Z4线"])
    plain = jieba_tables.tokenizer()
    reference = jieba.Tokenizer()
    reference.initialize()
    assert plain.FREQ == reference.FREQ and plain.total == reference.total
    assert plain.FREQ is not first.FREQ
    assert first.lcut("市委常委会召开会议") == ["市委常委会", "召开", "会议"]
    assert plain.lcut("市委常委会召开会议") == reference.lcut("市委常委会召开会议")


def test_the_tagger_tags_as_jiebas_own():
    text = SEED.read_text(encoding="utf-8")[:3000]
    reference = jieba.posseg.POSTokenizer(jieba.Tokenizer())
    assert [tuple(p) for p in jieba_tables.pos_tagger().cut(text)] == [tuple(p) for p in reference.cut(text)]


@pytest.fixture
def fresh_cache(tmp_path, monkeypatch):
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path))
    jieba_tables.idf_table.cache_clear()
    jieba_tables.word_tags.cache_clear()
    yield tmp_path / "digest"
    jieba_tables.idf_table.cache_clear()
    jieba_tables.word_tags.cache_clear()


def parsed_idf():
    from pathlib import Path

    idf = {}
    for line in (Path(jieba.__file__).parent / "analyse" / "idf.txt").read_text(encoding="utf-8").splitlines():
        word, _, value = line.rpartition(" ")
        if word:
            idf[word] = float(value)
    return idf


def test_the_idf_table_from_the_cache_is_the_text_table(fresh_cache):
    built = jieba_tables.idf_table()
    assert [p.name.split("-")[0] for p in fresh_cache.iterdir()] == ["idf"]
    jieba_tables.idf_table.cache_clear()
    cached = jieba_tables.idf_table()
    reference = parsed_idf()
    assert built == cached
    assert cached[0] == reference
    assert cached[1] == statistics.median(reference.values())


def test_a_broken_or_unwritable_cache_costs_only_the_parse(fresh_cache, monkeypatch):
    jieba_tables.word_tags()
    (cache,) = fresh_cache.iterdir()
    cache.write_bytes(cache.read_bytes()[:1000])  # cut short
    jieba_tables.word_tags.cache_clear()
    tags = jieba_tables.word_tags()
    assert tags["天津"] == "ns" and len(tags) > 300_000
    monkeypatch.setenv("XDG_CACHE_HOME", "/proc/no-such-place")
    jieba_tables.idf_table.cache_clear()
    assert jieba_tables.idf_table()[0] == parsed_idf()
