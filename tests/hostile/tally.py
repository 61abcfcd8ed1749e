"""Count the corpus's outcomes, each case a fresh process of the real entry point:

    cd tests && python -m hostile.tally [FOLDER [TIMEOUT]]

PYTHONPATH picks the code under test (e.g. PYTHONPATH=/path/to/main/src for the counts before a change).
"""

from __future__ import annotations

import sys
import tempfile
from collections import Counter
from pathlib import Path

from hostile.build import build
from hostile.runner import TIMEOUT, run


def main() -> None:
    root = Path(sys.argv[1]) if len(sys.argv) > 1 else Path(tempfile.mkdtemp(prefix="ehelse-hostile-"))
    cases = build(root)
    counts: Counter[str] = Counter()
    for case in cases:
        outcome = run(case, root, timeout=float(sys.argv[2]) if len(sys.argv) > 2 else TIMEOUT)
        counts[outcome.kind] += 1
        first = outcome.output.strip().splitlines()[-1:] if not outcome.ok else []
        print(f"{outcome.kind:17} {case.bullet:8} {case.name}  {first[0][:150] if first else ''}", flush=True)
    print(f"\n{len(cases)} cases: " + ", ".join(f"{k} {v}" for k, v in sorted(counts.items())))


if __name__ == "__main__":
    main()
