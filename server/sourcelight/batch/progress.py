"""Reporting a long run: a progress bar while it works (tqdm) and a summary at the end.

The bar measures input bytes, because that is what is known in advance for every kind of
input (a WARC's page count is not, without reading it twice), so its ETA holds for WARCs too;
its text shows pages, pages/s and failures beside it.
"""

from __future__ import annotations

import time
from collections import Counter
from dataclasses import dataclass, field


@dataclass
class Summary:
    """What a run did: pages written, failures by error code, pages skipped and why."""

    pages: int = 0  # pages written in this run (annotated or failed)
    failed: Counter = field(default_factory=Counter)  # error code -> pages
    resumed: int = 0  # pages already in the output (--resume)
    skipped_files: int = 0  # files in folders that are not pages
    skipped_records: int = 0  # WARC records that are not 2xx HTML responses
    seconds: float = 0.0
    interrupted: bool = False

    @property
    def annotated(self) -> int:
        return self.pages - sum(self.failed.values())

    @property
    def pages_per_second(self) -> float:
        return self.pages / self.seconds if self.seconds > 0 else 0.0

    def add(self, record: dict | None) -> None:
        """Count one page's record (None: skipped, already in the output)."""
        if record is None:
            self.add_page(False, None)
        else:
            self.add_page(True, record.get("error"))

    def add_page(self, written: bool, error: str | None) -> None:
        """Count one page: written (annotated, or failed with ``error``) or skipped as
        already in the output."""
        if not written:
            self.resumed += 1
            return
        self.pages += 1
        if error is not None:
            self.failed[error] += 1

    def to_dict(self) -> dict:
        return {"pages": self.pages, "annotated": self.annotated,
                "failed": dict(self.failed), "resumed": self.resumed,
                "skipped_files": self.skipped_files,
                "skipped_records": self.skipped_records,
                "seconds": round(self.seconds, 2),
                "pages_per_second": round(self.pages_per_second, 2),
                "interrupted": self.interrupted}

    def text(self) -> str:
        """The closing lines printed to stderr."""
        failures = ", ".join(f"{code} {count}" for code, count in self.failed.most_common())
        lines = [f"{self.pages} pages in {self.seconds:.1f} s ({self.pages_per_second:.1f} "
                 f"pages/s): {self.annotated} annotated, {sum(self.failed.values())} failed"
                 + (f" ({failures})" if failures else "")]
        if self.resumed:
            lines.append(f"{self.resumed} pages were already in the output (--resume)")
        if self.skipped_files or self.skipped_records:
            lines.append(f"skipped: {self.skipped_files} files that are not pages, WARC or "
                         f"JSONL; {self.skipped_records} WARC records that are not HTML "
                         "responses")
        if self.interrupted:
            lines.append("interrupted: run the same command with --resume to continue")
        return "\n".join(lines)


class Progress:
    """A tqdm bar over input bytes with pages, pages/s and failures beside it; silent when
    ``enabled`` is False (None: only when stderr is a terminal)."""

    def __init__(self, total_bytes: int, enabled: bool | None = None):
        from tqdm import tqdm

        self._started = time.monotonic()
        self._bar = tqdm(total=total_bytes or None, unit="B", unit_scale=True,
                         unit_divisor=1024, disable=(None if enabled is None else not enabled),
                         dynamic_ncols=True, smoothing=0.05,
                         bar_format="{percentage:3.0f}%|{bar}| {n_fmt}/{total_fmt} "
                                    "[{elapsed}<{remaining}] {postfix}")

    def update(self, size: int, summary: Summary) -> None:
        """Advance by ``size`` input bytes and refresh the page counts (at most ~10 times a
        second: tqdm redraws on its own schedule)."""
        bar = self._bar
        if bar.disable:
            return
        elapsed = max(time.monotonic() - self._started, 1e-9)
        bar.set_postfix_str(f"{summary.pages + summary.resumed} pages, "
                            f"{summary.pages / elapsed:.1f} pages/s, "
                            f"{sum(summary.failed.values())} failed", refresh=False)
        bar.update(size)

    def close(self) -> None:
        self._bar.close()
