"""dashboard.query.lru: values computed once, the least recently used dropped."""

import threading
import time

from dashboard.query.lru import Kept


def test_a_value_is_computed_once_and_handed_out_as_it_is():
    kept: Kept[list] = Kept(entries=4)
    made: list[str] = []

    def make(key: str):
        made.append(key)
        return [key]

    first = kept.get("a", lambda: make("a"))
    assert kept.get("a", lambda: make("a")) is first  # the same object, not a copy
    assert made == ["a"]
    assert kept.find("b") is None and made == ["a"]  # finding computes nothing


def test_the_least_recently_used_go_beyond_the_entries():
    kept: Kept[str] = Kept(entries=2)
    kept.get("a", lambda: "A")
    kept.get("b", lambda: "B")
    kept.find("a")  # a is now used more lately than b
    kept.get("c", lambda: "C")
    assert kept.keys() == ["a", "c"]
    kept.clear()
    assert len(kept) == 0 and kept.keys() == []


def test_the_least_recently_used_go_beyond_the_bytes_but_the_last_one_stays():
    kept: Kept[bytes] = Kept(entries=10, max_bytes=10, size=len)
    kept.get("four", lambda: b"1234")
    kept.get("five", lambda: b"12345")
    assert kept.bytes == 9 and kept.keys() == ["four", "five"]
    kept.get("three", lambda: b"123")  # 12 bytes: the oldest goes
    assert kept.keys() == ["five", "three"] and kept.bytes == 8
    kept.get("twenty", lambda: b"x" * 20)  # larger than the bound on its own: kept alone
    assert kept.keys() == ["twenty"] and kept.bytes == 20


def test_threads_asking_for_the_same_value_together_compute_it_once():
    kept: Kept[int] = Kept(entries=4)
    calls: list[int] = []
    both_asked = threading.Barrier(2, timeout=10)

    def make() -> int:
        calls.append(1)
        time.sleep(0.05)  # long enough for the other thread to ask meanwhile
        return 42

    answers: list[int] = []

    def ask() -> None:
        both_asked.wait()
        answers.append(kept.get("answer", make))

    threads = [threading.Thread(target=ask) for _ in range(2)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert answers == [42, 42] and len(calls) == 1
