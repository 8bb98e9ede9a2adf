"""Candidate place mentions in plain text: capitalised phrases, gazetteer names, cues.

A mention is a span of the text that may name a place. Spans are found by rules
(capitalised phrases, "the village of X", "X district", "the villages of X and Y", "X and
Y counties", datelines, demonyms, "U.S.", "Okla.") and checked against a name test,
usually the gazetteer (``knows(name)``). Many capitalised words that the gazetteer knows
are not places here: people ("Scott Newsham", "Mat Jackson", bylines, and the surname
later), vehicles ("2008 Ford Focus"), streets ("Dublin Road"), organisations ("Sheriff's
Office", "Chamber of Commerce"), operations ("Euphrates Shield"), acronyms, and words
capitalised only where they start a sentence or a name. Nothing is resolved here.
"""

from __future__ import annotations

import re
import sys
from collections.abc import Callable
from dataclasses import dataclass, replace
from functools import lru_cache

from geo.extract.lexicon import (
    ABBREVIATIONS,
    CAR_MAKES,
    DEMONYMS,
    FEATURES,
    FEATURES_BEFORE,
    FEATURES_BEFORE_PLURAL,
    FEATURES_PLURAL,
    LOCATIVE,
    MONTH_ABBREVIATIONS,
    MONTHS,
    NAMED_AFTER_ORG_WORDS,
    OPERATION_WORDS,
    ORG_WORDS,
    PLACE_LEADS,
    QUALIFIERS,
    ROAD_NUMBER_WORDS,
    STATE_ABBREVIATIONS,
    STOP,
    STREET_WORDS,
    TITLES,
    WEEKDAYS,
    common_first_names,
    first_names,
    surnames,
)
from geo.extract.text import Sentence, sentence_at

# Words that may start a place name although STOP lists them alone ("New York", "West Bank").
_NAME_STARTERS = {
    "west", "east", "north", "south", "western", "eastern", "northern", "southern", "central", "new", "united",
    "great", "little", "big", "old", "saint", "st", "fort", "mount", "lake", "park", "high", "national",
    "republic", "kingdom", "state", "city", "county", "islamic", "arab", "upper", "lower", "greater",
}  # fmt: skip
_LEAD_STRIP = STOP - _NAME_STARTERS

_ARABIC_LEAD = r"(?:[Aa]l|[Ee]l|[Aa][drstnz]|[Aa]sh|[Bb]ani|[Bb]eit|[Dd]eir|[Tt]el|[Aa]bu)"
# possessive: a word's letters and hyphenated parts are never given back (the regex engine would keep
# a way back for each part of A-A-A-… a million times over)
_CAPWORD = rf"(?:[A-Z]\.(?=[ ][A-Z])|(?:{_ARABIC_LEAD}[-‐](?=[A-Z]))?(?:(?:[A-Z]\.){{2,}}|(?:St|Mt|Ft)\.|[A-Z][\w’']*+(?:-[\w’']++)*))"
_CONNECT = r"(?:(?:of|de|del|da|do|dos|la|le|les|du|on|upon|the|al|el|di|von|van|y|sur|en)[ ])"
# No place name runs to 32 capitalised words ("Chairman of the Foreign Relations Committee of the
# People's Assembly" is 8): a longer run is read as several phrases, so the work per phrase is bounded.
_MAX_PHRASE_WORDS = 32
_PHRASE = re.compile(rf"(?<![\w’'-]){_CAPWORD}(?:[ ]{_CONNECT}{{0,3}}{_CAPWORD}){{0,{_MAX_PHRASE_WORDS - 1}}}")
_OPENING = re.compile(r"[ \"'“‘(]*+")
"""What may come before a sentence's first word."""
_WORD_BEFORE = re.compile(r"([A-Za-z]+)\W*$")
_TWO_BEFORE = re.compile(r"([A-Za-z]+)\s+([A-Za-z]+)\s+$")
_WORD_AFTER = re.compile(r"^\s*([a-z]+)")
_AGE_AFTER = re.compile(r"^,\s*\d{1,3},")
_NAME_AFTER = re.compile(r"^\.?[ ]+[A-Z]")
_HOLIDAY_AFTER = re.compile(r"^['’]s[ ]+Day\b")
_PLURAL_LIST_AFTER = re.compile(
    r"(?:(?:[ ]*+,[ ]*+|,?[ ]++(?:and|or)[ ]++)[A-Z][\w'’-]*+(?:[ ][A-Z][\w'’-]*+){0,2}){0,8}[ ]++("
    + "|".join(FEATURES_PLURAL) + r")\b"
)
"""The rest of a list of names that ends in a feature word in the plural: " and Jackson counties"."""
_IN_LIST = re.compile(r"(?:,|\band|\bor)[ ]+$")
_POSSESSIVE_BEFORE = re.compile(r"['’]s[ ]+$")
_SAID_AFTER = re.compile(r"^\s*(?:said|says|told|added|explained|wrote|asked|noted|testified|according)\b")
_ABBREVIATION = re.compile(
    r"(?<![\w.])(?:" + "|".join(re.escape(a) for a in sorted(ABBREVIATIONS, key=len, reverse=True)) + r")(?![\w])"
    r"|(?<=[A-Za-z], )(?:" + "|".join(re.escape(a) for a in sorted(STATE_ABBREVIATIONS, key=len, reverse=True)) + ")"
)
_COMPOUND = re.compile(rf"(?!{_ARABIC_LEAD}-)[A-Z][\w’']*(?:-[A-Z][\w’']*)+")
_PART = re.compile(r"[^-]+")
_COUNTRIES = set(DEMONYMS.values())
_LOWER_WORD = re.compile(r"\b[a-z]+\b")
_DIGIT_AFTER = re.compile(r"^\s*(?:No\.\s*)?\d")
_DATELINE_BODY = (
    r"(?P<name>[A-Z][A-Z'’-]++\.?(?:[ ][A-Z][A-Z'’-]*+\.?){0,3})"
    r"(?:,[ ]*+[A-Z][\w.]*+(?:[ ][A-Z][\w.]*+)?)?[ ]*+(?:\([A-Za-z]++\)[ ]*+)?(?:—|–|--|-)[ ]"
)
_DATELINE = re.compile(r"^[ \t]*+" + _DATELINE_BODY, re.MULTILINE)
_OPENING_DATELINE = re.compile(r"(?:(?<=[.!?\"”’] )|(?<=\n)|\A)[ \t]*+" + _DATELINE_BODY)
"""A dateline: a place in capitals, maybe its state and the agency, then a dash ("BEIRUT —", "PLYMOUTH CO. —",
"MOSCOW (AP) —", "CHARLESTON, W.Va. (AP) --"), opening a line, or a sentence of the opening when the title
runs into the text ("Council meets. HUME – ...")."""
_OPENING_CHARS = 600
_DATELINE_ABBREVIATIONS = {"co.": "County", "twp.": "Township", "par.": "Parish", "st.": "St.", "mt.": "Mount",
                           "ft.": "Fort"}  # fmt: skip
_SLUGS = {"update", "updated", "breaking", "exclusive", "analysis", "opinion", "editorial", "correction", "watch",
          "live", "video", "photos", "urgent", "flash", "bulletin", "advisory", "note", "review", "comment"}  # fmt: skip
"""Words a newsroom writes where a dateline goes ("UPDATE —", "EXCLUSIVE —")."""
_BYLINE_AFTER = re.compile(r"[ ]+(?:in|from)[ ]+[A-Z][\w.’'-]*+(?:[ ,]+[A-Z][\w.’'-]*+){0,3}[ ]+(?:contributed|reported|wrote)")
"""After a reporter's name: "Ayse Wieting in Istanbul contributed"."""
_BYLINE_LINE = re.compile(r"[ ]+(?:in|from)[ ]+[A-Z][\w.’'-]*+(?:[ ,]+[A-Z][\w.’'-]*+){0,3}[ \t]*+(?:\n|$)")
"""The rest of a byline's line: "in Moscow"."""
_YEAR_BEFORE = re.compile(r"\b(?:19|20)\d\d[ ]+$")
_LIST_BEFORE = re.compile(
    r"\b(?P<feature>[a-z]++)[ ]+of[ ]+(?:[A-Z][\w'’-]*+(?:[ ]+[A-Z][\w'’-]*+)*(?:[ ]*+,[ ]*+|,?[ ]+(?:and|or)[ ]+))*$"
)
"""The start of a list of places of one sort: "the villages of Foua and " before "Kfraya"."""
_CONNECTORS = {"of", "de", "del", "da", "do", "dos", "la", "le", "les", "du", "on", "upon", "the", "al", "el", "di",
               "von", "van", "y", "sur", "en"}  # fmt: skip


@dataclass(frozen=True, slots=True)
class Candidate:
    start: int
    end: int
    text: str
    """The span as written (possessive 's and -led/-based tails cut off)."""
    names: tuple[str, ...]
    """Names to look up, best first (e.g. "Al-Tanaf garrison", then "Al-Tanaf")."""
    sentence: int
    kind: str | None = None
    """Kind given by a feature word ("X district"), if any."""
    cue: str = ""
    """"feature", "dateline", "locative" or "" : how strongly the context says it is a place."""
    demonym: str | None = None
    """For a demonym ("Syrian"), the country it names."""
    known: bool = False
    """The name test accepted it."""
    article: bool = False
    """Written after "the" or "a" ("the Arona"): a thing's name as often as a place's."""
    inside: bool = False
    """Found inside an organisation's name ("Aleppo Media Center"): a place only if the article also names it alone."""

    def __post_init__(self) -> None:
        # one string for every mention written alike: an article may name one place a million times
        object.__setattr__(self, "text", sys.intern(self.text))
        object.__setattr__(self, "names", _interned_names(self.names))


@lru_cache(maxsize=1 << 12)
def _interned_names(names: tuple[str, ...]) -> tuple[str, ...]:
    return tuple(map(sys.intern, names))


@dataclass(slots=True)
class _Tok:
    text: str
    start: int
    end: int


def find(
    text: str,
    sents: list[Sentence],
    knows: Callable[[str], bool],
    major: Callable[[str], bool],
    spelled: Callable[[str], bool] | None = None,
) -> list[Candidate]:
    """All candidate mentions in ``text``, in order, not overlapping.

    ``knows`` says whether a name is in the gazetteer, ``major`` whether it names a city
    or larger, enough for a name found inside a longer phrase ("Rodeo Gainesville"), ``spelled``
    whether a place bears the name itself, not only as another name ("Mat" is one of Matadi's).

    People the article names ("Chiquita Raquel Henry", "Mr. Sanford") are collected on the
    way, so that their surnames alone later ("Henry's arrest") are not taken for places.
    """
    kept: list[Candidate] = []
    people: set[str] = set()
    lower = {m.group() for m in _LOWER_WORD.finditer(text)}
    spelled = spelled or knows

    def not_given(word: str) -> bool:
        """No given name here: a place's own name ("Dublin Singers") or a word ("Historic Dublin")."""
        return word.casefold() in lower or spelled(word)

    datelines = _datelines(text, sents, knows)
    for sent in sents:
        base = sent.start
        opening = base + _OPENING.match(sent.text).end()
        found = [*datelines.get(sent.index, ()), *_abbreviations(sent)]
        for m in _PHRASE.finditer(sent.text):
            for toks in _split(text, m.group(), base + m.start()):
                found.extend(_candidates(text, sent, opening, toks, knows, major, people, not_given))
        # candidates lie in their sentence: sorting each sentence's sorts them all
        found.sort(key=lambda c: (c.start, -c.end))
        for c in found:
            if kept and c.start < kept[-1].end:
                continue
            kept.append(c)
    cued = {c.text.casefold() for c in kept if not c.demonym and (c.cue in _SURE_CUES or _placed_by(text, c))}
    alone = {c.text.casefold() for c in kept if not c.inside}
    return [
        c for i, c in enumerate(kept)
        if not (c.inside and c.text.casefold() not in alone)
        and not _not_a_place(c, people, lower, major, cued, _listed_with_places(text, kept, i))
    ]  # fmt: skip


def _datelines(text: str, sents: list[Sentence], knows: Callable[[str], bool]) -> dict[int, list[Candidate]]:
    """The place of each dateline, by sentence, named as the article would write it ("PLYMOUTH CO." is
    Plymouth County): one place with the article's other mentions of it, not a second entry."""
    out: dict[int, list[Candidate]] = {}
    seen: set[int] = set()
    for m in (*_OPENING_DATELINE.finditer(text, 0, _OPENING_CHARS), *_DATELINE.finditer(text)):
        if m.start("name") in seen:
            continue
        seen.add(m.start("name"))
        written = m.group("name")
        words = [_DATELINE_ABBREVIATIONS.get(w.casefold()) or w.capitalize() for w in written.split()]
        name = " ".join(words)
        if name.casefold() in STOP or name.casefold() in _SLUGS or (len(words) == 1 and len(name) <= 2):
            continue
        known = knows(name)
        if not known and len(words) > 2:  # "FLOODS HIT KENT - LIVE": a headline in capitals
            continue
        start = m.start("name")
        sent = sentence_at(sents, start)
        out.setdefault(sent.index, []).append(
            Candidate(start, start + len(written), written, (name,), sent.index, cue="dateline", known=known)
        )
    return out


_SURE_CUES = {"feature", "dateline"}
_PLACING = {"in", "near", "outside", "inside", "around", "across", "throughout", "within", "into"}
"""Words before a name that say it is a place more surely than "to" or "from" ("votes to Turner")."""


def _placed_by(text: str, c: Candidate) -> bool:
    if c.cue != "locative":
        return False
    before = _WORD_BEFORE.search(text, max(0, c.start - 20), c.start)
    return before is not None and before.group(1).casefold() in _PLACING


_LIST_SEPARATOR = re.compile(r"(?:\s*,)?\s+(?:and|or)\s+|\s*,\s*")


def _listed_with_places(text: str, kept: list[Candidate], i: int) -> bool:
    """Whether ``kept[i]`` stands in a list beside a name that is a place, not a given name ("Cornwall and
    Kent", "Sharon, Cornwall and Salisbury"): a list holds things of one sort."""
    for j in (i - 1, i + 1):
        if not 0 <= j < len(kept):
            continue
        a, b = (kept[j], kept[i]) if j < i else (kept[i], kept[j])
        other = kept[j]
        if (_LIST_SEPARATOR.fullmatch(text, a.end, b.start) and other.known and not other.demonym
                and other.text.casefold() not in common_first_names()):  # fmt: skip
            return True
    return False


def _not_a_place(c: Candidate, people: set[str], lower: set[str], major: Callable[[str], bool], cued: set[str],
                 listed: bool) -> bool:  # fmt: skip
    """A lone word that names someone or something else, unless a cue says it is a place.

    A person the article names ("Henry's arrest"; a feature word as in "Henry County" still
    wins), a word the article also writes in lower case ("Man booked ...", "the man"), or a
    common given name that is at most a town's name ("Kristina and Tim Jones"). A name the
    article says is a place ("based in Dublin", "the farm is in Kent") is one at each of its
    mentions, and a given name listed with places is one too ("Cornwall and Kent").
    """
    if c.demonym or " " in c.text or c.cue == "feature":
        return False
    word = c.text.casefold()
    if word in people and word not in cued:
        return True
    if c.cue:
        return False
    if c.text[1:].islower() and word in lower:
        return True
    return word in common_first_names() and not major(c.text) and word not in cued and not listed


def _abbreviations(sent: Sentence) -> list[Candidate]:
    """"U.S.", "UK", and US states as abbreviated after a town ("Caddo, Okla.")."""
    out = []
    for m in _ABBREVIATION.finditer(sent.text):
        name = ABBREVIATIONS.get(m.group()) or STATE_ABBREVIATIONS[m.group()]
        start = sent.start + m.start()
        out.append(Candidate(start, start + len(m.group()), m.group(), (name,), sent.index, known=True))
    return out


def _split(text: str, phrase: str, offset: int) -> list[list[_Tok]]:
    """Tokens of a capitalised phrase, cut into runs at possessives, -led tails, months."""
    runs: list[list[_Tok]] = [[]]
    pos = 0
    for word in phrase.split(" "):
        start = offset + pos
        pos += len(word) + 1
        if not word:
            continue
        end_run = False
        if word.endswith(("'s", "’s")):
            word, end_run = word[:-2], True
        elif word.endswith(("'", "’")):
            word, end_run = word[:-1], True
        tail = re.search(r"-(?=[a-z])", word)
        if tail and word[: tail.start()].casefold() not in _CONNECTORS and not re.match(r"^[A-Za-z]{1,3}-[a-z]+-", word):
            word = word[: tail.start()]
            end_run = True
        if not word:
            runs.append([])
            continue
        low = word.casefold().rstrip(".")
        if low in WEEKDAYS or low in MONTHS or (low in MONTH_ABBREVIATIONS and _day_after(text, start + len(word))):
            runs.append([])
            continue
        runs[-1].append(_Tok(word, start, start + len(word)))
        if end_run:
            runs.append([])
    # connector words cannot end or start a run
    cleaned = []
    for run in runs:
        while run and run[-1].text.casefold() in _CONNECTORS:
            run.pop()
        while run and run[0].text.casefold() in _CONNECTORS:
            run.pop(0)
        if run:
            cleaned.append(run)
    return cleaned


def _day_after(text: str, end: int) -> bool:
    """"Dec. 20", "Jan 13": an abbreviated month before a day, not a name."""
    return bool(re.match(r"\.?\s*\d", text[end : end + 4]))


def _join(toks: list[_Tok]) -> str:
    return " ".join(t.text for t in toks)


def _names_of(toks: list[_Tok]) -> set[str]:
    """The words of a person's name that may stand alone for them later: the surnames ("Henry" of "Chiquita
    Raquel Henry"), or the one word of a one-word name; not the given name, not initials."""
    return {t.text.casefold() for t in toks[1:] if len(t.text.rstrip(".")) > 1} or {toks[0].text.casefold()}


def _is_person(toks: list[_Tok], knows: Callable[[str], bool]) -> bool:
    """A given name followed by names ("Scott Newsham", "Matthew D. Flores"), and no place the gazetteer has whole.

    Names are written in title case ("London PRIDE" is no person), and a word like
    "County", "Police" or "Road" in the phrase makes it a place or an organisation.
    """
    if len(toks) < 2 or any(t.text.casefold() in _CONNECTORS for t in toks):
        return False
    first = toks[0].text.casefold()
    if first not in first_names() or first in PLACE_LEADS or first in _NAME_STARTERS or first in DEMONYMS:
        return False
    for t in toks[1:]:
        low = t.text.casefold().rstrip(".")
        if not (any(c.islower() for c in t.text) or len(low) == 1) or _generic(low):
            return False
    return not knows(_join(toks))


_SURNAME_ENDINGS = ("ov", "ova", "ev", "eva", "enko", "sky", "ski", "skiy", "vich", "wicz", "escu", "oglu", "ishvili",
                    "dze", "yan", "sson", "poulos")  # fmt: skip
"""Endings of surnames from eastern Europe, the Caucasus, Turkey, Scandinavia, Greece ("Isachenkov")."""


_WORD_ENDINGS = ("ic", "ous", "ive", "ing", "ed", "ly", "ful", "less", "est", "ish", "able", "ible", "ary", "ory",
                 "ment", "ness", "tion", "ern", "ward")  # fmt: skip
"""Endings of English adjectives, adverbs and nouns, rare in given names the lists lack."""


def _surname_like(word: str) -> bool:
    low = word.casefold()
    return low in surnames() or (len(low) > 5 and low.endswith(_SURNAME_ENDINGS))


def _is_named_person(toks: list[_Tok], knows: Callable[[str], bool], not_given: Callable[[str], bool]) -> bool:
    """Two or three title-case words ending in a surname, not a place as a whole ("Mat Jackson"): a given name
    the lists lack, then a surname. ``not_given`` says which first words are no given name ("Dublin
    Singers", "Historic Dublin"); a foreign ending ("Vladimir Isachenkov") is a surname whatever comes first."""
    if not 2 <= len(toks) <= 3 or any(t.text.casefold() in _CONNECTORS for t in toks):
        return False
    if not toks[-1].text.casefold().endswith(_SURNAME_ENDINGS) and not_given(toks[0].text):
        return False
    first_low = toks[0].text.casefold()
    if first_low.endswith(_WORD_ENDINGS) and first_low not in first_names():  # "Historic Dublin", "Distinctly Dublin"
        return False
    first = toks[0].text.casefold().rstrip(".")
    if first in PLACE_LEADS or first in _NAME_STARTERS or first in DEMONYMS or first in QUALIFIERS or first in STOP:
        return False
    if toks[0].text in _COUNTRIES or not all(t.text[:1].isupper() and t.text[1:].islower() for t in toks if len(t.text) > 2):
        return False
    if any(_generic(t.text.casefold().rstrip(".")) for t in toks):
        return False
    return _surname_like(toks[-1].text) and not knows(_join(toks))


def _byline(text: str, toks: list[_Tok], head: list[_Tok], prev_word: str) -> bool:
    """A reporter's name: "By Vladimir Isachenkov" opening a line, "Ayse Wieting in Istanbul contributed", or
    a line of its own under the title, "Ayse Wieting in Istanbul"."""
    if not 2 <= len(head) <= 4 or any(_generic(t.text.casefold().rstrip(".")) for t in head):
        return False
    line_start = text.rfind("\n", 0, head[0].start) + 1
    if prev_word == "by" and text[line_start : head[0].start].strip().casefold() == "by":
        return True
    if head is not toks:
        return False
    if _BYLINE_AFTER.match(text, head[-1].end, head[-1].end + 120):
        return True
    return (
        not text[line_start : head[0].start].strip() and bool(_BYLINE_LINE.match(text, head[-1].end, head[-1].end + 120))
        and 1 <= sum(1 for line in text[:line_start].splitlines() if line.strip()) <= 3
    )  # fmt: skip


def _vehicle_make(toks: list[_Tok], before: str, article: bool, whole_known: bool) -> str:
    """The car make of a vehicle or a team's car, else "": a make before a model ("Toyota Avensis", "White
    Oldsmobile Bravada"), after a year ("2008 Ford Focus"), or ending a name after "the" ("the Motorbase Ford")."""
    if whole_known and len(toks) > 1:
        return ""
    for i, t in enumerate(toks):
        low = t.text.casefold()
        if low not in CAR_MAKES:
            continue
        model = toks[i + 1].text.casefold().rstrip(".") if i + 1 < len(toks) else ""
        if model and model not in STOP and not _generic(model) and model not in QUALIFIERS:
            return low
        if i == 0 and _YEAR_BEFORE.search(before):
            return low
        if i == len(toks) - 1 and i > 0 and article:
            return low
    return ""


def _generic(word: str) -> bool:
    """A word that makes a phrase a place, an organisation or a road, plural or not."""
    forms = {word, word.rstrip("s")}
    return any(w in ORG_WORDS or w in FEATURES or w in STREET_WORDS or w in QUALIFIERS for w in forms)


def _around_of(toks: list[_Tok]) -> tuple[list[_Tok], list[_Tok]]:
    """The words before and after the first "of" ("Larry Dunaway", "Berea"); all and none without one."""
    for i, t in enumerate(toks):
        if t.text == "of":
            return toks[:i], toks[i + 1 :]
    return toks, []


def _street(toks: list[_Tok], after: str) -> bool:
    """A street or a numbered road: "Dublin Road", "Orchard St.", "Route 66", "County Road 109"."""
    last = toks[-1].text.casefold().rstrip(".")
    if len(toks) > 1 and last in STREET_WORDS:
        return True
    return last in ROAD_NUMBER_WORDS and bool(_DIGIT_AFTER.match(after))


def _acronym(word: str) -> bool:
    """A short all-capitals word ("IRS", "NGO"): an organisation unless a known abbreviation of a place."""
    return 2 <= len(word) <= 4 and word.isupper() and word.isalpha() and word not in ABBREVIATIONS


def _strip_leads(toks: list[_Tok]) -> tuple[list[_Tok], bool, bool]:
    """The phrase without sentence starters and titles in front ("The", "Sen."), and whether a title
    or an article was among them: "Sen. Deeds" is a person, "the Alexandria Blizzard" is not, and
    "Mayor of London", "Governor of Krasnodar" name the office's place."""
    person = article = False
    while toks and toks[0].text.casefold().rstrip(".") in _LEAD_STRIP:
        lead = toks[0].text.casefold().rstrip(".")
        person = (person or lead in TITLES) and lead != "of"
        article = article or lead in {"the", "a", "an"}
        toks = toks[1:]
    return toks, person, article


def _hometown(found: list[Candidate]) -> list[Candidate]:
    """The place after a person's name and "of" ("Norb Mages of Lindsay"): the news names people by their town."""
    return [c if c.cue or c.demonym else replace(c, cue="locative") for c in found]


def _compound(word: str) -> bool:
    """Capitalised words joined by hyphens, no more than a phrase holds (A-A-A-… a million times is none)."""
    return word.count("-") < _MAX_PHRASE_WORDS and bool(_COMPOUND.fullmatch(word))


def _parts(tok: _Tok) -> list[_Tok]:
    """The parts of a hyphenated word, with their offsets."""
    return [_Tok(m.group(), tok.start + m.start(), tok.start + m.end()) for m in _PART.finditer(tok.text)]


def _candidates(
    text: str,
    sent: Sentence,
    opening: int,
    toks: list[_Tok],
    knows: Callable[[str], bool],
    major: Callable[[str], bool],
    people: set[str],
    not_given: Callable[[str], bool],
) -> list[Candidate]:
    """The candidates of one run of capitalised words; ``opening`` is where the sentence's first word starts."""
    out: list[Candidate] = []
    sentence_initial = toks[0].start <= opening
    stripped, person, article = _strip_leads(toks)
    sentence_initial = sentence_initial and stripped is toks
    toks = stripped
    if not toks:
        return out
    before = text[max(0, toks[0].start - 40) : toks[0].start]
    after = text[toks[-1].end : toks[-1].end + 40]
    prev = _WORD_BEFORE.search(before)
    prev_word = prev.group(1).casefold() if prev and before[prev.end(1) :].strip() == "" else ""
    whole_known = knows(_join(toks))
    if len(toks) > 1 and toks[-1].text.casefold() in TITLES and _NAME_AFTER.match(after):
        # "Butler County Coroner Dr. Richard Burkhardt": the title goes with the name after it, not "Coroner Dr."
        toks = toks[:-1]
        after = text[toks[-1].end : toks[-1].end + 40]
        whole_known = knows(_join(toks))
    titled = next((i for i, t in enumerate(toks[:-1]) if i and t.text.casefold().rstrip(".") in TITLES), None)
    if titled is not None:
        # "Anderson County Sheriff Greg Taylor": a place, maybe, then a person
        people.update(_names_of(toks[titled + 1 :]))
        toks = toks[:titled]
        after = text[toks[-1].end : toks[-1].end + 40]
        whole_known = knows(_join(toks))
    head, place = _around_of(toks)
    article = article or prev_word in {"the", "a", "an"}
    if not whole_known and _byline(text, toks, head, prev_word):
        people.update(_names_of(head))
        return _hometown(_candidates(text, sent, opening, place, knows, major, people, not_given)) if place else out
    make = _vehicle_make(toks, before, article, whole_known)
    if make:
        people.add(make)  # "the Motorbase Ford", then "the Ford": a car, not Ford, Shropshire
        return out
    if len(toks) > 1 and (toks[0].text.casefold() == "operation" or toks[-1].text.casefold() in OPERATION_WORDS):
        return out  # "Operation Wrath of the Euphrates", "Euphrates Shield": a name, not the river
    if prev_word in TITLES or person or (not whole_known and not article and _is_person(head, knows)):
        # "Sen. R. Creigh Deeds of Bath County", "Larry Dunaway of Berea": a person, then maybe a place
        people.update(_names_of(head))
        return _hometown(_candidates(text, sent, opening, place, knows, major, people, not_given)) if place else out
    if not whole_known and not article and _is_named_person(head, knows, not_given):
        people.update(_names_of(head))  # "Mat Jackson", then "Jackson led"
        return _hometown(_candidates(text, sent, opening, place, knows, major, people, not_given)) if place else out
    if _HOLIDAY_AFTER.match(after) or (_join(toks) == "Day" and _POSSESSIVE_BEFORE.search(before)):
        return out  # "St. Patrick's Day", "St. George's Day": a day, not a place (nor Dayton)
    if _AGE_AFTER.match(after):
        people.update(_names_of(toks))
        return out

    joined = _join(toks)
    if len(toks) > 1 and joined.casefold().rstrip("s") in DEMONYMS:  # "Sri Lankan(s)"
        country = DEMONYMS[joined.casefold().rstrip("s")]
        return [Candidate(toks[0].start, toks[-1].end, joined, (country,), sent.index, demonym=country, known=True)]
    # demonyms: "Syrian", "Iraqi" (possibly leading an organisation's name)
    first = toks[0].text.casefold()
    if first in DEMONYMS or first.rstrip("s") in DEMONYMS:
        country = DEMONYMS.get(first) or DEMONYMS[first.rstrip("s")]
        next_word = _WORD_AFTER.match(after) if len(toks) == 1 else None
        kind = None
        if next_word and next_word.group(1) in {"border", "borders"}:
            kind = "border"
        out.append(Candidate(toks[0].start, toks[0].end, toks[0].text, (country,), sent.index, kind=kind,
                             cue="feature" if kind else "", demonym=country, known=True))  # fmt: skip
        rest = toks[1:]
        if not rest or rest[-1].text.casefold() in ORG_WORDS or len(rest) > 1:
            return out
        toks = rest
        whole_known = knows(_join(toks))

    if len(toks) > 1 and not whole_known and toks[0].text in ABBREVIATIONS:  # "U.S. Census": "U.S." is found alone
        return out
    if len(toks) == 1 and not whole_known and _compound(toks[0].text):
        # "Egypt-US relations", "D-Charleston", "Watertown-ML": each part on its own; not "News-Leader"
        if any(part.casefold() in ORG_WORDS for part in toks[0].text.split("-")):
            return out
        return [c for part in _parts(toks[0]) for c in _candidates(text, sent, opening, [part], knows, major, people, not_given)]
    if len(toks) > 1 and not whole_known and _compound(toks[0].text) and not knows(toks[0].text):
        # "Paris-Henry County Arts Council", "Springfield-Greene County": Paris, then Henry County ...
        parts = _parts(toks[0])
        if any(part.text.casefold() in ORG_WORDS for part in parts):
            return out
        for part in parts[:-1]:
            out.extend(_candidates(text, sent, opening, [part], knows, major, people, not_given))
        return out + _candidates(text, sent, opening, [parts[-1], *toks[1:]], knows, major, people, not_given)
    said = bool(_SAID_AFTER.match(after))
    thing = any(_generic(t.text.casefold()) for t in toks[1:])
    if toks[0].text.casefold() in {"abu", "bin", "ibn", "umm", "bint"}:
        return out
    if said and not whole_known and not thing:  # "Goodwin said"; "the Paris Police Department said" is no person
        people.update(_names_of(toks))
        return out
    name = _join(toks)
    low = name.casefold()
    org = any(t.text.casefold() in ORG_WORDS for t in toks[1:])
    # cues around the span
    nxt = _WORD_AFTER.match(after)
    feature = nxt.group(1) if nxt and nxt.group(1) in FEATURES else None
    two = _TWO_BEFORE.search(before)
    feature_before = None
    if two and two.group(2).casefold() == "of" and two.group(1).casefold() in FEATURES_BEFORE:
        feature_before = two.group(1).casefold()
    else:
        listed = _LIST_BEFORE.search(text, max(0, toks[0].start - 200), toks[0].start)
        if listed and listed.group("feature") in FEATURES_BEFORE_PLURAL:
            feature_before = FEATURES_BEFORE_PLURAL[listed.group("feature")]
    locative = prev_word in LOCATIVE and prev_word != "of"

    last = toks[-1].text.casefold()
    if len(toks) > 1 and not whole_known and last in FEATURES and last != "state" and not org:
        # "Guma LGA", "Idlib Province": the feature word written as part of the name ("Attacks on" is not)
        core = toks[max((i + 1 for i, t in enumerate(toks) if t.text.casefold() in _CONNECTORS), default=0) :]
        full, rest = _join(core), _join(core[:-1])
        if len(core) > 1 and knows(rest):
            out.append(Candidate(core[0].start, core[-1].end, full, (full, rest), sent.index, kind=FEATURES[last],
                                 cue="feature", known=True))  # fmt: skip
            return out
    listed = None if feature or org else _PLURAL_LIST_AFTER.match(text, toks[-1].end, toks[-1].end + 200)
    if listed and (not (nxt and nxt.group(1) == listed.group(1)) or _IN_LIST.search(before)):
        # "Barrow and Jackson counties", "the Williams and Cranberry rivers": Barrow County, ...; but
        # "Northeast Georgia counties" are counties of Georgia
        singular = FEATURES_PLURAL[listed.group(1)]
        full = f"{name} {singular.capitalize()}"
        out.append(Candidate(toks[0].start, toks[-1].end, name, (full, name), sent.index, kind=FEATURES[singular],
                             cue="feature", known=whole_known or knows(full)))  # fmt: skip
        return out
    if feature and not org:
        end = toks[-1].end + nxt.end(1)
        out.append(Candidate(toks[0].start, end, text[toks[0].start : end], (text[toks[0].start : end], name),
                             sent.index, kind=FEATURES[feature], cue="feature", known=whole_known))  # fmt: skip
        return out
    if _street(toks, after):
        return out
    if len(toks) == 1 and _acronym(name) and not (feature_before or locative):
        return out
    placed = org and prev_word in _PLACING  # "closed in East Bank": a place, whatever its last word
    if (not org or placed or major(name)) and whole_known and (len(toks) > 1 or low not in STOP):  # "the West Bank"
        if len(toks) == 1 and not locative and said and not major(name):
            # "Robertson said": a person; a country or a city may speak for its government ("Tbilisi says")
            people.add(low)
            return out
        cue = "feature" if feature_before else "locative" if locative else ""
        kind = {"capital": "capital", "port": "city"}.get(feature_before or "", feature_before and _kind_of(feature_before))
        out.append(Candidate(toks[0].start, toks[-1].end, name, (name,), sent.index, kind=kind, cue=cue, known=True,
                             article=article and len(toks) == 1))  # fmt: skip
        return out
    if feature_before and not org:
        out.append(Candidate(toks[0].start, toks[-1].end, name, (name,), sent.index,
                             kind=_kind_of(feature_before), cue="feature", known=False))  # fmt: skip
        return out
    named_after = any(t.text.casefold().rstrip(".") in NAMED_AFTER_ORG_WORDS for t in toks[1:])
    found_sub = _sub_spans(toks, sent, knows, major, out, inside=named_after)
    if found_sub or org or sentence_initial:
        return out
    if locative and len(toks) <= 3 and low not in STOP and not said:
        out.append(Candidate(toks[0].start, toks[-1].end, name, (name,), sent.index, cue="locative", known=False))
    return out


_OF_ORGS = ORG_WORDS | {"chamber", "secretary", "minister", "bureau", "division", "institute", "act"}
"""Words before an "of" that name an office, not a place ("Chamber of Commerce", "Department of Justice")."""


def _sub_spans(
    toks: list[_Tok],
    sent: Sentence,
    knows: Callable[[str], bool],
    major: Callable[[str], bool],
    out: list[Candidate],
    inside: bool = False,
) -> bool:
    """Known names inside a longer phrase, longest first ("Rapides Parish Fire District").

    A place leads the phrase or follows "of (the)" or a qualifier ("Northeast Georgia"); further
    in, only a city or larger counts ("Rodeo Gainesville"): a known village name inside a
    name ("Olive Garden", "Gulf War") is no place. After an organisation's "of" too ("Chamber of
    Commerce", not "University of Alabama").
    """
    found = False
    i = 0
    while i < len(toks):
        before = [t.text for t in toks[max(0, i - 2) : i]]
        after_of = before[-1:] == ["of"] or before == ["of", "the"]
        org_of = after_of and i >= 2 and toks[i - 2 if before[-1:] == ["of"] else i - 3].text.casefold() in _OF_ORGS
        lead = i == 0 or (after_of and not org_of) or before[-1].casefold() in QUALIFIERS
        for length in range(min(len(toks) - i, 5), 0, -1):
            if length == len(toks):
                continue
            part = toks[i : i + length]
            pname = _join(part)
            low = pname.casefold()
            if low in STOP or part[-1].text.casefold() in ORG_WORDS or part[0].text.casefold() in _CONNECTORS:
                continue
            if all(t.text.casefold() in QUALIFIERS for t in part) or (length == 1 and _acronym(pname)):
                continue
            if knows(pname) and (lead or major(pname)):
                out.append(Candidate(part[0].start, part[-1].end, pname, (pname,), sent.index, known=True, inside=inside))
                found = True
                i += length - 1
                break
        i += 1
    return found


def _kind_of(word: str) -> str:
    return FEATURES.get(word, "other") if word not in {"capital", "port"} else ("capital" if word == "capital" else "city")
