"""Timing and memory helpers: interleaved repeated rounds, medians and p95, a child's peak RSS."""

from __future__ import annotations

import os
import statistics
import subprocess
import tempfile
import time
from collections.abc import Callable
from dataclasses import dataclass, field


@dataclass
class Timings:
    """Milliseconds of repeated runs of one thing."""

    samples: list[float] = field(default_factory=list)

    def add(self, ms: float) -> None:
        self.samples.append(ms)

    @property
    def median(self) -> float:
        return statistics.median(self.samples) if self.samples else float("nan")

    @property
    def p95(self) -> float:
        """The nearest-rank 95th percentile (with 9 rounds, the largest sample)."""
        if not self.samples:
            return float("nan")
        ordered = sorted(self.samples)
        rank = max(1, -(-95 * len(ordered) // 100))
        return ordered[rank - 1]

    def summary(self) -> dict[str, float]:
        return {
            "median_ms": round(self.median, 2),
            "p95_ms": round(self.p95, 2),
            "runs": len(self.samples),
        }


def timed(work: Callable[[], object]) -> tuple[float, object]:
    start = time.perf_counter()
    result = work()
    return (time.perf_counter() - start) * 1000, result


Contender = Callable[[], object] | tuple[Callable[[], object], Callable[[], object]]


def interleaved(contenders: dict[str, Contender], rounds: int) -> dict[str, Timings]:
    """Run every contender once per round, in a rotating order, so that drift in the machine's
    state (other load, caches, frequency) falls on all of them alike. A contender given as
    (prepare, work) has `prepare()` run untimed just before each timed `work()`: what it
    needs at hand that another contender may have dropped."""
    names = list(contenders)
    results = {name: Timings() for name in names}
    for name in names:  # one untimed warm-up each
        _prepared(contenders[name])()
    for round_no in range(rounds):
        shift = round_no % len(names)
        for name in names[shift:] + names[:shift]:
            ms, _ = timed(_prepared(contenders[name]))
            results[name].add(ms)
    return results


def _prepared(contender: Contender) -> Callable[[], object]:
    """The work of `contender`, its preparation (if any) done now, untimed."""
    if isinstance(contender, tuple):
        prepare, work = contender
        prepare()
        return work
    return contender


def resident_split_mb(pid: int) -> dict[str, int]:
    """A running process's resident memory now, split (from /proc): `own`, the memory it
    allocated (RssAnon), and `files`, the pages of mapped files, mostly the libraries' code
    (RssFile and RssShmem): shared with every process that maps the same files, and more or
    fewer of them resident with the state of the page cache (see benchmarks/README.md)."""
    fields = {}
    with open(f"/proc/{pid}/status", encoding="ascii") as status:
        for line in status:
            name, _, value = line.partition(":")
            if name in ("RssAnon", "RssFile", "RssShmem"):
                fields[name] = int(value.split()[0]) // 1024
    return {"own": fields["RssAnon"], "files": fields["RssFile"] + fields.get("RssShmem", 0)}


def run_child(args: list[str], env: dict[str, str] | None = None) -> tuple[float, int, str]:
    """Run a command to its end: (seconds, peak RSS in MB, stderr's last line)."""
    with tempfile.TemporaryFile("w+", encoding="utf-8") as errors:
        start = time.perf_counter()
        proc = subprocess.Popen(args, env=env, stdout=subprocess.DEVNULL, stderr=errors)
        _, status, usage = os.wait4(proc.pid, 0)
        seconds = time.perf_counter() - start
        proc.returncode = os.waitstatus_to_exitcode(status)
        errors.seek(0)
        err = errors.read()
    if proc.returncode:
        raise RuntimeError(f"{' '.join(args)} failed ({proc.returncode}): {err[-2000:]}")
    last = err.strip().splitlines()[-1] if err.strip() else ""
    return seconds, usage.ru_maxrss // 1024, last


def peak_rss_mb(pid: int) -> int:
    """The peak resident memory of a running process, from /proc (VmHWM)."""
    with open(f"/proc/{pid}/status", encoding="ascii") as status:
        for line in status:
            if line.startswith("VmHWM:"):
                return int(line.split()[1]) // 1024
    raise RuntimeError(f"no VmHWM for process {pid}")
