"""Key facts: which sentence or clause of a post says what happened, by a small learned linear model.

A unit (a sentence, or a clause of one) is described by cheap features: where it
stands, how long it is, whether it states an event, a decision, a figure with its
unit, a date, a document's name or 文号, an organisation, a list item, and how much
of its wording the rest of the post repeats. A linear model over them, trained
listwise on human headlines (which unit of the source a headline draws on; see
training/keyfacts.py), scores the units of one post; the highest says most of
what happened. The weights are package data (keyfacts_weights.json).

Also the measure of a summary that repeats its headline (`headline_echo`): the
share of the headline's characters that come back in runs of at least
ECHO_RUN characters.

Standard library only: the training recipe imports these features too, and both
sides must see a unit alike.
"""

from __future__ import annotations

import json
import math
import re
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path
from typing import Sequence

from .rouge import rouge_units

WEIGHTS_FILE = Path(__file__).with_name("keyfacts_weights.json")
ECHO_RUN = 4  # a shared run this long is a repeated phrase; shorter ones are common words (天津市, 1月)
REPEAT_ECHO = 0.5  # a sentence that repeats this share of the headline and adds little says it again
VERBATIM_ECHO = 0.9  # ... and one that repeats this much says it again whatever it adds
MIN_NEW_CHARS = 20

# Sentences and clauses that report something say what happened with one of these (the
# headline's test); a sentence reporting what happened may use the others too (a feature).
EVENT_VERB = re.compile(
    "召开|举行|举办|发布|印发|出台|成立|揭牌|签署|签约|启用|投用|开通|启动|实施|落地|通过|审议|部署|"
    "获批|批复|表彰|迎来|突破|完成|达到|增长|开街|亮相|上线|落户|开工|竣工|出席|主持|提出|推出|发出"
)
_EVENT = re.compile(EVENT_VERB.pattern + "|下降|公布|宣布|开幕|闭幕|投产|建成|开业|运营|访问|会见|会谈|座谈|调研|"
                    "视察|考察|任命|当选|逝世|发生")
_DECISION = re.compile("原则同意|同意|批准|决定|通过|审议|确定|予以|授予")
_PUBLISH = re.compile("印发|发布|出台|公布|推出|颁布|施行|实施|生效|起施行")
_NUMBER_UNIT = re.compile(
    r"\d+(?:\.\d+)?\s*(?:万|亿|千|百)?(?:元|美元|吨|人次|人|家|个|项|条|辆|台|架|千米|公里|米|平方米|亩|公顷|"
    r"户|所|座|件|次|倍|年|%|％|万人|千瓦|兆瓦|标箱|列|班|批|岁|余)"
    r"|[一二三四五六七八九十百千两]+(?:项|条|个|大|批|家|类|方面)"
)
_DATE = re.compile(r"\d{1,2}月\d{1,2}日|\d{4}年|[今明昨]天|[今去明]年|近日|日前")
_DOCUMENT = re.compile(r"《[^《》]{2,100}》")
_DOCUMENT_NUMBER = re.compile(r"[〔\[［(（]\d{4}[〕\]］)）]\s*\d+\s*号|第\d+号")
_ORGANISATION = re.compile(
    r"[\u4e00-\u9fff]{2,}?(?:委员会|人民政府|政府|人大|政协|部|厅|局|委|办公室|办|署|院|所|法院|检察院|公司|集团|"
    r"大学|学院|银行|协会|学会|联合会|中心|实验室|海关|党委|支部)"
)
_PERSON_TITLE = re.compile("书记|市长|省长|区长|县长|主席|总理|部长|主任|局长|委员长|总书记|董事长|总经理")
_PLACE = re.compile("天津|北京|河北|京津冀|全国|全市|全区|我市|我国|中国|滨海新区|[\u4e00-\u9fff]{1,4}(?:省|市|区|县|镇|港)")
_LIST_ITEM = re.compile(r"^(?:[一二三四五六七八九十]+[、是]|[（(][一二三四五六七八九十\d]+[）)]|第[一二三四五六七八九十]+[，、,]|"
                        r"\d+[.、．]|[①②③④⑤⑥⑦⑧⑨⑩]|其[一二三四五六七八九十])")
_SPEECH = re.compile("表示|指出|认为|强调|说|介绍|称|坦言|希望")
_LOW_VALUE = re.compile(r"(?:出席|参加|陪同|列席)[。！]?$|[？?][”」』]?$")
_FRAMING = re.compile(r"^(?:在|随着|作为|当|为了|为|根据|按照|近年来|近期|当前|目前|面对)")
_SOURCE = re.compile(r"记者[^，。]{0,12}(?:获悉|了解到|从)|本台消息|新华社|据[^，。]{1,12}(?:报道|消息|介绍)|央视网")
_RANKING = re.compile("首[个次批家座]|第一|居首|最[高大多快]|创[^，。]{0,4}新高|全国领先|全球领先|位居|排名|前[三五十]")
_FUTURE = re.compile("将|拟|计划|预计|有望")
_PUNCTUATION = re.compile(r"[，,；;。！？!?：:、]")

FEATURES = (
    "first_sentence", "inverse_position", "relative_position", "first_clause", "first_unit",
    "log_length", "short", "long", "event", "decision", "publish", "figures", "digit", "date",
    "document", "document_number", "organisations", "person_title", "place", "list_item", "quote",
    "speech", "low_value", "framing", "source", "ranking", "future", "colon_end", "run_on", "centrality",
)


@dataclass(frozen=True)
class Unit:
    """A scored piece of a post: its text, the sentence it is in and its clause number there."""

    text: str
    sentence: int
    clause: int = 0


_CLOSER = {"《": "》", "（": "）", "(": ")", "“": "”"}


def clauses(sentence: str) -> list[str]:
    """A sentence's clauses, each with the mark that ends it; none is split inside 《》 or an aside."""
    pieces, start, depth = [], 0, 0
    for index, char in enumerate(sentence):
        # An opener counts only when its closer follows: a quotation the sentence splitter cut
        # in two must not swallow the rest of the sentence (as in clean/sentences.py).
        if char in _CLOSER and sentence.find(_CLOSER[char], index + 1) != -1:
            depth += 1
        elif char in "》）)”" and depth:
            depth = max(0, depth - 1)
        elif char in "，,；;。！？!?：:" and depth == 0:
            pieces.append(sentence[start : index + 1])
            start = index + 1
    if start < len(sentence):
        pieces.append(sentence[start:])
    return [p for p in (p.strip() for p in pieces) if p]


def _pairs(text: str) -> set[str]:
    units = "".join(rouge_units(text))
    return {units[k : k + 2] for k in range(len(units) - 1)}


def unit_features(units: Sequence[Unit]) -> list[list[float]]:
    """One feature vector per unit (in FEATURES order); the post's other units give the context."""
    pairs = [_pairs(u.text) for u in units]
    counts: dict[str, int] = {}
    for unit_pairs in pairs:
        for pair in unit_pairs:
            counts[pair] = counts.get(pair, 0) + 1
    last_sentence = max((u.sentence for u in units), default=0)
    rows = []
    for index, (unit, unit_pairs) in enumerate(zip(units, pairs)):
        text = unit.text
        length = len(rouge_units(text))
        shared = sum(1 for pair in unit_pairs if counts[pair] > 1)
        body = text.rstrip("，,；;。！？!?：:")
        rows.append([
            float(unit.sentence == 0),
            1.0 / (1 + unit.sentence),
            unit.sentence / last_sentence if last_sentence else 0.0,
            float(unit.clause == 0),
            float(index == 0),
            math.log1p(length),
            float(length < 8),
            float(length > 60),
            float(bool(_EVENT.search(text))),
            float(bool(_DECISION.search(text))),
            float(bool(_PUBLISH.search(text))),
            min(len(_NUMBER_UNIT.findall(text)), 3) / 3,
            float(bool(re.search(r"\d", text))),
            float(bool(_DATE.search(text))),
            float(bool(_DOCUMENT.search(text))),
            float(bool(_DOCUMENT_NUMBER.search(text))),
            min(len(_ORGANISATION.findall(text)), 3) / 3,
            float(bool(_PERSON_TITLE.search(text))),
            float(bool(_PLACE.search(text))),
            float(bool(_LIST_ITEM.match(text))),
            float("“" in text),
            float(bool(_SPEECH.search(text))),
            float(bool(_LOW_VALUE.search(text))),
            float(bool(_FRAMING.match(text))),
            float(bool(_SOURCE.search(text))),
            float(bool(_RANKING.search(text))),
            float(bool(_FUTURE.search(text))),
            float(text.endswith(("：", ":"))),
            float(length > 30 and not _PUNCTUATION.search(body)),
            shared / len(unit_pairs) if unit_pairs else 0.0,
        ])
    return rows


@dataclass(frozen=True)
class KeyFactScorer:
    """Linear scores of a post's units; higher says more of what happened. One weight vector per level."""

    weights: dict[str, tuple[float, ...]]  # level ("sentence", "clause") -> one weight per feature

    def score(self, units: Sequence[Unit], level: str) -> list[float]:
        weights = self.weights[level]
        return [sum(w * x for w, x in zip(weights, row)) for row in unit_features(units)]


@lru_cache(maxsize=1)
def default_scorer() -> KeyFactScorer:
    """The shipped weights (training/keyfacts.py writes them)."""
    data = json.loads(WEIGHTS_FILE.read_text(encoding="utf-8"))
    if tuple(data["features"]) != FEATURES:
        raise ValueError(f"{WEIGHTS_FILE.name} was trained on other features; run training/keyfacts.py again")
    return KeyFactScorer({level: tuple(values) for level, values in data["weights"].items()})


def sentence_units(sentences: Sequence[str]) -> list[Unit]:
    return [Unit(text, number) for number, text in enumerate(sentences)]


def clause_units(sentences: Sequence[str]) -> list[Unit]:
    return [Unit(text, number, index) for number, sentence in enumerate(sentences)
            for index, text in enumerate(clauses(sentence))]


def echo_runs(headline: str, text: str) -> tuple[int, int, int]:
    """(headline characters, characters `text` repeats of it in runs of ECHO_RUN or more, text characters).

    A document's name in `text` that the headline does not quote is a reference, not a repetition:
    "原则同意《…规划》。" under the headline "…关于…规划的批复" states the decision.
    """
    wanted = "".join(rouge_units(headline))
    pieces = _DOCUMENT.sub(lambda name: name.group() if name.group() in headline else "\n", text).split("\n")
    said = "\n".join("".join(rouge_units(piece)) for piece in pieces)
    covered, start = 0, 0
    while start < len(wanted):
        end = start + ECHO_RUN
        if end <= len(wanted) and wanted[start:end] in said:
            while end < len(wanted) and wanted[start : end + 1] in said:
                end += 1
            covered += end - start
            start = end
        else:
            start += 1
    return len(wanted), covered, len(rouge_units(text))


def headline_echo(headline: str, text: str) -> float:
    """The share of the headline's characters (punctuation aside) that `text` repeats in runs of at
    least ECHO_RUN characters: 1.0 when it holds the headline word for word, 0.0 when it only
    shares common words (天津市, 1月)."""
    size, covered, _ = echo_runs(headline, text)
    return covered / size if size else 0.0


def repeats_headline(headline: str, sentence: str) -> bool:
    """Whether a sentence says the headline again: word for word (VERBATIM_ECHO of it), or nearly
    (REPEAT_ECHO of it) while adding fewer new characters than the headline has (at least
    MIN_NEW_CHARS): "1月16日，市长张工主持召开市政府第96次常务会议。" under "市政府召开第96次常务会议"."""
    size, covered, length = echo_runs(headline, sentence)
    if not size or not covered:
        return False
    echo = covered / size
    return echo >= VERBATIM_ECHO or (echo >= REPEAT_ECHO and length - covered < max(MIN_NEW_CHARS, size))


def facts(text: str) -> set[str]:
    """The spans a reader looks for: figures with their units, dates, document names, 文号."""
    found = set()
    for pattern in (_NUMBER_UNIT, _DATE, _DOCUMENT, _DOCUMENT_NUMBER):
        found.update(match.group() for match in pattern.finditer(text))
    return found


def new_facts(headline: str, text: str) -> int:
    """How many of `text`'s facts the headline does not already state."""
    return sum(1 for fact in facts(text) if fact not in headline)
