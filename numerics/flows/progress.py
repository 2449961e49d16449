"""A progress bar for long flows (issue 13, item 8): flow time reached and events so far, on stderr.

Shown only when stderr is a terminal and the run has lasted ``delay`` seconds (short flows print
nothing); ``EARLYALIGN_PROGRESS=0`` turns it off (the claim runner does so in its worker processes,
whose bars would garble the runner's own).
"""
from __future__ import annotations

import os
import sys
import time

__all__ = ["FlowProgress", "flow_progress"]


class FlowProgress:
    """tqdm bar over flow time [t0, t_end], created after ``delay`` s of wall time."""

    def __init__(self, t0, t_end, delay=2.0, file=None):
        self.t0, self.t_end = float(t0), float(t_end)
        self.delay = delay
        self.file = file or sys.stderr
        self.start = time.perf_counter()
        self.bar = None
        self.last = self.start

    def update(self, t, nevents):
        now = time.perf_counter()
        if now - self.last < 0.2:
            return
        self.last = now
        if self.bar is None:
            if now - self.start < self.delay:
                return
            from tqdm import tqdm
            self.bar = tqdm(total=self.t_end - self.t0, file=self.file, unit="t", leave=False,
                            bar_format="{desc} {percentage:3.0f}%|{bar}| [{elapsed}<{remaining}]")
        t = float(t)
        self.bar.n = min(t - self.t0, self.t_end - self.t0)
        self.bar.set_description_str(f"flow t = {t:.6g} / {self.t_end:.6g}, {nevents} events", refresh=True)

    def close(self):
        if self.bar is not None:
            self.bar.close()


def flow_progress(progress, t0, t_end):
    """``progress``: None (auto: on for a terminal), False, True (on even without a terminal), or an object
    with ``update(t, nevents)`` and ``close()``."""
    if progress is False:
        return None
    if progress is None:
        if os.environ.get("EARLYALIGN_PROGRESS", "1") == "0" or not sys.stderr.isatty():
            return None
        return FlowProgress(t0, t_end)
    if progress is True:
        return FlowProgress(t0, t_end)
    return progress
