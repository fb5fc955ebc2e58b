"""From a report to proposed positions: which sentences bear on which demand, for whom.

`draft(catalog, text)` reads the article text against the catalog's parties and demands and
returns a `Draft`: for every (party, demand) it finds, the best `Proposal` (stance or value,
status, a verbatim quote, whose account it is, a confidence) and the other sentences that
bear on it. It never looks at the catalog's positions, so what it proposes comes from the
article alone. Pure Python, no model, no network: the cues are the catalog's own words
(demand keywords, title words, scale stances and the note's description of each stance,
units; party names, aliases and the demonyms built from names) plus the small default
lists below (verbs of demanding and offering, attribution cues, a few stance synonyms).

Every `Proposal.quote` is `text[start:end]`, an exact slice of the article: line breaks and
typographic quotes are kept as they are.
"""

from __future__ import annotations

import bisect
import re
from dataclasses import dataclass, field
from typing import Iterable

from .article import Sentence, line_starts, sentences
from .model import Catalog, Demand, Party, Value

# -- default cue lists (no catalog key needed; a catalog's words are added to them) --------

#: Verbs (stemmed) that put a party's position in the sentence, and the status they imply.
POSITION_VERBS: dict[str, str] = {
    **dict.fromkeys("demand insist want call seek require press push stress cling ask condition maintain".split(), "demand"),
    **dict.fromkeys("offer propose present suggest float".split(), "offer"),
    **dict.fromkeys("accept agree approve endorse".split(), "accepted"),
    **dict.fromkeys("reject refuse oppose dismiss veto block obstruct".split(), "rejected"),
}
#: Nouns (stemmed) that a party can own: "an Israeli offer", "Hamas's demand".
POSITION_NOUNS: dict[str, str] = {
    "demand": "demand", "condition": "demand", "insistence": "demand", "offer": "offer",
    "proposal": "offer", "counterproposal": "offer", "plan": "proposal", "initiative": "proposal",
    "refusal": "rejected", "veto": "rejected", "rejection": "rejected", "acceptance": "accepted",
}
#: Words that may stand between a party and its verb ("Hamas has also insisted").
_AUXILIARIES = frozenset(
    "is are was were be been has have had would will shall could can may might also still now "
    "continu to categorically firmly reportedly again repeatedly already formally publicly "
    "insist do doe did not so far only just yet for its part their his her turn in side "
    "official mediator negotiator delegation leader envoy government authority source minister "
    "spokesman spokesperson".split()
)
#: Who speaks: nouns that head an attribution ("a senior official", "informed sources").
SPEAKER_NOUNS = (
    "official", "officials", "source", "sources", "spokesman", "spokeswoman", "spokesperson",
    "diplomat", "diplomats", "minister", "negotiator", "negotiators", "aide", "envoy", "mediator",
    "mediators", "leader", "leaders", "head", "director", "adviser", "advisor", "president",
    "commander", "representative", "delegation", "authority", "ministry", "office",
)
#: Verbs of saying that close or open an attribution ("... told Al Mayadeen", "said a ...").
SPEECH_VERBS = (
    "said", "says", "told", "tells", "revealed", "reveals", "stated", "explained", "added",
    "reported", "stressed", "informed", "confirmed", "noted", "highlighted", "concluded",
    "pointed out", "announced", "disclosed", "claimed", "indicated", "warned", "insisted",
)
#: Stance synonyms (stemmed): a word of a stance name -> words a report may use instead.
NEAR_WORDS: dict[str, tuple[str, ...]] = {
    "permanent": ("final", "comprehensive", "lasting", "durable", "full", "end"),
    "temporary": ("interim", "pause", "limited", "short", "month", "week", "day"),
    "complete": ("full", "total", "entire", "all"),
    "gradual": ("phased", "stage", "step", "gradually"),
    "phased": ("stage", "first", "second", "gradual"),
    "written": ("writing", "document", "paper", "signed"),
    "verbal": ("oral", "spoken", "verbally"),
    "partial": ("limited", "some", "part"),
    "released": ("freed", "liberated"),
    "excluded": ("refuse", "reject", "veto", "red"),
    "closed": ("shut", "blockade", "sealed"),
    "open": ("free", "freely", "unrestricted"),
    "inspected": ("searched", "checked", "screened", "controlled"),
    "stay": ("remain", "remaining", "keep"),
    "leave": ("exit", "depart", "exile"),
}
#: Words a reader skips when matching phrases.
STOPWORDS = frozenset(
    "a an the of in on at to for from by with and or but as that this these those its it their "
    "his her our your is are was were be been being has have had will would shall should can "
    "could may might then than so such into onto over under about per each every any all".split()
) - {"all", "per", "each", "every"}
_NEGATIONS = frozenset("no not without never refuse reject nor none".split())
_QUALIFIERS = (
    ("more than", "more than"), ("over", "more than"), ("at least", "at least"),
    ("up to", "up to"), ("fewer than", "fewer than"), ("less than", "fewer than"),
    ("about", "about"), ("approximately", "about"), ("around", "about"), ("nearly", "nearly"),
    ("almost", "nearly"), ("some", "about"), ("roughly", "about"), ("as many as", "up to"),
)
_NUMBER_WORDS = {
    w: i for i, w in enumerate(
        "zero one two three four five six seven eight nine ten eleven twelve thirteen fourteen "
        "fifteen sixteen seventeen eighteen nineteen twenty".split())
}
_RATIO_LINKS = ("per", "for", "for each", "for every", "in exchange for", "in return for", "to", "against", "for one", "for a")
_ONE = frozenset(("1", "one", "each", "every", "a", "an", "single"))


# -- words --------------------------------------------------------------------------------

_WORD = re.compile(r"\d+(?:[-/:]\d+)+|\d[\d,]*(?:\.\d+)?|[^\W\d_]+(?:['’][^\W\d_]+)*")


def stem(word: str) -> str:
    """A light English stem (see `_stem`), remembered: a report repeats its words."""
    cached = _STEMS.get(word)
    if cached is None:
        cached = _stem(word)
        if len(_STEMS) < 100_000:  # bounded: a long-lived dashboard reads many reports
            _STEMS[word] = cached
    return cached


_STEMS: dict[str, str] = {}


def _stem(word: str) -> str:
    """A light English stem: enough that `withdraw`, `withdrawal` and `withdrawing`, or
    `released` and `releasing`, meet; it does not conflate `prisons` with `prisoners` as a
    Porter stemmer does."""
    w = word.lower().replace("’", "'")
    if w.endswith("'s"):
        w = w[:-2]
    elif w.endswith("'"):
        w = w[:-1]
    if len(w) <= 3 or not w.isalpha():
        return w
    if w.endswith("ies") and len(w) > 4:
        w = w[:-3] + "y"
    elif w.endswith("sses"):
        w = w[:-2]
    elif w.endswith("s") and not w.endswith(("ss", "us", "is")):
        w = w[:-1]
    if w.endswith("ly") and len(w) > 5:
        w = w[:-2]
    if w.endswith("ing") and len(w) > 5:
        w = w[:-3]
    elif w.endswith("ed") and len(w) > 4:
        w = w[:-2]
    else:
        if w.endswith("al") and len(w) > 6:
            w = w[:-2]
        elif w.endswith("ion") and len(w) > 6 and w[-4] in "ts":
            w = w[:-3]
        if w.endswith("e") and len(w) > 3:
            w = w[:-1]
    if len(w) > 3 and w[-1] == w[-2] and w[-1] not in "lsz":
        w = w[:-1]
    return w


def _stems(words: Iterable[str]) -> frozenset[str]:
    return frozenset(stem(w) for w in words)


# the lists above are written as words; matching is on stems
POSITION_VERBS = {stem(w): status for w, status in POSITION_VERBS.items()}
POSITION_NOUNS = {stem(w): status for w, status in POSITION_NOUNS.items()}
NEAR_WORDS = {stem(w): tuple(stem(n) for n in near) for w, near in NEAR_WORDS.items()}
_NEGATIONS = _stems(_NEGATIONS) | {"n't", "no", "not"}
_AUXILIARIES = _stems(_AUXILIARIES)
_SAYS = _stems(("say", "says", "said", "stress", "repeat", "repeated", "insists"))  - set(POSITION_VERBS)


@dataclass(frozen=True, slots=True)
class Token:
    text: str  # lowercased
    stem: str
    start: int  # offsets in the sentence
    end: int


def tokens(text: str) -> list[Token]:
    """Words and numbers of `text`; hyphenated words count as their parts."""
    out = []
    for m in _WORD.finditer(text):
        word = m.group()
        out.append(Token(word.lower(), stem(word) if not word[0].isdigit() else word, m.start(), m.end()))
    for n in range(len(out) - 1):
        if out[n].text == "close" and out[n + 1].text == "to":  # "a source close to": not "closed"
            out[n] = Token("close", "close to", out[n].start, out[n].end)
    return out


def _phrase(text: str) -> tuple[str, ...]:
    """The content stems of a cue phrase, in order (all its stems when it is only stopwords)."""
    words = [t for t in tokens(text)]
    content = tuple(t.stem for t in words if t.text not in STOPWORDS)
    return content or tuple(t.stem for t in words)


class _Index:
    """Where each stem occurs in one sentence."""

    def __init__(self, toks: list[Token]) -> None:
        self.toks = toks
        self.at: dict[str, list[int]] = {}
        for i, t in enumerate(toks):
            self.at.setdefault(t.stem, []).append(i)

    def find(self, phrase: tuple[str, ...]) -> int | None:
        """Token index where `phrase` (stems in order, a few words apart at most) starts."""
        if not phrase:
            return None
        for i in self.at.get(phrase[0], ()):
            pos, ok = i, True
            for s in phrase[1:]:
                nxt = next((j for j in self.at.get(s, ()) if pos < j <= pos + 3), None)
                if nxt is None:
                    ok = False
                    break
                pos = nxt
            if ok:
                return i
        return None


# -- what the catalog gives ------------------------------------------------------------------

@dataclass(slots=True)
class _DemandCues:
    demand: Demand
    phrases: list[tuple[tuple[str, ...], float, str]]  # (stems, weight, what)
    #: name, {stem: weight} of its own words, {stem: weight} of near words, negative ("no ...")
    stances: list[tuple[str, dict[str, float], dict[str, float], bool]]
    unit_stems: tuple[str, ...] = ()
    ratio: tuple[tuple[str, ...], tuple[str, ...]] | None = None  # numerator, denominator stems


@dataclass(slots=True)
class _PartyCues:
    party: Party
    phrases: list[tuple[str, ...]]  # lowercased word sequences
    prefix: str | None  # a single-word name whose demonyms count ("israel" -> "israeli")


_DEMONYM_ENDINGS = ("", "i", "is", "ian", "ians", "ese", "s", "n", "ns", "ic")


def _note_descriptions(demand: Demand) -> dict[str, str]:
    """`"stance": description` passages of a demand's note, by stance."""
    note = demand.note or ""
    if not demand.scale or not note:
        return {}
    marks = []
    for stance in demand.scale:
        for q1, q2 in (('"', '"'), ("“", "”")):
            i = note.find(f"{q1}{stance}{q2}")
            if i >= 0:
                marks.append((i, i + len(stance) + 2, stance))
                break
    marks.sort()
    out = {}
    for n, (i, j, stance) in enumerate(marks):
        end = marks[n + 1][0] if n + 1 < len(marks) else len(note)
        out[stance] = note[j:end]
    return out


def _demand_cues(demand: Demand, weak: set[str]) -> _DemandCues:
    phrases: list[tuple[tuple[str, ...], float, str]] = []
    for keyword in demand.keywords:
        p = _phrase(keyword)
        if p:
            phrases.append((p, 1.0 + 0.25 * (len(p) - 1), f"keyword `{keyword}`"))
    own = {s for p, _, _ in phrases for s in p}
    for t in tokens(demand.title):
        if t.text not in STOPWORDS and len(t.stem) > 2 and t.stem not in weak and t.stem not in own:
            phrases.append(((t.stem,), 0.4, f"title word `{t.text}`"))
            own.add(t.stem)
    stances = []
    titled = {t.stem for t in tokens(demand.title)}
    described = _note_descriptions(demand)
    for name in demand.scale or ():
        stems = _phrase(name)
        # a word the demand is found by ("ceasefire") says little about which stance it is
        # and a word of the demand's title ("Ceasefire") names the demand, not a stance
        key = {s: (0.0 if s in titled else 0.5 if s in own else 1.0) for s in stems}
        if not any(key.values()):  # the stance repeats the title: its own words are those no other stance has
            others = {x for other in demand.scale or () if other != name for x in _phrase(other)}
            key = {s: (0.0 if s in others else 1.0) for s in stems}
            if not any(key.values()):
                key = dict.fromkeys(stems, 1.0)
        near: set[str] = set()
        for s in key:
            near.update(NEAR_WORDS.get(s, ()))
        near |= {t.stem for t in tokens(described.get(name, "")) if t.text not in STOPWORDS and len(t.stem) > 2}
        negative = name.lower().startswith(("no ", "none", "without", "not "))
        stances.append((name, key, near - set(key) - weak - titled, negative))
        if len(stems) > 1:  # a one-word stance ("released") is too common to find a demand by
            phrases.append((stems, 1.2, f"stance `{name}`"))
    # near words of two stances tell neither apart
    counts: dict[str, int] = {}
    for _, _, near, _ in stances:
        for s in near:
            counts[s] = counts.get(s, 0) + 1
    stances = [
        (n, k, {s: (0.15 if s in own else 0.3) for s in near if counts[s] == 1}, neg)
        for n, k, near, neg in stances
    ]
    cues = _DemandCues(demand, phrases, stances)
    if demand.unit:
        unit = demand.unit.lower()
        if " per " in f" {unit} ":
            num, _, den = unit.partition(" per ")
            cues.ratio = (_phrase(num), _phrase(den))
        else:
            cues.unit_stems = _phrase(unit)
    return cues


def _party_cues(party: Party) -> _PartyCues:
    names = [party.name, party.id.replace("-", " ").replace("_", " "), *getattr(party, "aliases", ())]
    phrases = []
    for name in names:
        words = tuple(t.text for t in tokens(name))
        if len(words) > 1 and words[0] == "the" and name.split()[1][:1].isupper():
            words = words[1:]  # "the Alliance" is also "Alliance leaders"; "the movement" stays whole
        if words and words not in phrases:
            phrases.append(words)
    single = [p[0] for p in phrases if len(p) == 1 and len(p[0]) >= 4 and p[0].isalpha()]
    return _PartyCues(party, phrases, single[0] if single else None)


@dataclass(slots=True)
class _Mention:
    party: str
    start: int  # token indexes
    end: int
    strength: int = 0  # 0 named, 1 owns a position noun, 2 subject of a position verb
    status: str | None = None


def _by_first_word(parties: list[_PartyCues]) -> dict[str, list[tuple[tuple[str, ...], str]]]:
    """Party phrases by their first word, longest first: "United States" before "United"."""
    index: dict[str, list[tuple[tuple[str, ...], str]]] = {}
    for cues in parties:
        for phrase in cues.phrases:
            index.setdefault(phrase[0], []).append((phrase, cues.party.id))
    for phrases in index.values():
        phrases.sort(key=lambda pp: -len(pp[0]))
    return index


def _mentions(toks: list[Token], parties: list[_PartyCues],
              by_first: dict[str, list[tuple[tuple[str, ...], str]]] | None = None) -> list[_Mention]:
    """Where parties are named (names, aliases, demonyms) and how: subject of a position
    verb, owner of a position noun, or only named."""
    if by_first is None:
        by_first = _by_first_word(parties)
    prefixes = [(c.prefix, c.party.id) for c in parties if c.prefix]
    found: list[_Mention] = []
    bare = [w[:-2] if w.endswith(("'s", "’s")) else w for w in (t.text for t in toks)]
    i = 0
    while i < len(bare):
        w = bare[i]
        hit = next(((phrase, pid) for phrase, pid in by_first.get(w, ())
                    if tuple(bare[i:i + len(phrase)]) == phrase), None)
        if hit is not None:
            found.append(_Mention(hit[1], i, i + len(hit[0])))
            i += len(hit[0])
            continue
        for prefix, pid in prefixes:
            if w.startswith(prefix) and w[len(prefix):] in _DEMONYM_ENDINGS:
                found.append(_Mention(pid, i, i + 1))
                break
        i += 1
    found.sort(key=lambda m: m.start)
    for m in found:
        # subject: "Hamas (has also) insisted", "Israel is offering"
        j, negated = m.end, False
        while j < len(toks) and j - m.end < 6 and toks[j].stem in _AUXILIARIES and toks[j].stem not in POSITION_VERBS:
            negated = negated or toks[j].text in ("not", "never", "n't")
            j += 1
        verb = toks[j].stem if j < len(toks) else ""
        if verb == "put" and j + 1 < len(toks) and toks[j + 1].text == "forward":
            verb = stem("offer")
        if verb in _SAYS:  # "the Alliance says it will sign nothing ...": its own stance
            m.strength = 2
            continue
        if verb in POSITION_VERBS:
            status = POSITION_VERBS[verb]
            if negated:  # "has not accepted" is a refusal; "does not demand" says nothing sure
                status = "rejected" if status == "accepted" else None
            m.strength, m.status = 2, status
            continue
        # owner: "an Israeli offer", "Hamas's demand", "the Israeli counter-proposal"
        if m.end < len(toks) and toks[m.end].stem in POSITION_NOUNS:
            m.strength, m.status = 1, POSITION_NOUNS[toks[m.end].stem]
            continue
        # agent: "offered by Israel", "a plan proposed by Egypt"
        if m.start >= 2 and toks[m.start - 1].text == "by" and toks[m.start - 2].stem in POSITION_VERBS:
            m.strength, m.status = 2, POSITION_VERBS[toks[m.start - 2].stem]
    return found


# -- numbers --------------------------------------------------------------------------------

def _number(tok: Token) -> float | None:
    if tok.text[0].isdigit():
        if any(c in tok.text for c in "-/:"):
            return None  # a date or a time
        raw = tok.text.replace(",", "")
        try:
            value = float(raw)
        except ValueError:
            return None
        return value
    return float(_NUMBER_WORDS[tok.text]) if tok.text in _NUMBER_WORDS else None


@dataclass(slots=True)
class _Amount:
    value: Value
    start: int  # token indexes
    end: int
    qualifier: str | None = None
    #: where the phrase that gives the amount starts ("1 captive to 3": at the 1)
    anchor: int = -1

    def __post_init__(self) -> None:
        if self.anchor < 0:
            self.anchor = self.start


def _as_int(v: float) -> int | float:
    return int(v) if v.is_integer() else v


def _amounts(toks: list[Token]) -> list[_Amount]:
    """Numbers and ranges ("3 to 13", "between 3 and 13") with their qualifier ("more than")."""
    out: list[_Amount] = []
    i = 0
    while i < len(toks):
        v = _number(toks[i])
        if v is None or (toks[i].text.isdigit() and len(toks[i].text) == 4 and 1900 <= v <= 2100):
            i += 1
            continue
        start, end, value = i, i + 1, Value(_as_int(v), _as_int(v))
        if i + 2 < len(toks) and toks[i + 1].text in ("to", "and") and _number(toks[i + 2]) is not None:
            w = _number(toks[i + 2])
            if w is not None and w >= v and (toks[i + 1].text == "to" or (i > 0 and toks[i - 1].text == "between")):
                value, end = Value(_as_int(v), _as_int(w)), i + 3
        qualifier = None
        before = " ".join(t.text for t in toks[max(0, start - 3):start])
        for phrase, meaning in _QUALIFIERS:
            if before.endswith(phrase):
                qualifier = meaning
                break
        out.append(_Amount(value, start, end, qualifier))
        i = end
    return out


def _is_former(toks: list[Token], amount: _Amount) -> bool:
    """True for an amount given as where things stood before: "from 1 captive to 3"."""
    return any(t.text in ("from", "previous", "earlier", "former") for t in toks[max(0, amount.anchor - 4):amount.anchor])


def _near(toks: list[Token], stems: tuple[str, ...], lo: int, span: int) -> int | None:
    """Index of the last of `stems` found in order within `span` tokens from `lo`."""
    pos = lo - 1
    for s in stems:
        nxt = next((j for j in range(pos + 1, min(len(toks), lo + span)) if toks[j].stem == s), None)
        if nxt is None:
            return None
        pos = nxt
    return pos


def _ratios(toks: list[Token], cues: _DemandCues) -> list[_Amount]:
    """Amounts that are "N ... for 1 <denominator>" or "1 <denominator> to N"."""
    assert cues.ratio is not None
    _, den = cues.ratio
    head = den[-1:] if den else ()
    found = []
    amounts = _amounts(toks)
    for a in amounts:
        j = a.end
        # skip a few words of the numerator's noun phrase: "3 to 13 Palestinian prisoners"
        for k in range(j, min(len(toks), j + 4)):
            rest = " ".join(t.text for t in toks[k:k + 3])
            link = next((lk for lk in sorted(_RATIO_LINKS, key=len, reverse=True) if rest.startswith(lk + " ") or rest == lk), None)
            if link is None:
                continue
            m = k + len(link.split())
            if m < len(toks) and (toks[m].text in _ONE or link in ("per", "for each", "for every")):
                if _near(toks, head, m, 4) is not None:
                    found.append(a)
                    break
        else:
            # "1 captive to 3 Palestinians"
            if toks[a.start].text in _ONE and a.value.low == 1 and head and a.end < len(toks) and toks[a.end].stem == head[0]:
                k = a.end + 1
                if k + 1 < len(toks) and toks[k].text in ("to", "for"):
                    nxt = next((b for b in amounts if b.start == k + 1), None)
                    if nxt is not None:
                        found.append(_Amount(nxt.value, nxt.start, nxt.end, nxt.qualifier, a.start))
    found.sort(key=lambda a: a.start)
    return found


def _counted(toks: list[Token], cues: _DemandCues, amounts: list[_Amount], used: set[int]) -> list[_Amount]:
    """Amounts followed closely by the demand's unit: "1,500 prisoners", "6,000 Palestinian prisoners"."""
    head = cues.unit_stems[-1:] if cues.unit_stems else ()
    out = []
    for a in amounts:
        if a.start in used or not head:
            continue
        if _near(toks, head, a.end, 4) is not None:
            out.append(a)
            continue
        # "raising the number of detainees it would free to 1,000"
        for k in range(max(0, a.start - 8), a.start):
            if toks[k].text == "number" and k + 2 < a.start and toks[k + 1].text == "of" and toks[k + 2].stem == head[0]:
                out.append(a)
                break
    return out


# -- attribution -----------------------------------------------------------------------------

_SPEAKER_NOUN = "|".join(sorted(SPEAKER_NOUNS, key=len, reverse=True))
_SPEECH_VERB = "|".join(sorted(SPEECH_VERBS, key=len, reverse=True))
_NAMEY = r"(?:[A-Z][\w’'./-]*|of|the|and|in|for|from|close to|to)"
_OF_WHOM = rf"(?:\s+(?:in|from|of|close to|at|for)\s+(?:the\s+[\w’'/-]+|[A-Z][\w’'/-]*)(?:\s+{_NAMEY}){{0,5}}(?:\s+(?:delegation|government|team|movement|side|camp|leadership|ministry))?)?"
_SPEAKER_AFTER = re.compile(  # "private sources in the Palestinian Resistance told", "a senior Israeli source told"
    rf"(?P<s>(?:(?:an?|the|two|three|several|some|other|one)\s+)?(?:[\w’'/-]+\s+){{0,4}}?(?i:{_SPEAKER_NOUN})\b{_OF_WHOM}"
    rf"(?:,\s+[^,]{{1,40}},)?)\s+(?:(?:also|then|later|has|have|had)\s+)?(?:{_SPEECH_VERB})\b"
)
_SPEAKER_BEFORE = re.compile(  # "said a senior official", "according to a negotiator close to the movement"
    rf"(?:\b(?:{_SPEECH_VERB})\s+|\baccording to\s+)(?P<s>(?:an?|the)?\s*(?:[\w’'/-]+\s+){{0,4}}?(?:{_SPEAKER_NOUN})\b{_OF_WHOM})"
)
_PRONOUN_SPEAKER = re.compile(rf"\b(?:he|she|they|the (?:source|sources|official))\s+(?:also\s+)?(?:{_SPEECH_VERB})\b", re.I)


_LEADING = re.compile(r"^(?:(?:that|and|but|while|although|though|as|because|if|when|since|after|before|meanwhile|moreover|however|also|then|earlier|later),?\s+)+", re.I)


_SPEAKER_AFTER_END = re.compile(_SPEAKER_AFTER.pattern + r"\Z")
_SPEECH = re.compile(rf"\b(?:{_SPEECH_VERB})\b|\baccording to\b")


def _speaker(sentence: str) -> str | None:
    """Who the sentence says is speaking ("a senior official in the ..."), or None."""
    best = None
    for verb in _SPEECH.finditer(sentence):
        # the attribution is next to its verb: look only there, not along the whole sentence
        before = sentence[max(0, verb.start() - 200):verb.end()]
        after = sentence[verb.start():verb.end() + 200]
        found = [m for m in [_SPEAKER_AFTER_END.search(before)] if m]
        found += [m for m in [_SPEAKER_BEFORE.match(after)] if m]
        for m in found:
            s = " ".join(m.group("s").split()).strip(" ,")
            s = _LEADING.sub("", s)
            s = re.sub(r",\s+for (?:his|her|its|their) part,?$", "", s)
            if s.lower() in ("the source", "the sources", "the official", "sources", "source"):
                continue
            if best is None or len(s) > len(best):
                best = s
    return best


# -- proposals -------------------------------------------------------------------------------

@dataclass(frozen=True, slots=True)
class Proposal:
    """One position the article seems to state: a guess for a person to review."""

    party: str
    demand: str
    #: the stance (scale or free-text demand) or the value (numeric demand)
    stance: str | None
    value: Value | None
    status: str | None
    #: the sentence, exactly as in the article: quote == text[start:end]
    quote: str
    start: int
    end: int
    line: int
    confidence: float
    speaker: str | None = None
    according_to: str | None = None
    #: "more than", "about"...: the value is a bound or an estimate
    qualifier: str | None = None
    #: what was matched, for the reviewer ("keyword `truce`", "Israel is the subject of `offer`")
    reasons: tuple[str, ...] = ()
    #: which fields are guesses the reviewer must check: party, stance, value, status, according_to
    guesses: tuple[str, ...] = ()

    @property
    def key(self) -> tuple[str, str]:
        return (self.party, self.demand)

    @property
    def level(self) -> str:
        return "high" if self.confidence >= 0.7 else "medium" if self.confidence >= 0.5 else "low"

    def shown(self) -> str:
        return str(self.value) if self.value is not None else (self.stance or "")


@dataclass(frozen=True, slots=True)
class Draft:
    """What `draft` found: the best proposal per (party, demand), in article order, and the
    other sentences that bear on the same pair."""

    proposals: tuple[Proposal, ...]
    alternatives: dict[tuple[str, str], tuple[Proposal, ...]] = field(default_factory=dict)
    sentence_count: int = 0
    word_count: int = 0


_CLAUSE_BREAK = re.compile(
    r";|,\s+(?=(?:while|whereas|but|however|although|yet)\b)|\s(?=(?:while|whereas)\s)"
    r"|,\s+(?=and\s+(?:the\s+)?[A-Z])"  # ", and the Alliance is seeking ...": a new subject
)


def _clauses(text: str, toks: list[Token]) -> list[tuple[int, int]]:
    """Token index ranges of the clauses of a sentence ("X offers ..., while Y demands ...")."""
    cuts = [m.start() for m in _CLAUSE_BREAK.finditer(text)]
    bounds, lo = [], 0
    for c in cuts:
        hi = next((i for i, t in enumerate(toks) if t.start >= c), len(toks))
        if hi > lo:
            bounds.append((lo, hi))
            lo = hi
    bounds.append((lo, len(toks)))
    return [b for b in bounds if b[1] > b[0]]


def _title_weak(catalog: Catalog) -> set[str]:
    """Title words that tell no demand apart: in two titles or more, or part of a party name."""
    seen: dict[str, int] = {}
    for d in catalog.demands:
        for s in {t.stem for t in tokens(d.title)}:
            seen[s] = seen.get(s, 0) + 1
    weak = {s for s, n in seen.items() if n > 1}
    parties = [_party_cues(p) for p in catalog.parties]
    for d in catalog.demands:
        toks = tokens(d.title)
        for m in _mentions(toks, parties):
            weak.update(t.stem for t in toks[m.start:m.end])
    for p in catalog.parties:
        weak.update(t.stem for t in tokens(p.name))
    return weak


class Drafter:
    """The cues of one catalog, built once, applied to any number of articles."""

    def __init__(self, catalog: Catalog) -> None:
        self.catalog = catalog
        weak = _title_weak(catalog)
        self.demands = [_demand_cues(d, weak) for d in catalog.demands]
        self.parties = [_party_cues(p) for p in catalog.parties]
        self.by_first = _by_first_word(self.parties)
        self.side = {p.id for p in catalog.parties if p.is_side}
        self.roles = {p.id: p.role for p in catalog.parties}

    def speaker_party(self, speaker: str | None) -> str | None:
        if not speaker:
            return None
        ms = _mentions(tokens(speaker), self.parties, self.by_first)
        return ms[0].party if ms else None

    def draft(self, text: str) -> Draft:
        """Proposals for `text` (the article's text as `store.article` reads it)."""
        found: list[Proposal] = []
        starts = line_starts(text)
        sents = sentences(text)
        last_speaker: str | None = None
        for sentence in sents:
            speaker = _speaker(sentence.text)
            if speaker is None and last_speaker and _PRONOUN_SPEAKER.search(sentence.text):
                speaker = last_speaker
            if speaker is not None:
                last_speaker = speaker
            line = bisect.bisect_right(starts, sentence.start)
            found.extend(self._sentence(sentence, line, speaker))
        best: dict[tuple[str, str], Proposal] = {}
        others: dict[tuple[str, str], list[Proposal]] = {}
        for p in found:
            held = best.get(p.key)
            if held is None or p.confidence > held.confidence:
                if held is not None:
                    others.setdefault(p.key, []).append(held)
                best[p.key] = p
            else:
                others.setdefault(p.key, []).append(p)
        chosen = tuple(sorted(best.values(), key=lambda p: (p.start, self._order(p))))
        alternatives = {k: tuple(sorted(v, key=lambda p: p.start)) for k, v in others.items()}
        return Draft(chosen, alternatives, len(sents), len(text.split()))

    def _order(self, p: Proposal) -> tuple[int, int]:
        pi = next(i for i, c in enumerate(self.parties) if c.party.id == p.party)
        di = next(i for i, c in enumerate(self.demands) if c.demand.id == p.demand)
        return (pi, di)

    # -- one sentence ----------------------------------------------------------------------

    def _sentence(self, sentence: Sentence, line: int, speaker: str | None) -> Iterable[Proposal]:
        toks = tokens(sentence.text)
        if not toks:
            return []
        mentions = _mentions(toks, self.parties, self.by_first)
        if not mentions and speaker is None:
            return []
        index = _Index(toks)
        said_by = self.speaker_party(speaker)
        clauses = _clauses(sentence.text, toks)
        red_line = "red line" in sentence.text.lower()
        amounts = _amounts(toks)
        ratios = {c.demand.id: _ratios(toks, c) for c in self.demands if c.ratio is not None}
        # a number that is part of a ratio is not a count: "1 hostage to 2 detainees"
        in_ratio = {i for found in ratios.values() for r in found for i in (r.start, r.anchor)}
        out: list[Proposal] = []
        for cues in self.demands:
            hits = []
            for phrase, weight, what in cues.phrases:
                at = index.find(phrase)
                if at is not None:
                    hits.append((at, weight, what))
            if sum(w for _, w, _ in hits) < 1.0:
                continue
            demand = cues.demand
            previous: Proposal | None = None
            for lo, hi in clauses:
                clause_hits = [h for h in hits if lo <= h[0] < hi]
                reasons = [what for _, _, what in sorted(clause_hits or hits)][:3]
                stance, value, qualifier, exact = None, None, None, False
                guesses: list[str] = []
                picks: list[_Amount] = []
                if demand.kind == "number":
                    if cues.ratio is not None:
                        picks = [r for r in ratios[demand.id] if lo <= r.start < hi]
                    else:
                        picks = [a for a in _counted(toks, cues, amounts, in_ratio) if lo <= a.start < hi]
                if not clause_hits and len(clauses) > 1 and not picks:
                    # "..., and the Council has endorsed the proposal": the clause's subject
                    # takes up what the clause before it proposed
                    subject = [m for m in mentions if lo <= m.start < hi and m.strength == 2]
                    if previous is not None and subject and subject[0].party != previous.party:
                        out.append(self._proposal(
                            previous, subject[0].party, subject[0].status, 0.55,
                            previous.reasons + ("the clause takes up the one before",),
                        ))
                    continue
                cue_at = min(h[0] for h in clause_hits) if clause_hits else (picks[0].start if picks else min(h[0] for h in hits))
                if demand.kind == "scale":
                    stance, exact = self._stance(cues, toks, lo, hi, cue_at)
                    if stance is None:
                        continue
                    if not exact:
                        guesses.append("stance")
                elif demand.kind == "number":
                    if not picks:
                        continue
                    current = [a for a in picks if not _is_former(toks, a)]
                    pick = (current or picks)[-1]  # "from 1 to 3, to 3 to 13": the last one is where it stands
                    value, qualifier, exact = pick.value, pick.qualifier, True
                    others = [a for a in picks if a is not pick]
                    if others:
                        reasons.append("also mentions " + ", ".join(str(a.value) for a in others))
                else:
                    # the words around the cue, within the clause: a start for the reader's own words
                    a, b = max(lo, cue_at - 6), min(hi, cue_at + 10)
                    stance = _LEADING.sub("", " ".join(sentence.text[toks[a].start:toks[b - 1].end].split()))
                    guesses.append("stance")
                party, strength, status, in_clause = self._party(mentions, lo, hi, cue_at, said_by)
                if party is None:
                    continue
                if strength < 2:
                    guesses.append("party")
                confidence = 0.3 + (0.3 if strength == 2 else 0.2 if strength == 1 else 0.0) - (0.0 if in_clause else 0.15)
                confidence += 0.2 if exact else 0.05
                strongest = max((w for _, w, _ in (clause_hits or hits)), default=0.0)
                confidence += 0.15 if strongest >= 1.0 else 0.0
                confidence += 0.05 if strongest > 1.0 else 0.0  # a phrase of several words
                previous = Proposal(
                    party, demand.id, stance, value, None, sentence.text, sentence.start, sentence.end,
                    line, 0.0, speaker, said_by, qualifier, tuple(reasons), tuple(guesses),
                )
                out.append(self._proposal(previous, party, status, confidence, previous.reasons, red_line))
        # one proposal per (party, demand) per sentence: the most confident clause
        keep: dict[tuple[str, str], Proposal] = {}
        for p in out:
            if p.key not in keep or p.confidence > keep[p.key].confidence:
                keep[p.key] = p
        return list(keep.values())

    def _proposal(self, base: Proposal, party: str, status: str | None, confidence: float,
                  reasons: tuple[str, ...], red_line: bool = False) -> Proposal:
        """`base` for `party`, with the status its verb gives and the final confidence."""
        if red_line and status == "rejected":
            status = "red line"
        if status == "offer" and self.roles.get(party) != "party":
            status = "proposal"
        guesses = [g for g in base.guesses if g not in ("status", "according_to")]
        if status is not None:
            guesses.append("status")
        if base.according_to is not None:
            guesses.append("according_to")
            if base.according_to != party and party in self.side and base.according_to in self.side:
                reasons = reasons + (f"a claim: {base.according_to}'s account of {party}",)
        return Proposal(
            party, base.demand, base.stance, base.value, status, base.quote, base.start, base.end,
            base.line, round(min(confidence, 0.95), 2), base.speaker, base.according_to,
            base.qualifier, reasons, tuple(guesses),
        )

    def _stance(self, cues: _DemandCues, toks: list[Token], lo: int, hi: int, cue_at: int) -> tuple[str | None, bool]:
        """The stance on the scale that the clause (else the sentence) names best, and whether
        all its own words were found (True) or only some, or near words."""
        for a, b in ((lo, hi), (0, len(toks))):
            present: dict[str, int] = {}
            for i in range(a, b):
                present.setdefault(toks[i].stem, i)
            negated_at = [i for i in range(a, b) if toks[i].stem in _NEGATIONS or toks[i].text in _NEGATIONS]
            negated = any(cue_at - 4 <= i <= cue_at + 1 for i in negated_at)
            scored = []
            for name, key, near, negative in cues.stances:
                total = sum(key.values())
                hit = 0.0
                for s, w in key.items():
                    if s in present:
                        at = present[s]
                        # "will not discuss a partial pullback": a stance named to be refused
                        hit += -w if not negative and any(at - 3 <= i < at for i in negated_at) else w
                score = hit / total + min(sum(w for s, w in near.items() if s in present), 0.9)
                if negative and negated:
                    score += 0.6
                scored.append((score, hit == total, name))
            scored.sort(key=lambda x: -x[0])
            best = scored[0] if scored else None
            runner = scored[1][0] if len(scored) > 1 else 0.0
            if best is not None and best[0] >= 0.3 and (best[1] or best[0] - runner >= 0.15):
                return best[2], best[1]
        return None, False

    def _party(self, mentions: list[_Mention], lo: int, hi: int, cue_at: int, said_by: str | None) -> tuple[str | None, int, str | None, bool]:
        """Whose position the clause states: a party that is the subject of a position verb or
        owns a position noun, nearest before the cue (in the clause, then the sentence); else
        the one party named; else the speaker's own party."""
        def nearest(ms: list[_Mention]) -> _Mention | None:
            before = [m for m in ms if m.start <= cue_at]
            if before:
                return max(before, key=lambda m: (m.start, m.strength))
            return min(ms, key=lambda m: m.start) if ms else None

        in_clause = [m for m in mentions if lo <= m.start < hi]
        for pool, inside in ((in_clause, True), (mentions, False)):
            strong = [m for m in pool if m.strength > 0]
            pick = nearest(strong)
            if pick is not None:
                return pick.party, pick.strength, pick.status, inside
        named = {m.party for m in in_clause} or {m.party for m in mentions}
        sides = [p for p in named if p in self.side] or list(named)
        if len(sides) == 1:
            return sides[0], 0, None, True
        if sides:
            pick = nearest([m for m in (in_clause or mentions) if m.party in sides])
            if pick is not None:
                return pick.party, 0, None, True
        if said_by is not None:
            return said_by, 0, None, True
        return None, 0, None, False


def draft(catalog: Catalog, text: str) -> Draft:
    """Proposed positions for the article `text`, from the parties and demands of `catalog`."""
    return Drafter(catalog).draft(text)
