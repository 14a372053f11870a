"""Shared by several test modules: loading a bench script as a module, and a sample story."""

from __future__ import annotations

import importlib.util
import sys
from pathlib import Path
from types import ModuleType

BENCH_DIR = Path(__file__).resolve().parents[1] / "bench"

# Four paragraphs of an ordinary news story, for pages built around it.
STORY = [
    "The city council voted on Tuesday to expand the bus network, adding twelve new routes "
    "that will connect the eastern suburbs with the hospital district by next spring.",
    "Officials said the new routes would cost 4.2 million euros a year, paid for from the "
    "regional transport fund and from higher parking fees in the city centre.",
    "Residents of the eastern suburbs have long complained that the only direct line runs once "
    "an hour and stops before eight in the evening, leaving night-shift workers stranded.",
    "“This changes daily life for thousands of families,” said the mayor, who has championed "
    "the plan since her election two years ago and promised more routes in 2027.",
]


def load_bench(name: str) -> ModuleType:
    """``bench/<name>.py`` as a module, so tests use the benchmark's own metric."""
    spec = importlib.util.spec_from_file_location(f"_sourcelight_bench_{name}",
                                                  BENCH_DIR / f"{name}.py")
    module = importlib.util.module_from_spec(spec)
    sys.modules[spec.name] = module  # dataclasses look their module up while it executes
    spec.loader.exec_module(module)
    return module
