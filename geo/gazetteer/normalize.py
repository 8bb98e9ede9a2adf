"""Spelling keys: the same place written by different transliterators gets the same key.

Arabic, Kurdish or Russian names reach English text through several romanisation
habits (Raqqa, Raqa, Ar-Raqqah, Rakka; Al-Tanaf, At Tanf; Ain Issa, ʿAyn ʿĪsá). Rather
than compare every name with every other at run time, each name is reduced at index
build time to three deterministic keys of increasing looseness, and a lookup is three
exact-key searches:

- ``folded``: case, accents, apostrophes/ʿayn marks and punctuation gone;
- ``variant``: also the Arabic article dropped, consonant variants merged (q/k, ph/f…),
  doubled letters single, ``-ah`` endings as ``-a``, and each run of vowels one ``a``;
- ``skeleton``: consonants only (a word-initial vowel kept as ``a``), so inserted or
  dropped vowels (Tanaf/Tanf, Mawsil/Mosul) still meet.

A looser key finds more and is trusted less: the matcher scores each level lower.
"""

from __future__ import annotations

import re
import unicodedata

# Letters NFKD does not decompose, and the marks romanisations use for ʿayn and hamza.
_LETTERS = str.maketrans(
    {
        "ı": "i", "ł": "l", "ø": "o", "đ": "d", "ð": "d", "þ": "th", "ß": "ss", "æ": "ae",
        "œ": "oe", "ħ": "h", "ŧ": "t", "ə": "e", "ɨ": "i",
        "ʿ": "", "ʾ": "", "ʼ": "", "ʻ": "", "‘": "", "’": "", "'": "", "`": "", "´": "", "ˈ": "",
    }
)
_NON_ALNUM = re.compile(r"[^0-9a-z\u00c0-\uffff]+")
# The Arabic definite article with its sun-letter assimilations, and el-/ul- spellings.
ARTICLES = frozenset({"al", "el", "ar", "as", "ash", "at", "ad", "adh", "an", "az", "ath", "ul", "es", "et", "er", "ez", "ed", "en"})
_VARIANTS = [
    (re.compile(r"ph"), "f"),
    (re.compile(r"ck|q|c(?=[aouklrt]|$)"), "k"),
    (re.compile(r"dj"), "j"),
    (re.compile(r"ou"), "u"),
    (re.compile(r"(?<=[aeiou])[wy](?![aeiou])"), ""),  # diphthongs: Mawsil ~ Mosul, Ayn ~ Ain
    (re.compile(r"(?<=\w)[ae]h$"), "a"),  # -ah / -eh endings: Raqqah ~ Raqqa
]
_DOUBLES = re.compile(r"(.)\1+")
_VOWEL_RUNS = re.compile(r"[aeiouy]+")
_INNER_VOWELS = re.compile(r"(?<=.)[aeiouy]+")


def folded(name: str) -> str:
    """Lower case, no accents, ʿayn/hamza marks and apostrophes gone, words split on punctuation."""
    text = unicodedata.normalize("NFKD", name.casefold())
    text = "".join(c for c in text if not unicodedata.combining(c)).translate(_LETTERS)
    return " ".join(_NON_ALNUM.split(text)).strip()


def _words(name: str) -> list[str]:
    """Folded words without the Arabic article (kept when it is the whole name)."""
    words = folded(name).split()
    kept = [w for w in words[:-1] if w not in ARTICLES] + words[-1:]
    return kept or words


def _variant_word(word: str) -> str:
    for pattern, replacement in _VARIANTS:
        word = pattern.sub(replacement, word)
    return _DOUBLES.sub(r"\1", word)


def variant(name: str) -> str:
    """Article dropped, consonant variants merged, each vowel run one ``a``: Raqa = Ar-Raqqah."""
    return "".join(_VOWEL_RUNS.sub("a", _variant_word(w)) for w in _words(name))


def skeleton(name: str) -> str:
    """Consonants only (word-initial vowel as ``a``): Al-Tanaf = At Tanf, Ain Issa = ʿAyn ʿĪsá."""
    out = []
    for word in _words(name):
        word = _VOWEL_RUNS.sub("a", _variant_word(word))
        out.append(_DOUBLES.sub(r"\1", _INNER_VOWELS.sub("", word)))
    return "".join(out)


def keys(name: str) -> tuple[str, str, str]:
    """The (folded, variant, skeleton) keys of a name; empty strings for a name of no letters."""
    return folded(name), variant(name), skeleton(name)


def is_latin(text: str) -> bool:
    """Whether a folded name is in Latin letters, the only script the looser keys make sense for."""
    return bool(text) and all(c.isascii() for c in text)
