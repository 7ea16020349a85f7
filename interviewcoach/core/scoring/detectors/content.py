"""General content detectors: answer length, wanted content, things to avoid, and concrete detail.

Every word list, pattern and threshold comes from the rubric file; the code only counts and quotes.
Advice templates may use the placeholders each detector documents ({found}, {missing}, {quote}, ...),
so the feedback names what this answer said or left out.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Literal

from pydantic import Field

from interviewcoach.core.models import CriterionResult, Evidence, Unscored
from interviewcoach.core.scoring.analysis import question_doc
from interviewcoach.core.scoring.detectors import Context, DetectorParams, detector
from interviewcoach.core.scoring.patterns import Match, PatternSet, find

if TYPE_CHECKING:
    from spacy.tokens import Doc, Token

Region = Literal["all", "opening", "closing"]
LABEL_PATTERN = r"^[a-z][a-z0-9_]{0,40}$"
# Quotes in advice are cut to this many characters so one long match cannot swamp the message.
QUOTE_CHARS = 60


def region_bounds(ctx: Context, region: Region, share: float) -> tuple[int, int]:
    """Character bounds of the opening or closing `share` of the answer, by words."""
    text = ctx.analysis.text
    if region == "all":
        return 0, len(text)
    words = [t for t in ctx.analysis.doc if not (t.is_punct or t.is_space)]
    if not words:
        return 0, len(text)
    cut = max(1, round(len(words) * share))
    if region == "opening":
        last = words[min(cut, len(words)) - 1]
        return 0, last.idx + len(last.text)
    return words[max(0, len(words) - cut)].idx, len(text)


def quote(texts: list[str], limit: int = 3) -> str:
    """`"a"; "b"` for advice, each cut to a readable length; "" when there is nothing to quote."""
    out = []
    for text in dict.fromkeys(" ".join(t.split()) for t in texts):
        if len(text) > QUOTE_CHARS:
            text = text[: QUOTE_CHARS - 3].rstrip() + "..."
        out.append(f'"{text}"')
        if len(out) == limit:
            break
    return "; ".join(out)


def _first_words(text: str, count: int) -> str:
    words = text.split()
    return " ".join(words[:count]) + (" ..." if len(words) > count else "")


class BrevityParams(DetectorParams):
    words_per_minute: float = Field(default=150, gt=60, lt=260)
    # Allowed over the target before the verdict turns, as a share of the maximum.
    slack: float = Field(default=0.1, ge=0, le=1)


@detector("brevity", BrevityParams)
def brevity(params: BrevityParams, ctx: Context) -> CriterionResult:
    """Length against the question's target: measured duration with audio, words otherwise.

    Advice keys: pass, too_long, too_short. Placeholders: {measure}, {min}, {max}, {words},
    {seconds}, and for too_long {cut}: the words where the answer passed its target.
    """
    low_s, high_s = ctx.question.target_seconds
    words = ctx.analysis.word_count
    seconds, measure = ctx.spoken_length(params.words_per_minute)
    values: dict[str, object] = {
        "measure": measure,
        "min": low_s,
        "max": high_s,
        "words": words,
        "seconds": f"{seconds:.0f}",
    }
    text = ctx.analysis.text
    if seconds > high_s * (1 + params.slack):
        # Point at where the answer ran past the target.
        limit_words = int(high_s / 60 * params.words_per_minute)
        tokens = [t for t in ctx.analysis.doc if not (t.is_punct or t.is_space)]
        start = tokens[min(limit_words, len(tokens) - 1)].idx
        over = seconds / high_s - 1
        values["cut"] = _first_words(text[start:], 8)
        evidence = [Evidence(label="too_long", text=text[start:], start=start, end=len(text))]
        return CriterionResult(
            score=round(max(0.0, 1 - over), 2),
            passed=False,
            feedback=ctx.advice("too_long", **values),
            evidence=evidence,
        )
    if seconds < low_s:
        evidence = [Evidence(label="too_short", text=text, start=0, end=len(text))]
        return CriterionResult(
            score=round(max(0.0, seconds / low_s), 2),
            passed=False,
            feedback=ctx.advice("too_short", **values),
            evidence=evidence,
        )
    return CriterionResult(score=1.0, passed=True, feedback=ctx.advice("pass", **values))


class Group(DetectorParams):
    """One kind of wanted content: a label for its evidence, a readable name, and what matches it."""

    label: str = Field(pattern=LABEL_PATTERN)
    name: str = Field(min_length=1, max_length=80)
    match: PatternSet


def _hits(group: Group, ctx: Context, lo: int, hi: int) -> list[Match]:
    return [m for m in find(group.match, ctx.analysis.doc) if lo <= m.start and m.end <= hi]


class KeywordsParams(DetectorParams):
    groups: list[Group] = Field(min_length=1, max_length=20)
    # How many distinct groups must appear for a pass.
    min_groups: int = Field(default=1, ge=1)
    # How many matches in all (across groups) a pass needs; 1 means any match of each group counts.
    min_hits: int = Field(default=1, ge=1, le=50)
    region: Region = "all"
    region_share: float = Field(default=0.25, gt=0, le=1)
    # Judged only when the question itself names one of these ("Knows the routes" where it asks
    # about DR, ESIR or the match); otherwise not scored: an advisor's "How will you use your
    # intern year?" on the same rubric does not ask for the routes.
    asked: PatternSet | None = None


def not_asked(asked: PatternSet | None, ctx: Context) -> Unscored | None:
    """Unscored when a criterion is judged only where the question names one of `asked`, and it
    names none."""
    if asked is not None and not find(asked, question_doc(ctx.question.text)):
        return Unscored(id=ctx.criterion.id, reason="the question does not ask for it")
    return None


@detector("keywords", KeywordsParams)
def keywords(params: KeywordsParams, ctx: Context) -> CriterionResult | Unscored:
    """Passes when enough groups of wanted content (phrases or token patterns) appear.

    Advice keys: pass, partial (some content found, not enough; falls back to fail), fail.
    Placeholders: {found} and {missing} (group names), {quote} (what matched), {count}.
    """
    unasked = not_asked(params.asked, ctx)
    if unasked is not None:
        return unasked
    lo, hi = region_bounds(ctx, params.region, params.region_share)
    evidence: list[Evidence] = []
    found: list[str] = []
    for group in params.groups:
        hits = _hits(group, ctx, lo, hi)
        if hits:
            found.append(group.name)
            evidence.extend(ctx.evidence(group.label, m.start, m.end) for m in hits)
    evidence.sort(key=lambda e: e.start)
    missing = [g.name for g in params.groups if g.name not in found]
    need = min(params.min_groups, len(params.groups))
    group_share = min(1.0, len(found) / need)
    hit_share = min(1.0, len(evidence) / params.min_hits)
    score = min(group_share, hit_share)
    passed = len(found) >= need and len(evidence) >= params.min_hits
    values = {
        "found": ", ".join(found) or "none",
        "missing": ", ".join(missing) or "none",
        "quote": quote([e.text for e in evidence]) or "nothing",
        "count": len(evidence),
    }
    key = "pass" if passed else ("partial" if evidence else "fail")
    return CriterionResult(
        score=round(score, 2),
        passed=passed,
        feedback=ctx.advice(key, **values),
        evidence=evidence,
    )


class AvoidParams(DetectorParams):
    label: str = Field(pattern=LABEL_PATTERN)
    match: PatternSet
    # Each hit costs this much of the score; more than `max_hits` hits fails the criterion.
    penalty: float = Field(default=0.5, gt=0, le=1)
    max_hits: int = Field(default=0, ge=0, le=20)


@detector("avoid", AvoidParams)
def avoid(params: AvoidParams, ctx: Context) -> CriterionResult:
    """Fails when the answer says something the rubric warns against, quoting each instance.

    Advice keys: pass, fail. Placeholders: {quote} (the words to drop), {count}.
    """
    hits = find(params.match, ctx.analysis.doc)
    evidence = [ctx.evidence(params.label, m.start, m.end) for m in hits]
    values = {"quote": quote([m.text for m in hits]), "count": len(hits)}
    if len(hits) <= params.max_hits:
        score = 1.0 if not hits else max(0.0, 1 - params.penalty * len(hits) / 2)
        return CriterionResult(
            score=round(score, 2), passed=True, feedback=ctx.advice("pass", **values), evidence=evidence
        )
    return CriterionResult(
        score=round(max(0.0, 1 - params.penalty * (len(hits) - params.max_hits)), 2),
        passed=False,
        feedback=ctx.advice("fail", **values),
        evidence=evidence,
    )


class SpecificParams(DetectorParams):
    # Named things that make an example concrete: procedures, places, people by role, first-person
    # narrative. Each group counts as its own kind of detail.
    markers: list[Group] = Field(default_factory=list, max_length=20)
    # spaCy entity labels that count as detail (dates, times, counts); IR itself is often tagged ORG,
    # so ORG is not a sensible default.
    entity_labels: list[str] = Field(
        default_factory=lambda: ["DATE", "TIME", "CARDINAL", "QUANTITY", "PERCENT", "ORDINAL"],
        max_length=20,
    )
    entity_label: str = Field(default="detail", pattern=LABEL_PATTERN)
    count_numbers: bool = True
    # A number right after one of these words names an exam or a part ("Step 1", "Level 2"); it is
    # not a detail of the example, or every answer about boards would count one for free.
    naming_words: list[str] = Field(
        default_factory=lambda: ["step", "level", "part", "phase", "block"], max_length=50
    )
    # Generic phrasing that stands in for an example ("a lot of things").
    vague: PatternSet = Field(default_factory=PatternSet)
    vague_label: str = Field(default="vague", pattern=LABEL_PATTERN)
    min_markers: int = Field(default=3, ge=1, le=50)
    min_kinds: int = Field(default=2, ge=1, le=20)
    # More vague phrases than this fails the criterion even with enough detail.
    max_vague: int = Field(default=2, ge=0, le=50)


def _overlaps(a: Evidence, spans: list[Evidence]) -> bool:
    return any(a.start < b.end and b.start < a.end for b in spans)


def _names_a_thing(doc: Doc, start: int, naming: set[str]) -> bool:
    """Whether the number at character `start` follows a naming word ("Step 1", "Level 2")."""
    span = doc.char_span(start, start + 1, alignment_mode="expand")
    if span is None or span.start == 0:
        return False
    return doc[span.start - 1].lower_ in naming


@detector("specific_example", SpecificParams)
def specific_example(params: SpecificParams, ctx: Context) -> CriterionResult:
    """Concrete detail: entities (dates, times, counts), numbers and named things from the rubric.

    Passes with at least `min_markers` distinct details of at least `min_kinds` kinds and no more
    than `max_vague` vague phrases. Advice keys: pass, vague (enough detail, too many vague
    phrases; falls back to fail), fail. Placeholders: {quote} (the details found), {vague} (the vague
    phrases), {count}, {kinds}, {found}, {missing} (marker group names).
    """
    doc = ctx.analysis.doc
    details: list[Evidence] = []
    kinds: set[str] = set()
    found: list[str] = []
    for group in params.markers:
        hits = _hits(group, ctx, 0, len(ctx.analysis.text))
        fresh = [ctx.evidence(group.label, m.start, m.end) for m in hits]
        fresh = [e for e in fresh if not _overlaps(e, details)]
        if fresh:
            kinds.add(group.label)
            found.append(group.name)
            details.extend(fresh)
    wanted = set(params.entity_labels)
    naming = {w.lower() for w in params.naming_words}
    for ent in doc.ents:
        if ent.label_ in wanted and not _names_a_thing(doc, ent.start_char, naming):
            ev = ctx.evidence(params.entity_label, ent.start_char, ent.end_char)
            if not _overlaps(ev, details):
                details.append(ev)
                kinds.add(params.entity_label)
    if params.count_numbers:
        for number in ctx.analysis.numbers:
            if _names_a_thing(doc, number.start, naming):
                continue
            ev = ctx.evidence(params.entity_label, number.start, number.end)
            if not _overlaps(ev, details):
                details.append(ev)
                kinds.add(params.entity_label)
    details.sort(key=lambda e: e.start)
    vague = [ctx.evidence(params.vague_label, m.start, m.end) for m in find(params.vague, doc)]
    missing = [g.name for g in params.markers if g.name not in found]
    values = {
        "quote": quote([e.text for e in details]) or "nothing specific",
        "vague": quote([e.text for e in vague]),
        "count": len(details),
        "kinds": len(kinds),
        "found": ", ".join(found) or "none",
        "missing": ", ".join(missing) or "none",
    }
    enough = len(details) >= params.min_markers and len(kinds) >= min(
        params.min_kinds, 1 + len(params.markers)
    )
    too_vague = len(vague) > params.max_vague
    detail_share = (
        min(1.0, len(details) / params.min_markers) * 0.7 + min(1.0, len(kinds) / params.min_kinds) * 0.3
    )
    score = detail_share - (0.15 * (len(vague) - params.max_vague) if too_vague else 0.0)
    passed = enough and not too_vague
    key = "pass" if passed else ("vague" if enough else "fail")
    return CriterionResult(
        score=round(min(1.0, max(0.0, score)), 2),
        passed=passed,
        feedback=ctx.advice(key, **values),
        evidence=sorted(details + vague, key=lambda e: e.start),
    )


class ActionsParams(DetectorParams):
    label: str = Field(default="own_action", pattern=LABEL_PATTERN)
    # Lower-case subjects whose actions count ("i"), and those counted for contrast ("we").
    subjects: list[str] = Field(default_factory=lambda: ["i"], min_length=1, max_length=10)
    others: list[str] = Field(default_factory=lambda: ["we"], max_length=10)
    # Fine-grained tags of verbs that narrate an action: past ("I called") and perfect ("I have led").
    tags: list[str] = Field(default_factory=lambda: ["VBD", "VBN"], min_length=1, max_length=10)
    # Verbs that state a feeling or a thought rather than an action ("I thought", "I was").
    exclude_lemmas: list[str] = Field(default_factory=list, max_length=200)
    # Extra phrases that also count as owning an action ("my role was").
    also: PatternSet = Field(default_factory=PatternSet)
    min_actions: int = Field(default=2, ge=1, le=50)


def _subject(verb: Token) -> Token | None:
    """The verb's nominal subject; a conjoined verb ("I reviewed..., built... and wrote...") shares
    its head's subject."""
    seen = 0
    while verb is not None and seen < 10:
        for child in verb.children:
            if child.dep_ in ("nsubj", "nsubjpass"):
                return child if child.dep_ == "nsubj" else None
        if verb.dep_ != "conj" or verb.head is verb:
            return None
        verb, seen = verb.head, seen + 1
    return None


@detector("own_actions", ActionsParams)
def own_actions(params: ActionsParams, ctx: Context) -> CriterionResult:
    """Actions the speaker owns: verbs whose subject is "I" (found through the dependency parse, so
    "I reviewed the charts, built the database and wrote the draft" is three), against "we".

    Advice keys: pass, partial (some, not enough; falls back to fail), fail. Placeholders: {quote}
    (the actions), {count}, {others} (how many actions had another subject, e.g. "we"),
    {others_quote}.
    """
    subjects = {s.lower() for s in params.subjects}
    others = {s.lower() for s in params.others}
    excluded = set(params.exclude_lemmas)
    tags = set(params.tags)
    mine: list[Evidence] = []
    theirs: list[Evidence] = []
    for token in ctx.analysis.doc:
        if token.pos_ not in ("VERB", "AUX") or token.tag_ not in tags or token.lemma_ in excluded:
            continue
        if token.pos_ == "AUX" and token.dep_ == "aux":
            continue
        subject = _subject(token)
        if subject is None:
            continue
        who = subject.lower_
        # Quote "I called" when the subject sits just before the verb, else the verb alone.
        near = subject.i < token.i and token.i - subject.i <= 3
        start = subject.idx if near else token.idx
        ev = ctx.evidence(params.label, start, token.idx + len(token.text))
        if who in subjects:
            mine.append(ev)
        elif who in others:
            theirs.append(ctx.evidence("not_own", start, token.idx + len(token.text)))
    for m in find(params.also, ctx.analysis.doc):
        ev = ctx.evidence(params.label, m.start, m.end)
        if not _overlaps(ev, mine):
            mine.append(ev)
    mine.sort(key=lambda e: e.start)
    values = {
        "quote": quote([e.text for e in mine]) or "none",
        "count": len(mine),
        "others": len(theirs),
        "others_quote": quote([e.text for e in theirs]) or "none",
    }
    passed = len(mine) >= params.min_actions
    key = "pass" if passed else ("partial" if mine else "fail")
    return CriterionResult(
        score=round(min(1.0, len(mine) / params.min_actions), 2),
        passed=passed,
        feedback=ctx.advice(key, **values),
        evidence=sorted(mine + theirs, key=lambda e: e.start),
    )
