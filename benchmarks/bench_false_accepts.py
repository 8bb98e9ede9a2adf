"""How often the offline gazetteer places a name that names nothing (markdown table).

Made-up names, drawn with a fixed seed in four styles: random letters ("Xqzvvy"),
pronounceable syllables ("Tamoriku"), syllables with a generic word ("Bolemi dam",
"Karutan district") and syllables with an Arabic article ("al-Sudirah"). A name the
index has as spelled is skipped: only names that truly name nothing are counted. A
*false accept* is any answer at all (a map would draw it); a *confident* one is an
answer above the confidence threshold (a map would draw it as sure).

    python benchmarks/bench_false_accepts.py [--per-style 1000]
"""

from __future__ import annotations

import argparse
import random

from geo.gazetteer import fold
from geo.gazetteer.index import IndexGazetteer

CONSONANTS = "bcdfghjklmnprstvwz"
VOWELS = "aeiou"
GENERIC = ("dam", "district", "hospital", "camp", "village", "base", "stadium", "province", "LGA", "heights")
ARTICLES = ("al-", "el-", "ar-", "as-")


def syllables(rng: random.Random, low: int = 2, high: int = 4) -> str:
    word = "".join(rng.choice(CONSONANTS) + rng.choice(VOWELS) for _ in range(rng.randint(low, high)))
    return word.capitalize()


STYLES = {
    "random letters": lambda rng: "".join(rng.choice("abcdefghijklmnopqrstuvwxyz") for _ in range(rng.randint(5, 10))).capitalize(),
    "syllables": syllables,
    "syllables + generic word": lambda rng: f"{syllables(rng)} {rng.choice(GENERIC)}",
    "Arabic article + syllables": lambda rng: rng.choice(ARTICLES) + syllables(rng),
}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--per-style", type=int, default=1000)
    parser.add_argument("--seed", type=int, default=7)
    args = parser.parse_args()
    gazetteer = IndexGazetteer()
    known = set(gazetteer.names(listed=True))
    print("| made-up names | tried | accepted (drawn) | of which confident | examples accepted |")
    print("|---|---:|---:|---:|---|")
    for style, make in STYLES.items():
        rng = random.Random(f"{args.seed}:{style}")
        tried = accepted = confident = 0
        examples: list[str] = []
        while tried < args.per_style:
            name = make(rng)
            if fold(name) in known:
                continue
            tried += 1
            found = gazetteer.lookup(name)
            if found:
                accepted += 1
                confident += found[0].confident
                if len(examples) < 3:
                    examples.append(f"{name} → {found[0].name} ({found[0].country}, {found[0].confidence:.2f})")
        print(f"| {style} | {tried} | {100 * accepted / tried:.1f}% | {100 * confident / tried:.1f}% | {'; '.join(examples)} |")


if __name__ == "__main__":
    main()
