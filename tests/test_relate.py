"""The indexed search for related stories links exactly what comparing every pair links."""

import datetime as dt
import math
import random
import sys

import pytest

from digest.classify import Classifier
from digest.clean import clean_article
from digest.ingest import parse_article, read_exports
from digest.rank import (SAME_EVENT_MAX_DAYS, FeatureCache, Story, _containment, _cosine, _pair_kind, _related,
                         _shingle_codes, group_stories, merge_groups)
from digest.relate import Features, related_clusters

from conftest import ROOT, SEED

sys.path.insert(0, str(ROOT / "bench"))
from synthetic import distinct_posts, reposted_stories  # noqa: E402


def all_pairs(features):
    """The old way, kept as the reference: every pair checked, clusters by union-find."""
    parent = list(range(len(features)))

    def root(i):
        while parent[i] != i:
            i = parent[i]
        return i

    kinds = {}
    links = []
    for i in range(len(features)):
        for j in range(i + 1, len(features)):
            kind = _pair_kind(features[i], features[j])
            if kind:
                links.append((i, j, kind))
                a, b = root(i), root(j)
                parent[max(a, b)] = min(a, b)
    for i, _, kind in links:
        kinds.setdefault(root(i), set()).add(kind)
    return [root(i) for i in range(len(features))], kinds


def indexed(features, same_day_unrelated=False):
    found = related_clusters(features, _pair_kind, _containment, _cosine, near_duplicate=0.6, similarity=0.5,
                             max_days=SAME_EVENT_MAX_DAYS, same_day_unrelated=same_day_unrelated)
    roots = [found.root(i) for i in range(len(features))]
    return roots, {r: found.kinds(r) for r in set(roots) if found.kinds(r)}


def random_features(rng, count):
    """Small alphabets and vocabularies, so that every rule fires often and near the thresholds."""
    made = []
    for _ in range(count):
        if made and rng.random() < 0.2:
            made.append(rng.choice(made))  # a repost
            continue
        opening = "".join(rng.choice("甲乙丙丁戊己") for _ in range(rng.choice((0, 3, 5, 8, 12, 30))))
        if made and rng.random() < 0.2:
            other = rng.choice(made).opening
            opening = other[: rng.randrange(len(other) + 1)] + opening[:3]  # a cut or extended copy
        words = rng.sample(["天津", "会议", "暴雨", "地铁", "医保", "招聘", "道路", "学校", "企业", "民生"],
                           rng.randrange(0, 5))
        vector = {w: float(rng.randrange(1, 6)) * rng.choice((0.5, 1.0, 3.7)) for w in words}
        keys = frozenset(rng.sample(["snow", "rain", "《文件名称很长的实施意见》"], rng.choice((0, 0, 0, 1))))
        made.append(Features(
            identity=(opening, tuple(vector.items()), tuple(sorted(keys))),  # what the features come from
            shingles=_shingle_codes(opening), opening=opening, keys=keys,
            vector=vector, norm=math.sqrt(sum(w * w for w in vector.values())),
            category=rng.choice(("weather", "society")),
            day=dt.date(2026, 1, 19) + dt.timedelta(days=rng.choice((0, 0, 1, 3, 4, 6))),
        ))
    return made


@pytest.mark.parametrize("seed", range(200))
def test_random_stories_link_as_every_pair_would(seed):
    features = random_features(random.Random(seed), 60)
    assert indexed(features) == all_pairs(features)


def stories_from(records):
    classifier = Classifier.default()
    articles = [parse_article(r, source_file="synthetic", position=n) for n, r in enumerate(records)]
    cleaned = [clean_article(a) for a in articles]
    return [Story(c, classifier.classify(c)) for c in cleaned], classifier


def features_of(stories, classifier):
    cache = FeatureCache(classifier.lexicon, classifier.segmenter)
    return [cache(s) for s in stories]


def test_sample_days_and_week_link_as_every_pair_would():
    classifier = Classifier.default()
    stories = [Story(c, classifier.classify(c)) for c in map(clean_article, read_exports([SEED]).articles)]
    features = features_of(stories, classifier)
    assert indexed(features) == all_pairs(features)
    for day in {f.day for f in features}:
        same_day = [f for f in features if f.day == day]
        assert indexed(same_day) == all_pairs(same_day)


def test_reposts_with_retitled_and_cut_copies_link_as_every_pair_would():
    records = reposted_stories(3, 12) + distinct_posts(60, days=3)
    rng = random.Random(7)
    for record in records[::5]:
        record["标题title"] = "转发：" + record["标题title"]  # same opening, another title
    for record in records[1::7]:
        record["finalContent"] = record["finalContent"][: rng.randrange(40, 200)]
    stories, classifier = stories_from(records)
    features = features_of(stories, classifier)
    assert indexed(features) == all_pairs(features)


def test_reposts_of_one_story_are_one_item():
    stories, classifier = stories_from(reposted_stories(2, 30))
    groups = group_stories(stories, classifier.lexicon, classifier.segmenter)
    assert len(groups) == 2
    assert sorted(len(g.related) for g in groups) == [29, 29]
    assert all(g.relation == "near-duplicate" for g in groups)


def test_week_merge_of_days_skips_only_what_the_days_settled():
    stories, classifier = stories_from(distinct_posts(300, days=7) + reposted_stories(2, 5))
    cache = FeatureCache(classifier.lexicon, classifier.segmenter)
    daily = []
    for day in sorted({s.article.article.published for s in stories}):
        daily += group_stories([s for s in stories if s.article.article.published == day],
                               classifier.lexicon, classifier.segmenter, cache)
    fresh = merge_groups(daily, classifier.lexicon, classifier.segmenter)
    reused = merge_groups(daily, classifier.lexicon, classifier.segmenter, cache, from_days=True)
    assert [(g.lead.aid, g.related, g.relations) for g in fresh] == \
           [(g.lead.aid, g.related, g.relations) for g in reused]
    leads = [Story(g.lead, g.classification) for g in daily]
    assert [c for c in _related(leads, cache).parent] == [c for c in _related(leads, cache, True).parent]
