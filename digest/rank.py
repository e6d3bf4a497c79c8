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
from collections import Counter
from dataclasses import dataclass, replace
from typing import Iterable, Sequence

from .classify.lexicon import Lexicon
from .relate import NEAR_DUPLICATE, SAME_EVENT, Clusters, Features, related_clusters
from .records import CATEGORIES, Classification, CleanArticle, Group, Score
from .jieba_tables import idf_table
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


def group_stories(stories: Sequence[Story], lexicon: Lexicon, segmenter: Segmenter,
                  features: FeatureCache | None = None) -> list[Group]:
    """Score every story, merge related ones, and return groups best first.

    `features` keeps each story's comparable features for the week's merge.
    """
    scores = [score_article(s.article, lexicon) for s in stories]
    found = _related(stories, features or FeatureCache(lexicon, segmenter))
    clusters = found.parent

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
        kinds = found.kinds(_root_of(clusters, members[0]))
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


def merge_groups(groups: Sequence[Group], lexicon: Lexicon, segmenter: Segmenter,
                 features: FeatureCache | None = None, *, from_days: bool = False) -> list[Group]:
    """Merge groups whose leads are related (used across the days of a week).

    from_days: the groups are whole days' `group_stories`, so two leads of one day are
    known to be unrelated and are not compared again.
    """
    stories = [Story(g.lead, g.classification) for g in groups]
    clusters = _related(stories, features or FeatureCache(lexicon, segmenter), same_day_unrelated=from_days).parent
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


class FeatureCache:
    """Each story's comparable features, computed once per article and reused (the days', then the week's)."""

    def __init__(self, lexicon: Lexicon, segmenter: Segmenter) -> None:
        self.lexicon, self.segmenter = lexicon, segmenter
        self._by_article: dict[int, tuple[CleanArticle, Features]] = {}

    def __call__(self, story: Story) -> Features:
        article = story.article
        known = self._by_article.get(id(article))
        if known is None or known[1].category != story.classification.category:
            known = (article, _features(story, self.lexicon, self.segmenter))
            self._by_article[id(article)] = known  # the article is kept, so its id is not reused
        return known[1]


def _features(story: Story, lexicon: Lexicon, segmenter: Segmenter) -> Features:
    article = story.article
    opening = _opening(article)
    compact = re.sub(r"\s+", "", opening)
    vector = _vector(article, segmenter)
    return Features(
        identity=(article.title, opening, article.lead, "".join(article.sentences[1:4])),
        shingles=_shingle_codes(compact),
        opening=compact,
        keys=frozenset(_event_keys(article, opening, lexicon)),
        vector=vector,
        norm=math.sqrt(sum(w * w for w in vector.values())),
        category=story.classification.category,
        day=article.article.published,
    )


def _related(stories: Sequence[Story], features: FeatureCache, same_day_unrelated: bool = False) -> Clusters:
    """The stories' clusters, exactly as checking `_pair_kind` on every pair would link them (relate.py)."""
    return related_clusters(
        [features(s) for s in stories], _pair_kind, _containment, _cosine,
        near_duplicate=NEAR_DUPLICATE_CONTAINMENT, similarity=SAME_EVENT_SIMILARITY,
        max_days=SAME_EVENT_MAX_DAYS, same_day_unrelated=same_day_unrelated,
    )


def _pair_kind(a: Features, b: Features) -> str | None:
    """How two stories are related, if they are: the rule every link follows."""
    if _containment(a.shingles, b.shingles) >= NEAR_DUPLICATE_CONTAINMENT:
        return NEAR_DUPLICATE
    if (
        a.category == b.category
        and abs((a.day - b.day).days) <= SAME_EVENT_MAX_DAYS
        and (a.keys & b.keys or _cosine(a, b) >= SAME_EVENT_SIMILARITY)
    ):
        return SAME_EVENT
    return None


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


def _shingle_codes(compact: str, size: int = 4) -> frozenset[int]:
    """The text's 4-grams, each as one exact integer (21 bits a character): smaller than strings."""
    codes = [ord(c) for c in compact]
    shingles = set()
    for k in range(max(len(codes) - size + 1, 0)):
        code = 0
        for c in codes[k : k + size]:
            code = (code << 21) | c
        shingles.add(code)
    return frozenset(shingles)


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
    idf, default = idf_table()
    return {word: count * idf.get(word, default) for word, count in counts.items()}


def _cosine(a: Features, b: Features) -> float:
    if not a.vector or not b.vector:
        return 0.0
    dot = sum(weight * b.vector[word] for word, weight in a.vector.items() if word in b.vector)
    return dot / (a.norm * b.norm)


def _root_of(parent: list[int], i: int) -> int:
    while parent[i] != i:
        i = parent[i]
    return i


def _cluster_members(parent: list[int]) -> list[list[int]]:
    members: dict[int, list[int]] = {}
    for i in range(len(parent)):
        members.setdefault(_root_of(parent, i), []).append(i)
    return list(members.values())
