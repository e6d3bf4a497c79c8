"""The model in models/: it loads offline, writes the briefing's headlines, and states only what its post states."""

import json
import re
import unicodedata

import pytest
from conftest import ROOT, SEED

torch = pytest.importorskip("torch")
pytest.importorskip("transformers")

from digest.clean import clean_article  # noqa: E402
from digest.cli import main  # noqa: E402
from digest.ingest import read_exports  # noqa: E402
from digest.summarize import SummaryOptions, get_summarizer  # noqa: E402
from digest.summarize.pointer import MODEL_TYPE  # noqa: E402
from digest.summarize.seq2seq import FALLBACK, METHOD, Seq2SeqSummarizer  # noqa: E402
from digest.summarize.seq2seq_options import DEFAULT_MODEL_DIR  # noqa: E402

pytestmark = pytest.mark.shipped_model

MAX_BYTES = 60 * 10**6
# Arabic numbers and Latin words: facts a reader would act on, checked here
# independently of the guard's own (richer) rules.
_FIGURE = re.compile(r"\d+(?:\.\d+)?|[A-Za-z]{2,}")


@pytest.fixture(scope="module")
def seed_summaries():
    summarizer = get_summarizer("auto", SummaryOptions())
    assert isinstance(summarizer, Seq2SeqSummarizer), "auto did not pick the shipped model"
    articles = [clean_article(a) for a in read_exports([SEED]).articles]
    return articles, summarizer.summarize_many(articles)


def _plain(text: str) -> str:
    return re.sub(r"\s+|(?<=\d),(?=\d{3})", "", unicodedata.normalize("NFKC", text))


def test_the_model_folder_is_complete_small_and_documented():
    assert {"config.json", "model.safetensors", "tokenizer.json", "generation_config.json",
            "MODEL_CARD.md"} <= {p.name for p in DEFAULT_MODEL_DIR.iterdir()}
    assert sum(p.stat().st_size for p in DEFAULT_MODEL_DIR.iterdir()) <= MAX_BYTES
    assert json.loads((DEFAULT_MODEL_DIR / "config.json").read_text())["model_type"] == MODEL_TYPE
    card = (DEFAULT_MODEL_DIR / "MODEL_CARD.md").read_text(encoding="utf-8")
    assert "research" in card and "LCSTS" in card


def test_every_seed_post_gets_a_headline_and_summary_that_state_only_its_own_figures(seed_summaries):
    articles, summaries = seed_summaries
    assert len(summaries) == len(articles) == 51
    for article, summary in zip(articles, summaries):
        source = _plain(article.title + "".join(p.text for p in article.paragraphs))
        for text in (summary.headline, summary.text):
            assert text.strip()
            for figure in _FIGURE.findall(_plain(text)):
                assert figure in source, (article.aid, figure, text)
        assert summary.headline_method in (METHOD, FALLBACK)
        assert summary.method in ("extractive", METHOD, FALLBACK, f"{METHOD}+{FALLBACK}")


def test_the_model_writes_most_seed_headlines(seed_summaries):
    articles, summaries = seed_summaries
    written = [s for s in summaries if s.headline_method == METHOD]
    assert len(written) >= 0.6 * len(summaries), [s.headline for s in summaries]
    titles = {a.title for a in articles}
    # informative headlines, not the post's (often clickbait) title copied back
    assert sum(s.headline in titles for s in written) <= len(written) // 4


def test_the_default_command_uses_the_model_offline(tmp_path, monkeypatch):
    monkeypatch.setenv("HF_HUB_OFFLINE", "1")
    monkeypatch.setenv("TRANSFORMERS_OFFLINE", "1")
    output = tmp_path / "daily.json"
    assert main(["daily", "--input", str(SEED), "--date", "2026-01-19", "--format", "json", "-o", str(output)]) == 0
    items = [item for section in json.loads(output.read_text())["sections"] for item in section["items"]]
    assert items and any(item["headline_method"] == METHOD for item in items)
    assert ROOT / "models" in DEFAULT_MODEL_DIR.parents
