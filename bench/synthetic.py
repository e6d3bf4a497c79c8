"""Deterministic synthetic exports for scale tests and bench/scale.py.

Posts are built from the sample export's own sentences, so they read like
government posts and share the register's vocabulary, but every post opens with
a sentence of its own (a numbered place, a number, a date) so no two openings
are alike: many accounts, a week of dates, seeded randomness, no clock.

    distinct_posts(5000)            # 5,000 distinct posts of 20 accounts over a week
    reposted_stories(10, 400)       # 10 stories, each posted by 400 accounts on one day
"""

from __future__ import annotations

import datetime as dt
import json
import random
import re
from functools import lru_cache
from pathlib import Path

SAMPLE = Path(__file__).resolve().parents[1] / "examples" / "tianjin-zwb-2026-01.json"
WEEK_START = dt.date(2026, 1, 19)  # a Monday: ISO week 2026-W04
_SENTENCE = re.compile(r"[^。！？]+[。！？]")
_PLACES = ("和平", "河东", "河西", "南开", "河北", "红桥", "东丽", "西青", "津南", "北辰", "武清", "宝坻",
           "滨海", "宁河", "静海", "蓟州")
_DOINGS = ("召开推进会", "开展专项检查", "启动便民服务", "发布实施方案", "举办招聘活动", "完成道路改造",
           "推出惠企政策", "组织应急演练", "开通公交线路", "建成社区食堂")


@lru_cache(maxsize=1)
def _sample_sentences() -> tuple[tuple[str, ...], tuple[str, ...]]:
    """The sample's titles and its sentences of 20-120 characters, in file order."""
    records = json.loads(SAMPLE.read_text(encoding="utf-8"))
    titles = tuple(r["标题title"] for r in records)
    sentences = tuple(
        s for r in records for s in _SENTENCE.findall(r["finalContent"].replace("\r", "\n"))
        if 20 <= len(s.strip()) <= 120
    )
    return titles, tuple(s.strip() for s in sentences)


def _record(aid: str, title: str, day: dt.date, account: str, paragraphs: list[str]) -> dict:
    mid = aid.split("_")[0]
    return {
        "文章标识符aid": aid,
        "标题title": title,
        "链接url": f"https://mp.weixin.qq.com/s?__biz=synthetic&mid={mid}&idx={aid.split('_')[1]}",
        "时间time": day.isoformat(),
        "公众号名称": account,
        "finalContent": "\r".join(paragraphs),
    }


@lru_cache(maxsize=1)
def _vocabulary() -> tuple[list[str], list[int]]:
    """The sample's words (2-4 characters, split at punctuation, every other position) and their counts:
    drawn by count, they share common words the way real posts do, and rare ones seldom."""
    counts: dict[str, int] = {}
    for sentence in _sample_sentences()[1]:
        for run in re.findall(r"[\u4e00-\u9fff]+", sentence):
            for k in range(0, len(run) - 1, 2):
                word = run[k : k + 2 + (k // 2) % 3]
                counts[word] = counts.get(word, 0) + 1
    words = sorted(counts)
    return words, [counts[w] for w in words]


def distinct_posts(count: int, accounts: int = 20, days: int = 7, seed: int = 16) -> list[dict]:
    """`count` posts with unique titles and openings, spread over `accounts` accounts and `days` days."""
    rng = random.Random(seed)
    _, sentences = _sample_sentences()
    words, weights = _vocabulary()
    posts = []
    for n in range(count):
        day = WEEK_START + dt.timedelta(days=n % days)
        place = _PLACES[rng.randrange(len(_PLACES))]
        title = place + "".join(rng.choices(words, weights, k=rng.randrange(4, 8)))
        opening = (f"{day.month}月{day.day}日，{place}区第{1000 + n}号，"
                   + "".join(rng.choices(words, weights, k=rng.randrange(8, 16))) + "。")
        body = [opening + rng.choice(sentences)]
        body += [" ".join(rng.sample(sentences, 2)) for _ in range(rng.randrange(2, 5))]
        posts.append(_record(f"{3000000000 + n}_{n % 4 + 1}", title, day, f"合成账号{n % accounts:03d}", body))
    return posts


def reposted_stories(stories: int, accounts: int, seed: int = 400) -> list[dict]:
    """`stories` stories of one day, each posted word for word by `accounts` accounts."""
    rng = random.Random(seed)
    titles, sentences = _sample_sentences()
    posts = []
    for s in range(stories):
        place = _PLACES[s % len(_PLACES)]
        opening = f"{WEEK_START.month}月{WEEK_START.day}日，{place}区第{s}号{_DOINGS[s % len(_DOINGS)]}。"
        body = [opening + rng.choice(sentences)] + [" ".join(rng.sample(sentences, 2)) for _ in range(3)]
        title = f"{place}区{_DOINGS[s % len(_DOINGS)]}：{titles[s % len(titles)][:16]}"
        for a in range(accounts):
            posts.append(_record(f"{4000000000 + s * 10000 + a}_1", title, WEEK_START, f"转发账号{a:04d}", body))
    return posts


def write_export(posts: list[dict], path: Path) -> Path:
    path.write_text(json.dumps(posts, ensure_ascii=False), encoding="utf-8")
    return path
