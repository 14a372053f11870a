"""Saves entries into a library as fast as it can until killed (tests/test_library_crash.py).

Usage: ``python library_saver.py DATA_DIR ANSWERS.json SEED``. Before each save it prints
``begin``; after the commit, ``saved <id> <copy sha256> <quotes>`` — so the test knows which
saves were acknowledged and whether a kill landed in the middle of one.
"""

from __future__ import annotations

import json
import random
import sys

from sourcelight.library.entries import build_entry
from sourcelight.library.store import Library
from sourcelight.settings import Settings


def main(data_dir: str, answers_path: str, seed: int) -> None:
    settings = Settings(library_dir=data_dir)
    answers = json.loads(open(answers_path, encoding="utf-8").read())
    library = Library(settings)
    rng = random.Random(seed)
    while True:
        item = rng.choice(answers)
        # Copies of very different sizes: some saves are one page, some span many.
        copy = "<p>" + rng.randbytes(rng.randrange(8, 60_000)).hex()
        print("begin", flush=True)
        entry = build_entry(item["answer"], item["html"], settings, copy=copy,
                            corrections={"n": rng.random()})
        entry_id = library.save(entry)
        print("saved", entry_id, entry.row["copy_sha256"], len(entry.quotes), flush=True)


if __name__ == "__main__":
    main(sys.argv[1], sys.argv[2], int(sys.argv[3]))
