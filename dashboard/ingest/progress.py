"""A progress bar on stderr, for the long commands (seed, import): `what [#####    ]  42% …`."""

from __future__ import annotations

import sys

WIDTH = 25


class Bar:
    def __init__(self, label: str, total: int, enabled: bool = True):
        self.label = label
        self.total = max(total, 1)
        self.enabled = enabled
        self.done = 0
        self._shown: tuple[int, str] | None = None
        self._width = 0

    def advance(self, amount: int = 1, detail: str = "") -> None:
        self.done += amount
        self.show(detail)

    def show(self, detail: str = "") -> None:
        percent = min(100, self.done * 100 // self.total)
        if not self.enabled or self._shown == (percent, detail):
            return
        self._shown = (percent, detail)
        bar = "#" * (percent * WIDTH // 100)
        line = f"{self.label} [{bar:<{WIDTH}}] {percent:3d}% {detail}".rstrip()
        print(f"\r{line:<{self._width}}", end="", file=sys.stderr, flush=True)
        self._width = max(self._width, len(line))

    def finish(self) -> None:
        if self.enabled:
            print(file=sys.stderr, flush=True)
