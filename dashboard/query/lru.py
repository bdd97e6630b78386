"""Values kept in memory by key, each computed once, the least recently used dropped."""

from __future__ import annotations

import threading
from collections import OrderedDict
from collections.abc import Callable, Hashable
from typing import Generic, TypeVar

V = TypeVar("V")


class Kept(Generic[V]):
    """At most `entries` values, and at most `max_bytes` of them as `size` measures them (the
    last one kept whatever its size). When several threads ask for a value not kept yet, the
    first computes it and the others wait for it. Values are handed out as they are, never
    copied: they must not be changed in place."""

    def __init__(
        self,
        entries: int,
        max_bytes: int | None = None,
        size: Callable[[V], int] = lambda _value: 0,
    ):
        self.entries = entries
        self.max_bytes = max_bytes
        self._size = size
        self._values: OrderedDict[Hashable, V] = OrderedDict()
        self._bytes = 0
        self._lock = threading.Lock()
        self._computing: dict[Hashable, threading.Lock] = {}

    def get(self, key: Hashable, make: Callable[[], V]) -> V:
        """The value kept for `key`, or `make()` kept for it."""
        found = self.find(key)
        if found is not None:
            return found
        with self._lock:
            computing = self._computing.setdefault(key, threading.Lock())
        try:
            with computing:
                found = self.find(key)
                if found is None:
                    found = make()
                    self._keep(key, found)
        finally:
            with self._lock:
                self._computing.pop(key, None)
        return found

    def find(self, key: Hashable) -> V | None:
        """The value kept for `key`, if there is one (it then becomes the most recently used)."""
        with self._lock:
            found = self._values.get(key)
            if found is not None:
                self._values.move_to_end(key)
            return found

    def _keep(self, key: Hashable, value: V) -> None:
        with self._lock:
            if key in self._values:
                return
            self._values[key] = value
            self._bytes += self._size(value)
            while len(self._values) > 1 and (
                len(self._values) > self.entries
                or (self.max_bytes is not None and self._bytes > self.max_bytes)
            ):
                _, dropped = self._values.popitem(last=False)
                self._bytes -= self._size(dropped)

    def clear(self) -> None:
        with self._lock:
            self._values.clear()
            self._bytes = 0

    def keys(self) -> list[Hashable]:
        with self._lock:
            return list(self._values)

    def values(self) -> list[V]:
        with self._lock:
            return list(self._values.values())

    @property
    def bytes(self) -> int:
        return self._bytes

    def __len__(self) -> int:
        return len(self._values)
