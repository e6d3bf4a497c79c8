"""Rank and group: an explained importance score per story, related posts together.

Two posts are grouped when one largely repeats the other (a shared opening:
near-duplicate) or when they report the same event in other words: same
category, a few days apart, and either one event key in common (a weather
phenomenon from the lexicon, the full name of a document in 《》) or very
similar specific vocabulary. Boilerplate shared by every meeting report
(习近平总书记…, 从严治党…) weighs little because words are weighted by their
rarity in jieba's general-corpus IDF table. Grouped posts are listed under the
strongest one in `related`; nothing is dropped.
"""

from __future__ import annotations

import math
import re
import statistics
from collections import Counter
from dataclasses import dataclass, replace
from functools import lru_cache
from pathlib import Path
from typing import Iterable, Sequence

from .classify.lexicon import Lexicon
from .records import CATEGORIES, Classification, CleanArticle, Group, Score
from .segment import Segmenter

NEAR_DUPLICATE_CONTAINMENT = 0.6  # share of the shorter opening's 4-grams found in the other
OPENING_CHARS = 300
SAME_EVENT_SIMILARITY = 0.5  # cosine of IDF-weighted opening words, same category only
SAME_EVENT_MAX_DAYS = 3
MIN_DOCUMENT_NAME = 8  # 《实施意见》 is an abbreviation, not a document's name
CORROBORATION_POINTS = 2.0

_AID_POSITION = re.compile(r"_(\d+)$")
_DOCUMENT_NAME = re.compile(r"《([^《》]{2,80})》")


@dataclass(frozen=True)
class Story:
    """An article with its category, before grouping."""

    article: CleanArticle
    classification: Classification


def score_article(article: CleanArticle, lexicon: Lexicon) -> Score:
    """Points for what makes a story matter to a reader of a government briefing."""
    head = f"{article.title}\n{article.lead}"
    parts: list[tuple[str, float]] = []
    for name, signal in lexicon.signals.items():
        parts.append((name, signal.points(head)))
    if _DOCUMENT_NAME.search(head):
        parts.append(("document", 4.0))
    parts.append(("account order", _account_order_points(article.aid)))
    parts.append(("length", round(min(len(article.body) / 600, 3.0), 1)))
    parts = [(name, points) for name, points in parts if points]
    parts.sort(key=lambda part: (-part[1], part[0]))
    return Score(total=round(sum(points for _, points in parts), 1), parts=tuple(parts))


def _account_order_points(aid: str) -> float:
    """An account pushes its lead story first: idx 1 in the WeChat aid."""
    match = _AID_POSITION.search(aid)
    if not match:
        return 0.0
    return {1: 3.0, 2: 1.0}.get(int(match[1]), 0.0)


def group_stories(stories: Sequence[Story], lexicon: Lexicon, segmenter: Segmenter) -> list[Group]:
    """Score every story, merge related ones, and return groups best first."""
    scores = [score_article(s.article, lexicon) for s in stories]
    links = _related_pairs(stories, lexicon, segmenter)
    clusters = _clusters(len(stories), [(i, j) for i, j, _ in links])
    relation_of = {}
    for i, j, kind in links:
        relation_of.setdefault(_root_of(clusters, i), set()).add(kind)

    groups = []
    for members in _cluster_members(clusters):
        ordered = sorted(members, key=lambda i: (-scores[i].total, _identity(stories[i].article)))
        lead, *others = (stories[i] for i in ordered)
        score = scores[ordered[0]]
        if others:
            bonus = CORROBORATION_POINTS * min(len(others), 3)
            score = Score(
                total=round(score.total + bonus, 1),
                parts=tuple(sorted((*score.parts, ("corroboration", bonus)), key=lambda p: (-p[1], p[0]))),
            )
        kinds = relation_of.get(_root_of(clusters, members[0]), set())
        groups.append(
            Group(
                lead=lead.article,
                classification=lead.classification,
                score=score,
                related=tuple(sorted((s.article for s in others), key=_identity)),
                relations=frozenset(kinds),
            )
        )
    return sort_groups(groups)


def sort_groups(groups: Iterable[Group]) -> list[Group]:
    """Category order first, then score, then a stable tie-break on date and aid."""
    return sorted(
        groups,
        key=lambda g: (
            CATEGORIES.index(g.classification.category),
            -g.score.total,
            _identity(g.lead),
        ),
    )


def _identity(article: CleanArticle) -> tuple:
    """A total order on posts (aids repeat across accounts): day, aid, account."""
    return (article.article.published, article.aid, article.article.account)


def merge_groups(groups: Sequence[Group], lexicon: Lexicon, segmenter: Segmenter) -> list[Group]:
    """Merge groups whose leads are related (used across the days of a week)."""
    stories = [Story(g.lead, g.classification) for g in groups]
    links = _related_pairs(stories, lexicon, segmenter)
    clusters = _clusters(len(groups), [(i, j) for i, j, _ in links])
    merged = []
    for members in _cluster_members(clusters):
        ordered = sorted(
            (groups[i] for i in members),
            key=lambda g: (-g.score.total, _identity(g.lead)),
        )
        head, *rest = ordered
        if not rest:
            merged.append(head)
            continue
        related = [*head.related, *(a for g in rest for a in (g.lead, *g.related))]
        relations = frozenset().union(*(g.relations for g in ordered)) | {"same event"}
        merged.append(
            replace(
                head,
                related=tuple(sorted(related, key=_identity)),
                relations=relations,
            )
        )
    return sort_groups(merged)


def _related_pairs(stories: Sequence[Story], lexicon: Lexicon, segmenter: Segmenter) -> list[tuple[int, int, str]]:
    openings = [_opening(s.article) for s in stories]
    shingles = [_shingles(text) for text in openings]
    keys = [_event_keys(s.article, text, lexicon) for s, text in zip(stories, openings)]
    vectors = [_vector(s.article, segmenter) for s in stories]
    pairs = []
    for i in range(len(stories)):
        for j in range(i + 1, len(stories)):
            if _containment(shingles[i], shingles[j]) >= NEAR_DUPLICATE_CONTAINMENT:
                pairs.append((i, j, "near-duplicate"))
            elif (
                stories[i].classification.category == stories[j].classification.category
                and abs((stories[i].article.article.published - stories[j].article.article.published).days)
                <= SAME_EVENT_MAX_DAYS
                and (keys[i] & keys[j] or _cosine(vectors[i], vectors[j]) >= SAME_EVENT_SIMILARITY)
            ):
                pairs.append((i, j, "same event"))
    return pairs


def _opening(article: CleanArticle) -> str:
    """The lead paragraph, skipping salutations ("各区人民政府：") that official templates share."""
    for paragraph in article.paragraphs:
        if not paragraph.is_heading and not paragraph.text.endswith(("：", ":")):
            return paragraph.text[:OPENING_CHARS]
    return ""


def _event_keys(article: CleanArticle, opening: str, lexicon: Lexicon) -> set[str]:
    text = f"{article.title}\n{opening}"
    keys = {name for name, terms in lexicon.events.items() if any(term in text for term in terms)}
    keys.update(f"《{name}》" for name in _DOCUMENT_NAME.findall(text) if len(name) >= MIN_DOCUMENT_NAME)
    return keys


def _shingles(text: str, size: int = 4) -> set[str]:
    compact = re.sub(r"\s+", "", text)
    return {compact[k : k + size] for k in range(max(len(compact) - size + 1, 0))}


def _containment(a: set[str], b: set[str]) -> float:
    if not a or not b:
        return 0.0
    return len(a & b) / min(len(a), len(b))


def _vector(article: CleanArticle, segmenter: Segmenter) -> dict[str, float]:
    """Content words of the title (x3), lead (x2) and next sentences, weighted by rarity."""
    counts: Counter[str] = Counter()
    for weight, text in ((3, article.title), (2, article.lead), (1, "".join(article.sentences[1:4]))):
        for word in segmenter.content_words(text):
            counts[word] += weight
    idf, default = _idf_table()
    return {word: count * idf.get(word, default) for word, count in counts.items()}


@lru_cache(maxsize=1)
def _idf_table() -> tuple[dict[str, float], float]:
    """jieba's general-corpus IDF (the idf.txt jieba ships): rare words tell events apart.

    Read directly: importing jieba.analyse would also load its POS tagger (~0.3 s).
    """
    import jieba

    idf: dict[str, float] = {}
    path = Path(jieba.__file__).parent / "analyse" / "idf.txt"
    for line in path.read_text(encoding="utf-8").splitlines():
        word, _, value = line.rpartition(" ")
        if word:
            idf[word] = float(value)
    return idf, statistics.median(idf.values())


def _cosine(a: dict[str, float], b: dict[str, float]) -> float:
    if not a or not b:
        return 0.0
    dot = sum(weight * b[word] for word, weight in a.items() if word in b)
    norm = math.sqrt(sum(w * w for w in a.values())) * math.sqrt(sum(w * w for w in b.values()))
    return dot / norm


# A tiny union-find: clusters[i] is i's parent.
def _clusters(size: int, pairs: Iterable[tuple[int, int]]) -> list[int]:
    parent = list(range(size))
    for i, j in pairs:
        root_i, root_j = _root_of(parent, i), _root_of(parent, j)
        if root_i != root_j:
            parent[max(root_i, root_j)] = min(root_i, root_j)
    return parent


def _root_of(parent: list[int], i: int) -> int:
    while parent[i] != i:
        i = parent[i]
    return i


def _cluster_members(parent: list[int]) -> list[list[int]]:
    members: dict[int, list[int]] = {}
    for i in range(len(parent)):
        members.setdefault(_root_of(parent, i), []).append(i)
    return list(members.values())
