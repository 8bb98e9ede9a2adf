"""The fuzzer of tests/test_fuzz.py, run longer and on fresh random examples.

Run: python scripts/fuzz.py [--examples N] [--seed S] [-k PATTERN]

The test suite runs a fixed set of 300 examples; this runs N new ones per property (the
loader gets N, the pipeline properties a third and a sixth of it) and prints how each
example ended. A failure prints the smallest input Hypothesis found and a line to
reproduce it (``@reproduce_failure``, or ``--seed``).
"""

from __future__ import annotations

import argparse
import os
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--examples", type=int, default=5000, help="examples of the loader property (default 5000)")
    parser.add_argument("--seed", help="Hypothesis seed, to repeat a run")
    parser.add_argument("-k", dest="pattern", help="only the properties whose name matches (pytest -k)")
    args = parser.parse_args()
    env = {**os.environ, "GEO_FUZZ_PROFILE": "long", "GEO_FUZZ_EXAMPLES": str(args.examples)}
    env["PYTHONPATH"] = os.pathsep.join(filter(None, [str(ROOT), env.get("PYTHONPATH")]))
    command = [sys.executable, "-m", "pytest", str(ROOT / "tests" / "test_fuzz.py"), "-p", "no:cacheprovider"]
    command += ["--hypothesis-show-statistics", "-x"]
    if args.seed:
        command.append(f"--hypothesis-seed={args.seed}")
    if args.pattern:
        command += ["-k", args.pattern]
    return subprocess.call(command, cwd=ROOT, env=env)


if __name__ == "__main__":
    sys.exit(main())
