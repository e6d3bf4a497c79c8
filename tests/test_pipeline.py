import datetime as dt
import json
from collections import Counter

import pytest

from digest.clock import parse_week
from digest.config import Config
from digest.errors import InputError
from digest.period import Kind, Period
from digest.pipeline import run
from digest.render import render
from digest.summarize import SummaryOptions

from conftest import SEED, make_record, write_export

DAYS = [dt.date(2026, 1, d) for d in range(9, 21)]


def accounted(briefing) -> Counter:
    seen = Counter()
    for item in briefing.items:
        seen[item.aid] += 1
        for post in item.related:
            seen[post.aid] += 1
    for skip in briefing.skipped:
        if skip.aid:
            seen[skip.aid] += 1
    return seen


@pytest.mark.parametrize("day", DAYS, ids=str)
def test_every_article_of_each_day_appears_exactly_once(day, seed_records):
    briefing = run([SEED], Period.day(day), Config())
    expected = {r["文章标识符aid"] for r in seed_records if r["时间time"] == day.isoformat()}
    seen = accounted(briefing)
    assert set(seen) == expected
    assert set(seen.values()) == {1}
    assert briefing.post_count == len(expected)


@pytest.mark.parametrize("week", ["2026-W02", "2026-W03", "2026-W04"])
def test_every_article_of_each_week_appears_exactly_once(week, seed_records):
    start, end = parse_week(week)
    briefing = run([SEED], Period.week_of(start), Config())
    expected = {r["文章标识符aid"] for r in seed_records
                if start <= dt.date.fromisoformat(r["时间time"]) <= end}
    seen = accounted(briefing)
    assert set(seen) == expected and set(seen.values()) == {1}
    totals = {day: sum(n for _, n in counts) for day, counts in briefing.day_counts}
    assert sum(totals.values()) == len(expected)
    assert briefing.period == week


def test_sections_follow_category_order_and_scores_descend():
    briefing = run([SEED], Period.parse(Kind.WEEKLY, "2026-W03"), Config())
    order = ["governance", "economy", "weather", "transport", "society"]
    assert [s.category for s in briefing.sections] == [c for c in order if c in {s.category for s in briefing.sections}]
    for section in briefing.sections:
        scores = [item.score for item in section.items]
        assert scores == sorted(scores, reverse=True)


def test_default_period_is_the_newest_day_or_week():
    assert run([SEED], None, Config()).start == dt.date(2026, 1, 20)
    week = run([SEED], None, Config(), kind=Kind.WEEKLY)
    assert (week.start, week.end) == (dt.date(2026, 1, 19), dt.date(2026, 1, 25))


def test_overview_counts_and_top_stories():
    briefing = run([SEED], Period.day(dt.date(2026, 1, 18)), Config())
    # items and posts both said where related posts are folded in, so the section headers agree
    assert briefing.overview == "1月18日（星期日）共3项（4篇推送）：时政2项、天气1项（2篇）。"
    from digest.overview import highlights

    top = highlights(briefing.sections, 4)
    assert len(top) == 3 and "张工调度降雪天气应对工作" in [i.headline for i in top]
    assert {i.category for i in top} == {"governance", "weather"}


def test_empty_period_is_a_clear_error():
    with pytest.raises(InputError, match="no article published in 2026-02-01 .*2026-01-09 to 2026-01-20"):
        run([SEED], Period.day(dt.date(2026, 2, 1)), Config())


def test_skips_reach_the_briefing(tmp_path, seed_path):
    write_export(tmp_path / "bad.json", [make_record(aid="1_1", time="2026-01-20", content=""),
                                         make_record(aid="2_1", time="2026-01-19", content="")])
    (tmp_path / "broken.json").write_text("[", encoding="utf-8")
    briefing = run([seed_path, tmp_path], Period.day(dt.date(2026, 1, 20)), Config())
    data = json.loads(render(briefing, "json", Config()))
    # The other day's broken record waits for its own briefing; a broken file shows everywhere.
    folder = tmp_path.name
    assert data["skipped"] == [
        {"aid": "1_1", "file": f"{folder}/bad.json", "position": 1, "reason": "article has no content"},
        {"file": f"{folder}/broken.json", "reason": "invalid JSON at line 1 column 2: Expecting value"},
    ]


def test_a_period_whose_posts_all_clean_away_has_no_posts(tmp_path):
    from digest.errors import NoPostsError

    path = write_export(tmp_path / "x.json", [make_record(aid="1_1", time="2026-01-05", content="&nbsp;┏━━┓")])
    with pytest.raises(NoPostsError, match="has any text left after cleaning") as caught:
        run([path], None, Config())
    assert [s.aid for s in caught.value.skipped] == ["1_1"]


def test_article_with_nothing_left_after_cleaning_is_skipped(tmp_path):
    path = write_export(tmp_path / "x.json", [
        make_record(aid="1_1", time="2026-01-05", content="来源：天津日报"),
        make_record(aid="2_1", time="2026-01-05"),
    ])
    briefing = run([path], None, Config())
    assert [i.aid for i in briefing.items] == ["2_1"]
    assert [(s.aid, s.reason) for s in briefing.skipped] == [("1_1", "no text left after cleaning")]


def test_output_is_deterministic(clock):
    outputs = set()
    for _ in range(2):
        briefing = run([SEED], Period.parse(Kind.WEEKLY, "2026-W03"), Config())
        outputs.add(b"".join(render(briefing, fmt, Config(), clock) for fmt in ("json", "md", "html", "email")))
    assert len(outputs) == 1


def test_input_order_does_not_change_the_briefing(tmp_path, seed_records):
    write_export(tmp_path / "reversed.json", list(reversed(seed_records)))
    forward = render(run([SEED], None, Config()), "json", Config())
    backward = render(run([tmp_path / "reversed.json"], None, Config()), "json", Config())
    assert forward == backward


def test_a_batching_backend_gets_one_call_per_briefing(monkeypatch):
    from digest import summarize
    from digest.records import Summary

    calls = []

    class Batching:
        name = "batching"

        def __call__(self, article):
            raise AssertionError("the pipeline should batch")

        def summarize_many(self, articles):
            calls.append(len(articles))
            return [Summary(headline=a.title, text=a.sentences[0], method="batching") for a in articles]

    monkeypatch.setitem(summarize._REGISTRY, "batching", lambda options: Batching())
    briefing = run([SEED], Period.parse(Kind.WEEKLY, "2026-W03"), Config(summary=SummaryOptions(backend="batching")))
    assert calls == [len(briefing.items)]
    assert {item.method for item in briefing.items} == {"batching"}
