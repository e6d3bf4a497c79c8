"""Which stories are related, found without comparing every pair.

The rules are rank.py's (`pair_kind`): near-duplicate openings, or the same
event (same category, a few days apart, an event key in common or similar
vocabulary). Comparing every pair costs n²/2 checks: 160 M at 20,000 posts.
Here the same links come from indexes, so the clusters and their relation
kinds are exactly those of the all-pairs comparison:

1. stories whose compared text is identical (one story reposted by hundreds of
   accounts) are one class, checked once;
2. near-duplicates: identical openings are one class; other openings meet
   through an inverted index of their 4-grams. If the shorter opening A shares
   at least α of its |A| 4-grams with B, any |A| − α + 1 of them include a
   shared one (pigeonhole), so A looks up only its rarest |A| − α + 1;
3. event keys: stories sharing a key, category and a 3-day window are linked
   through a posting list per key, one day after another, never pair by pair;
4. similar vocabulary (cosine ≥ t): words in one global order, rarest first;
   each vector's prefix runs until the norm of the rest falls under t·‖x‖.
   Two vectors with cosine ≥ t share a word of both prefixes (if the shorter
   prefix ends at word p, a shared word before p is in both prefixes; without
   one, all shared words lie in the rest of x, and x·y ≤ ‖rest‖·‖y‖ < t·‖x‖·‖y‖),
   so prefixes alone are indexed and looked up (prefix filtering, as in
   All-Pairs and PPJoin).

Only the clusters and the set of relation kinds in each cluster are used
downstream, so a pair inside a cluster that already has its kind is not
checked again.
"""

from __future__ import annotations

import math
from bisect import bisect_right
from collections import defaultdict
from dataclasses import dataclass
from typing import Callable, Sequence

NEAR_DUPLICATE, SAME_EVENT = "near-duplicate", "same event"
_FLAG = {NEAR_DUPLICATE: 1, SAME_EVENT: 2}
_EPSILON = 1e-9  # keeps the prefix bound safely below the threshold despite rounding


@dataclass(frozen=True)
class Features:
    """What the relation rules read of a story, computed once (the week's merge reuses the days')."""

    identity: tuple  # the texts the features come from: equal identity, equal features
    shingles: frozenset[int]
    opening: str  # whitespace removed
    keys: frozenset[str]
    vector: dict[str, float]
    norm: float
    category: str
    day: object  # datetime.date


class Clusters:
    """Union-find whose root is the smallest member (as rank's clusters), with relation flags per root."""

    def __init__(self, size: int) -> None:
        self.parent = list(range(size))
        self.flags = [0] * size

    def root(self, i: int) -> int:
        parent = self.parent
        root = i
        while parent[root] != root:
            root = parent[root]
        while parent[i] != root:
            parent[i], i = root, parent[i]
        return root

    def link(self, i: int, j: int, kind: str) -> None:
        root_i, root_j = self.root(i), self.root(j)
        low, high = min(root_i, root_j), max(root_i, root_j)
        self.parent[high] = low
        self.flags[low] |= self.flags[high] | _FLAG[kind]

    def has(self, i: int, j: int, kind: str) -> bool:
        """i and j are in one cluster that already has `kind`: another such link adds nothing."""
        root = self.root(i)
        return root == self.root(j) and bool(self.flags[root] & _FLAG[kind])

    def kinds(self, root: int) -> set[str]:
        return {kind for kind, flag in _FLAG.items() if self.flags[root] & flag}


PairKind = Callable[[Features, Features], "str | None"]


def related_clusters(
    features: Sequence[Features],
    pair_kind: PairKind,
    containment: Callable[[frozenset, frozenset], float],
    cosine: Callable[[Features, Features], float],
    *,
    near_duplicate: float,
    similarity: float,
    max_days: int,
    same_day_unrelated: bool = False,
) -> Clusters:
    """The clusters of `features` linked by `pair_kind`, as if every pair had been checked.

    same_day_unrelated: stories of one day are known not to be related (the leads of
    one day's groups, in the week's merge), so such pairs are not checked again.
    """
    clusters = Clusters(len(features))
    reps = _collapse_identical(features, pair_kind, clusters)
    near = _near_duplicates(features, reps, containment, near_duplicate, clusters)
    _shared_keys(features, reps, near, max_days, clusters)
    _similar_vectors(features, reps, near, cosine, similarity, max_days, same_day_unrelated, clusters)
    return clusters


def _collapse_identical(features: Sequence[Features], pair_kind: PairKind, clusters: Clusters) -> list[int]:
    """One representative per class of identical features, linked to its copies."""
    classes: dict[tuple, list[int]] = defaultdict(list)
    for i, feature in enumerate(features):
        classes[(feature.category, feature.day, feature.identity)].append(i)
    reps = []
    for members in classes.values():
        kind = pair_kind(features[members[0]], features[members[0]]) if len(members) > 1 else None
        if kind is None:
            reps.extend(members)  # copies that are not related to each other stay apart
            continue
        reps.append(members[0])
        for other in members[1:]:
            clusters.link(members[0], other, kind)
    reps.sort()
    return reps


class _NearDuplicates:
    """Which representatives' openings are near-duplicates: same opening, or a found pair of openings."""

    def __init__(self, opening_of: dict[int, int], pairs: set[tuple[int, int]]) -> None:
        self.opening_of = opening_of  # representative -> opening class (-1: none to compare)
        self.pairs = pairs

    def __call__(self, i: int, j: int) -> bool:
        a, b = self.opening_of[i], self.opening_of[j]
        if a < 0 or b < 0:
            return False
        return a == b or (min(a, b), max(a, b)) in self.pairs


def _near_duplicates(features, reps, containment, threshold, clusters) -> _NearDuplicates:
    by_opening: dict[str, list[int]] = defaultdict(list)
    opening_of = {}
    for i in reps:
        if features[i].shingles:
            by_opening[features[i].opening].append(i)
        else:
            opening_of[i] = -1  # no 4-gram: never a near-duplicate
    sets, members = [], []
    for number, (_, same) in enumerate(by_opening.items()):
        for i in same:
            opening_of[i] = number
            if i != same[0]:
                clusters.link(same[0], i, NEAR_DUPLICATE)
        sets.append(features[same[0]].shingles)
        members.append(same[0])

    postings: dict[int, list[int]] = defaultdict(list)
    for number, shingles in enumerate(sets):
        for shingle in shingles:
            postings[shingle].append(number)
    pairs = set()
    for a, shingles in enumerate(sets):
        size = len(shingles)
        need = _least_overlap(size, threshold)
        probe = sorted(shingles, key=lambda s: (len(postings[s]), s))[: size - need + 1]
        candidates = {b for s in probe for b in postings[s]}
        for b in candidates:
            other = len(sets[b])
            # The shorter opening finds the pair (the lower number among equals).
            if (other > size or (other == size and b > a)) and containment(shingles, sets[b]) >= threshold:
                pairs.add((min(a, b), max(a, b)))
                clusters.link(members[a], members[b], NEAR_DUPLICATE)
    return _NearDuplicates(opening_of, pairs)


def _least_overlap(size: int, threshold: float) -> int:
    """The fewest shared 4-grams k with k / size >= threshold, as the float division decides."""
    k = max(math.ceil(threshold * size), 1)
    while k > 1 and (k - 1) / size >= threshold:
        k -= 1
    while k / size < threshold:
        k += 1
    return k


def _shared_keys(features, reps, near, max_days, clusters) -> None:
    """Stories of one category sharing an event key within `max_days` of each other are related."""
    postings: dict[tuple[str, str], list[int]] = defaultdict(list)
    for i in reps:
        for key in features[i].keys:
            postings[(features[i].category, key)].append(i)
    for posting in postings.values():
        posting.sort(key=lambda i: (features[i].day, i))
        run: list[int] = []
        for i in posting:
            if run and (features[i].day - features[run[-1]].day).days > max_days:
                _link_run(features, run, near, max_days, clusters)
                run = []
            run.append(i)
        _link_run(features, run, near, max_days, clusters)


def _link_run(features, run, near, max_days, clusters) -> None:
    """A run of key-sharing stories, each within `max_days` of the next: one cluster.

    Pairs in the window are all links; they are near-duplicate or same-event pairs, and
    one same-event pair is enough to give the cluster that kind.
    """
    same_event = None
    for position, j in enumerate(run):
        for i in reversed(run[:position]):
            if (features[j].day - features[i].day).days > max_days:
                break
            if not near(i, j):
                same_event = (i, j)
                break
        if same_event:
            break
    for i, j in zip(run, run[1:]):
        clusters.link(i, j, NEAR_DUPLICATE if near(i, j) else SAME_EVENT)
    if same_event:
        clusters.link(*same_event, SAME_EVENT)


@dataclass
class _Prefix:
    """A vector in the global word order (rarest first), weights as shares of its norm."""

    ranks: list[int]  # each word's place in the order, ascending
    weights: list[float]
    from_position: list[float]  # norm of the weights from each position on (one more: 0)
    length: int  # the prefix: positions before it, up to where the rest's norm falls under the threshold
    last_rank: int  # the prefix's last word's rank
    rest: float  # the norm after the prefix


def _prefix(feature: Features, rank_of: dict, threshold: float) -> _Prefix:
    words = sorted(feature.vector, key=lambda w: rank_of[(feature.category, w)])
    weights = [feature.vector[w] / feature.norm for w in words]
    from_position, rest = [0.0] * (len(words) + 1), 0.0
    for position in range(len(words) - 1, -1, -1):
        rest += weights[position] ** 2
        from_position[position] = math.sqrt(rest)
    length = 0
    while length < len(words) and from_position[length] >= threshold - _EPSILON:
        length += 1
    ranks = [rank_of[(feature.category, w)] for w in words]
    return _Prefix(ranks, weights, from_position, length, ranks[length - 1], from_position[length])


def _similar_vectors(features, reps, near, cosine, threshold, max_days, same_day_unrelated, clusters) -> None:
    """Stories of one category within `max_days` whose vectors' cosine reaches `threshold`.

    A candidate's bound: the products of the words shared in both prefixes (all shared words up
    to the shorter prefix's end), plus the norms of both vectors after that end (Cauchy-Schwarz).
    """
    frequency: dict[tuple[str, str], int] = defaultdict(int)
    for i in reps:
        for word in features[i].vector:
            frequency[(features[i].category, word)] += 1
    rank_of = {key: rank for rank, key in enumerate(sorted(frequency, key=lambda k: (frequency[k], k)))}
    prefixes: dict[int, _Prefix] = {}
    postings: dict[int, list[tuple[int, int, float]]] = defaultdict(list)  # rank -> (story, day, weight)
    for i in reps:
        if not features[i].vector:
            continue
        prefix = prefixes[i] = _prefix(features[i], rank_of, threshold)
        day = features[i].day.toordinal()
        for position in range(prefix.length):
            postings[prefix.ranks[position]].append((i, day, prefix.weights[position]))
    floor = threshold - _EPSILON
    for j, prefix in prefixes.items():
        target = features[j]
        day = target.day.toordinal()
        shared: dict[int, float] = {}
        for position in range(prefix.length):
            weight = prefix.weights[position]
            for i, other_day, other in postings[prefix.ranks[position]]:
                if i >= j:
                    break
                if abs(other_day - day) <= max_days and not (same_day_unrelated and other_day == day):
                    shared[i] = shared.get(i, 0.0) + weight * other
        for i in sorted(shared):
            other = prefixes[i]
            if other.last_rank < prefix.last_rank:
                after = other.rest * prefix.from_position[bisect_right(prefix.ranks, other.last_rank)]
            else:
                after = prefix.rest * other.from_position[bisect_right(other.ranks, prefix.last_rank)]
            if shared[i] + after < floor:
                continue
            if near(i, j) or clusters.has(i, j, SAME_EVENT):
                continue
            if target.keys & features[i].keys or cosine(features[i], target) >= threshold:
                clusters.link(i, j, SAME_EVENT)
