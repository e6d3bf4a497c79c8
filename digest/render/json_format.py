"""The JSON contract (`--format json`): a plain serialisation of the briefing."""

from __future__ import annotations

import json
from typing import Any

from ..overview import highlights
from ..records import Briefing, Item, Skip
from .options import RenderOptions


def item_dict(item: Item) -> dict[str, Any]:
    data = {
        "aid": item.aid,
        "title": item.title,
        "headline": item.headline,
        "summary": item.summary,
        "url": item.url,
        "published": item.published.isoformat(),
        "account": item.account,
        "score": item.score,
        "method": item.method,
        "headline_method": item.headline_method,
        "category_reason": item.category_reason,
        "score_reason": item.score_reason,
        "source_outlet": item.source_outlet,
        "relation": item.relation,
        "related": [post.aid for post in item.related],
    }
    # Only where they apply, so the contract of ordinary items stays as it was.
    if item.series:
        data["series"] = item.series
    if item.bundle:
        data["bundle"] = item.bundle
    return data


def skip_dict(skip: Skip) -> dict[str, Any]:
    entry: dict[str, Any] = {}
    if skip.aid:
        entry["aid"] = skip.aid
    if skip.file:
        entry["file"] = skip.file
    if skip.position is not None and skip.file:
        entry["position"] = skip.position
    entry["reason"] = skip.reason
    return entry


def briefing_dict(briefing: Briefing, options: RenderOptions | None = None) -> dict[str, Any]:
    data: dict[str, Any] = {"kind": briefing.kind}
    if briefing.span.is_daily:
        data["date"] = briefing.period
    else:
        data["week"] = briefing.period
        data["start"] = briefing.start.isoformat()
        data["end"] = briefing.end.isoformat()
        data["day_counts"] = [
            {"date": day.isoformat(), **dict(counts)} for day, counts in briefing.day_counts
        ]
        if briefing.previous_counts is not None:
            data["previous_week_counts"] = dict(briefing.previous_counts)
    data["title"] = briefing.title
    data["overview"] = briefing.overview
    top = highlights(briefing.sections, (options or RenderOptions()).highlights)
    data["highlights"] = [{"aid": i.aid, "category": i.category, "headline": i.headline} for i in top]
    data["counts"] = {s.category: {"items": len(s.items), "posts": s.post_count} for s in briefing.sections}
    data["sections"] = [
        {"category": s.category, "label": s.label, "items": [item_dict(i) for i in s.items]}
        for s in briefing.sections
    ]
    data["skipped"] = [skip_dict(s) for s in briefing.skipped]
    return data


def briefing_json(briefing: Briefing, options: RenderOptions | None = None) -> str:
    return json.dumps(briefing_dict(briefing, options), ensure_ascii=False, indent=2) + "\n"
