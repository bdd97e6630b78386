"""The results kept for the pages hold at most RESULTS_BYTES, however many sessions ask."""

import polars as pl

from dashboard.app import results


def test_kept_results_stay_within_their_bytes_the_oldest_dropped():
    results.forget_results()
    # 10 frames of 1,048,576 64-bit numbers: 8 MiB each, 80 MiB in all, beyond the 64 MiB
    frame = pl.DataFrame({"n": pl.zeros(1_048_576, dtype=pl.Int64, eager=True)})
    assert frame.estimated_size() == 8 * 1024 * 1024
    try:
        for n in range(10):
            results._RESULTS.get(("frame", n), frame.clone)
        assert results._RESULTS.bytes <= results.RESULTS_BYTES == 64 * 1024 * 1024
        kept = results._RESULTS.keys()
        assert kept == [("frame", n) for n in range(2, 10)]  # 8 of 8 MiB: the first two went
    finally:
        results.forget_results()
