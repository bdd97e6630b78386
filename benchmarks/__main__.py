"""`python -m benchmarks [--quick] [--check] [--sizes 1M 10M] [--rounds N] [--no-browser]
[--browser-rounds N] [--only-browser] [--out DIR]`."""

from __future__ import annotations

import argparse
import os
import platform
import subprocess
import sys
from datetime import UTC, datetime
from importlib.metadata import version
from pathlib import Path

from benchmarks import browser, report
from benchmarks.run import measure_size, say


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m benchmarks", description=__doc__)
    parser.add_argument("--quick", action="store_true", help="100k usage rows only")
    parser.add_argument(
        "--check", action="store_true", help="fail on ratios, row counts and memory"
    )
    parser.add_argument("--sizes", nargs="+", choices=["100k", "1M", "10M"])
    parser.add_argument("--rounds", type=int, default=9)
    parser.add_argument(
        "--no-browser", action="store_true", help="skip the fresh server and the browser"
    )
    parser.add_argument(
        "--browser-rounds",
        type=int,
        help=f"timed visits of each page in the browser, after a warm-up round ({browser.ROUNDS}"
        f", {browser.QUICK_ROUNDS} with --quick)",
    )
    parser.add_argument(
        "--only-browser", action="store_true", help="the dataset and the browser part alone"
    )
    parser.add_argument(
        "--out", type=Path, default=report.HERE, help="where the results are written"
    )
    args = parser.parse_args(argv)
    if args.only_browser and args.no_browser:
        parser.error("--only-browser and --no-browser exclude each other")
    if args.browser_rounds is None:
        args.browser_rounds = browser.QUICK_ROUNDS if args.quick else browser.ROUNDS
    sizes = args.sizes or (["100k"] if args.quick else ["1M", "10M"])
    results = {"meta": _meta(args), "sizes": {}}
    for size in sizes:
        results["sizes"][size] = measure_size(
            size, args.rounds, not args.no_browser, args.browser_rounds, args.only_browser
        )
        target = report.write(results, args.out)  # what is measured so far
    for name, size in results["sizes"].items():
        for r in report.ratios(size):
            print(
                f"{name} {r['viewpoint']}: ×naive {r['x_naive_dates']} after moving the dates or "
                f"other workspaces, "
                f"{r['x_naive']} for a viewer first seen; ×bound {r['x_bound_home']} "
                f"(slowest page {r['worst_page']} {r['x_bound_worst']}; the support request "
                f"list {r['x_bound_list']}× its bare read)"
            )
    failed = [c for c in report.checks(results) if not c[1]]
    for what, _, detail in failed:
        print(f"not met: {what}: {detail}")
    say(f"wrote {target}")
    return 1 if args.check and failed else 0


def _meta(args: argparse.Namespace) -> dict:
    commit = subprocess.run(
        ["git", "rev-parse", "--short", "HEAD"], capture_output=True, text=True, check=False
    ).stdout.strip()
    memory = os.sysconf("SC_PAGE_SIZE") * os.sysconf("SC_PHYS_PAGES") / 2**30
    return {
        "date": datetime.now(UTC).strftime("%Y-%m-%d %H:%M UTC"),
        "commit": commit or "unknown",
        "mode": "quick" if args.quick else "full",
        "rounds": args.rounds,
        "browser_rounds": args.browser_rounds,
        "only_browser": args.only_browser,
        "cpus": os.cpu_count(),
        "memory_gb": round(memory),
        "python": platform.python_version(),
        "versions": {
            p: version(p) for p in ("streamlit", "duckdb", "polars", "altair", "pyarrow", "pandas")
        },
    }


if __name__ == "__main__":
    sys.exit(main())
