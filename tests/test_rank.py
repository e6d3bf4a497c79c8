import dataclasses

from digest.classify import Classifier
from digest.clean import clean_article
from digest.ingest import read_exports
from digest.rank import Story, group_stories, merge_groups, score_article

from conftest import SEED


def stories_of(*days):
    classifier = Classifier.default()
    articles = [a for a in read_exports([SEED]).articles if a.published.day in days]
    return [Story(c, classifier.classify(c)) for c in map(clean_article, articles)], classifier


def aids(groups):
    return {g.lead.aid: sorted(r.aid for r in g.related) for g in groups}


def test_shared_lead_posts_are_near_duplicates():
    stories, classifier = stories_of(14)
    groups = group_stories(stories, classifier.lexicon, classifier.segmenter)
    assert aids(groups)["2247552337_1"] == ["2247552346_1"]
    group = next(g for g in groups if g.lead.aid == "2247552337_1")
    assert group.relation == "near-duplicate"
    assert sum(1 + len(g.related) for g in groups) == len(stories)  # nothing dropped


def test_snow_posts_of_one_day_are_one_event():
    stories, classifier = stories_of(18)
    groups = group_stories(stories, classifier.lexicon, classifier.segmenter)
    assert aids(groups)["2247552478_1"] == ["2247552478_2"]
    assert next(g for g in groups if g.lead.aid == "2247552478_1").relation == "same event"


def test_snow_posts_across_days_merge_in_the_week():
    stories, classifier = stories_of(16, 17, 18, 19)
    daily = []
    for day in (16, 17, 18, 19):
        daily += group_stories([s for s in stories if s.article.article.published.day == day],
                               classifier.lexicon, classifier.segmenter)
    merged = merge_groups(daily, classifier.lexicon, classifier.segmenter)
    snow = next(g for g in merged if "2247552478_1" in [g.lead.aid, *(r.aid for r in g.related)])
    assert {snow.lead.aid, *(r.aid for r in snow.related)} == {"2247552422_1", "2247552478_1", "2247552478_2", "2247552503_1"}
    assert sum(1 + len(g.related) for g in merged) == len(stories)


def test_distinct_events_with_shared_boilerplate_stay_apart():
    stories, classifier = stories_of(9)
    groups = group_stories(stories, classifier.lexicon, classifier.segmenter)
    leads = {g.lead.aid for g in groups}
    assert {"2247552202_1", "2247552195_1"} <= leads  # two different 表彰 decisions
    stories, classifier = stories_of(16, 20)
    groups = group_stories(stories, classifier.lexicon, classifier.segmenter)
    assert {"2247552402_1", "2247552523_1"} <= {g.lead.aid for g in groups}


def test_score_is_explained_and_favours_leadership_meetings():
    stories, classifier = stories_of(18)
    by_aid = {s.article.aid: score_article(s.article, classifier.lexicon) for s in stories}
    meeting = by_aid["2247552476_1"]  # 市委常委会民主生活会
    assert meeting.total == sum(points for _, points in meeting.parts)
    assert "leadership" in meeting.reason
    assert meeting.total > by_aid["2247552478_2"].total  # weather report without a leader


def test_account_order_counts():
    stories, classifier = stories_of(18)
    first = next(s.article for s in stories if s.article.aid == "2247552478_1")
    second = dataclasses.replace(first, article=dataclasses.replace(first.article, aid="2247552478_2"))
    assert dict(score_article(first, classifier.lexicon).parts)["account order"] == 3
    assert dict(score_article(second, classifier.lexicon).parts)["account order"] == 1


def test_grouping_is_order_independent():
    stories, classifier = stories_of(14, 15)
    forward = group_stories(stories, classifier.lexicon, classifier.segmenter)
    backward = group_stories(list(reversed(stories)), classifier.lexicon, classifier.segmenter)
    assert [(g.lead.aid, [r.aid for r in g.related]) for g in forward] == \
           [(g.lead.aid, [r.aid for r in g.related]) for g in backward]
