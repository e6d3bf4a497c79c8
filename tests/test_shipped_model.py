"""The model in models/: it loads offline, writes the briefing's headlines, and states only what its post states."""

import json
import math
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
from digest.summarize.seq2seq_model import Seq2SeqModel  # noqa: E402
from digest.summarize.seq2seq_options import DEFAULT_MODEL_DIR, Seq2SeqOptions  # noqa: E402

pytestmark = pytest.mark.shipped_model

MAX_BYTES = 60 * 10**6
# Arabic numbers and Latin words: facts a reader would act on, checked here
# independently of the guard's own (richer) rules.
_FIGURE = re.compile(r"\d+(?:\.\d+)?|[A-Za-z]{2,}")


# Every fourth seed post: 13 posts across the fortnight and all five categories. The checks are the
# same as on all 51; generating for a quarter of them keeps the suite's slowest file short.
SAMPLE = slice(None, None, 4)


@pytest.fixture(scope="module")
def shipped_model():
    """The model, loaded once for the module; each summariser below shares it."""
    return Seq2SeqModel.load(Seq2SeqOptions())


@pytest.fixture(scope="module")
def seed_articles():
    return [clean_article(a) for a in read_exports([SEED]).articles][SAMPLE]


def _summarize_seed(model, articles, options: SummaryOptions):
    summarizer = Seq2SeqSummarizer(model, options)
    return articles, summarizer.summarize_many(articles)


@pytest.fixture(scope="module")
def seed_summaries(shipped_model, seed_articles):
    return _summarize_seed(shipped_model, seed_articles, SummaryOptions(model=Seq2SeqOptions()))


@pytest.fixture(scope="module")
def unfloored_seed_summaries(shipped_model, seed_articles):
    """The model shows every candidate the guard accepts, and compresses summary sentences too."""
    return _summarize_seed(shipped_model, seed_articles,
                           SummaryOptions(model=Seq2SeqOptions(min_score=-math.inf, compress=True)))


def test_auto_picks_the_shipped_model():
    assert isinstance(get_summarizer("auto", SummaryOptions()), Seq2SeqSummarizer), "auto did not pick the shipped model"


def _plain(text: str) -> str:
    return re.sub(r"\s+|(?<=\d),(?=\d{3})", "", unicodedata.normalize("NFKC", text))


def test_the_model_folder_is_complete_small_and_documented():
    assert {"config.json", "model.safetensors", "tokenizer.json", "generation_config.json",
            "MODEL_CARD.md"} <= {p.name for p in DEFAULT_MODEL_DIR.iterdir()}
    assert sum(p.stat().st_size for p in DEFAULT_MODEL_DIR.iterdir()) <= MAX_BYTES
    assert json.loads((DEFAULT_MODEL_DIR / "config.json").read_text())["model_type"] == MODEL_TYPE
    card = (DEFAULT_MODEL_DIR / "MODEL_CARD.md").read_text(encoding="utf-8")
    assert "research" in card and "LCSTS" in card


@pytest.mark.parametrize("fixture", ["seed_summaries", "unfloored_seed_summaries"])
def test_every_seed_post_gets_a_headline_and_summary_that_state_only_its_own_figures(fixture, request):
    articles, summaries = request.getfixturevalue(fixture)
    assert len(summaries) == len(articles) == len(range(51)[SAMPLE])
    for article, summary in zip(articles, summaries):
        source = _plain(article.title + "".join(p.text for p in article.paragraphs))
        for text in (summary.headline, summary.text):
            assert text.strip()
            for figure in _FIGURE.findall(_plain(text)):
                assert figure in source, (article.aid, figure, text)
        assert summary.headline_method in (METHOD, FALLBACK)
        assert summary.method in ("extractive", METHOD, FALLBACK, f"{METHOD}+{FALLBACK}")


def test_the_model_writes_the_seed_headlines_it_is_sure_of(seed_summaries, unfloored_seed_summaries):
    articles, summaries = seed_summaries
    written = [s for s in summaries if s.headline_method == METHOD]
    # The score floor keeps about a fifth (10 of 51 when measured); without it the guard alone passes four fifths.
    assert len(written) >= 0.15 * len(summaries), [s.headline for s in summaries]
    unfloored = [s for s in unfloored_seed_summaries[1] if s.headline_method == METHOD]
    assert len(unfloored) >= 0.6 * len(summaries)
    assert {s.headline for s in written} <= {s.headline for s in unfloored}
    titles = {a.title for a in articles}
    # informative headlines, not the post's (often clickbait) title copied back
    assert sum(s.headline in titles for s in unfloored) <= len(unfloored) // 4
    assert any(s.method != "extractive" for s in unfloored_seed_summaries[1])  # compression was on


def _daily_items(tmp_path, *options):
    output = tmp_path / "daily.json"
    assert main(["daily", "--input", str(SEED), "--date", "2026-01-16", "--format", "json", "-o", str(output),
                 *options]) == 0
    return [item for section in json.loads(output.read_text())["sections"] for item in section["items"]]


def test_the_model_writes_briefing_headlines_offline_when_asked(tmp_path, monkeypatch):
    monkeypatch.setenv("HF_HUB_OFFLINE", "1")
    monkeypatch.setenv("TRANSFORMERS_OFFLINE", "1")
    items = _daily_items(tmp_path, "--summarizer", "auto")
    # Every headline went through the model (fallback: the model's was not shown), and some are its own.
    assert items and {item["headline_method"] for item in items} <= {METHOD, FALLBACK}
    assert any(item["headline_method"] == METHOD for item in items)
    assert ROOT / "models" in DEFAULT_MODEL_DIR.parents


def test_by_default_the_briefing_does_not_use_the_model_even_when_it_is_there(tmp_path):
    """Blind labels found most of its headlines unfaithful (MODEL_CARD.md): extracted text until a model passes."""
    items = _daily_items(tmp_path)
    assert items and {item["headline_method"] for item in items} <= {"document", "title", "lead", "resolved-title"}
