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
# Consonant variants, applied in this order (plain string replacements where they suffice:
# this runs for every lookup): ph → f; ck, q and a hard c → k; dj → j; ou → u; then
# diphthongs (Mawsil ~ Mosul, Ayn ~ Ain) and -ah/-eh endings (Raqqah ~ Raqqa).
_HARD_C = re.compile(r"ck|q|c(?=[aouklrt]|$)")
_DIPHTHONGS = re.compile(r"(?<=[aeiou])[wy](?![aeiou])")
_DOUBLES = re.compile(r"(.)\1+")
_VOWEL_RUNS = re.compile(r"[aeiouy]+")
_INNER_VOWELS = re.compile(r"(?<=.)[aeiouy]+")


def folded(name: str) -> str:
    """Lower case, no accents, ʿayn/hamza marks and apostrophes gone, words split on punctuation."""
    text = name.casefold()
    if not text.isascii():  # most names are ASCII and need no decomposition
        text = "".join(c for c in unicodedata.normalize("NFKD", text) if not unicodedata.combining(c))
    return " ".join(_NON_ALNUM.split(text.translate(_LETTERS))).strip()


def _words(folded_name: str) -> list[str]:
    """Words of a folded name without the Arabic article (kept when it is the whole name)."""
    words = folded_name.split()
    kept = [w for w in words[:-1] if w not in ARTICLES] + words[-1:]
    return kept or words


def _variant_word(word: str) -> str:
    word = _HARD_C.sub("k", word.replace("ph", "f")).replace("dj", "j").replace("ou", "u")
    word = _DIPHTHONGS.sub("", word)
    if len(word) > 2 and word[-1] == "h" and word[-2] in "ae":
        word = word[:-2] + "a"
    return _DOUBLES.sub(r"\1", word)


def variant(name: str) -> str:
    """Article dropped, consonant variants merged, each vowel run one ``a``: Raqa = Ar-Raqqah."""
    return "".join(_vowelled(_words(folded(name))))


def skeleton(name: str) -> str:
    """Consonants only (word-initial vowel as ``a``): Al-Tanaf = At Tanf, Ain Issa = ʿAyn ʿĪsá."""
    return _skeleton(_vowelled(_words(folded(name))))


def spelling(name: str) -> str:
    """The name as spelled, with only what transliterators vary trimmed: the Arabic article,
    doubled letters, q/k, ph/f, -ah endings; vowels kept. Two names that share a looser key
    are compared in this form before a match is believed: Raqa and Ar-Raqqah are both
    ``raka``, while Torkula and Türkeli, one variant key, stay ``torkula`` and ``turkeli``.
    """
    return " ".join(_variant_word(word) for word in _words(folded(name)))


def similarity(a: str, b: str) -> float:
    """0-1: how alike two :func:`spelling` forms are (normalised indel distance)."""
    from rapidfuzz.distance import Indel

    return Indel.normalized_similarity(a, b)


def keys(name: str) -> tuple[str, str, str]:
    """The (folded, variant, skeleton) keys of a name; empty strings for a name of no letters.

    The same as calling the three functions, with the shared steps done once: a lookup
    starts here, so this is on the hot path.
    """
    f = folded(name)
    words = _vowelled(_words(f))
    return f, "".join(words), _skeleton(words)


def loose_forms(folded_name: str) -> tuple[str, str, str]:
    """The (variant, skeleton, spelling) forms of a :func:`folded` name, the shared steps done once.

    The index build needs all three for a million names: computed apart, each would fold
    the name and rewrite its words again.
    """
    words = [_variant_word(word) for word in _words(folded_name)]
    vowelled = [_VOWEL_RUNS.sub("a", word) for word in words]
    return "".join(vowelled), _skeleton(vowelled), " ".join(words)


def _vowelled(words: list[str]) -> list[str]:
    return [_VOWEL_RUNS.sub("a", _variant_word(word)) for word in words]


def _skeleton(vowelled: list[str]) -> str:
    return "".join(_DOUBLES.sub(r"\1", _INNER_VOWELS.sub("", word)) for word in vowelled)


def is_latin(text: str) -> bool:
    """Whether a folded name is in Latin letters, the only script the looser keys make sense for."""
    return bool(text) and text.isascii()
