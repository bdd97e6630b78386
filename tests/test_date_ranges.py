"""The sidebar's quick date ranges, worked out by hand from the as-of day."""

from datetime import date

from dashboard.query.date_ranges import EVERY, LABELS, PICKED, matching, named, ranges


def test_ranges_end_on_the_as_of_day_and_count_both_ends():
    spans = ranges(date(2026, 11, 23))
    assert spans == {
        EVERY: (None, None),
        "30d": (date(2026, 10, 25), date(2026, 11, 23)),  # 7 days of October and 23 of November
        "90d": (date(2026, 8, 26), date(2026, 11, 23)),  # 6 + 30 + 31 + 23
        "12m": (date(2025, 11, 24), date(2026, 11, 23)),
        "quarter": (date(2026, 10, 1), date(2026, 11, 23)),
        "last-quarter": (date(2026, 7, 1), date(2026, 9, 30)),
        "year": (date(2026, 1, 1), date(2026, 11, 23)),
        "last-year": (date(2025, 1, 1), date(2025, 12, 31)),
    }
    assert set(spans) <= set(LABELS)


def test_ranges_at_a_leap_day_and_in_the_first_quarter():
    spans = ranges(date(2028, 2, 29))
    assert spans["30d"] == (date(2028, 1, 31), date(2028, 2, 29))  # 1 day of January, 29 of Feb
    assert spans["12m"] == (date(2027, 3, 1), date(2028, 2, 29))  # 2027 has no 29 February
    assert spans["quarter"] == (date(2028, 1, 1), date(2028, 2, 29))
    assert spans["last-quarter"] == (date(2027, 10, 1), date(2027, 12, 31))
    assert ranges(date(2026, 4, 1))["quarter"] == (date(2026, 4, 1), date(2026, 4, 1))


def test_terms_are_offered_only_when_given_the_contract_first():
    as_of = date(2026, 6, 30)
    assert "contract" not in ranges(as_of) and "package" not in ranges(as_of)
    term = (date(2026, 3, 1), date(2026, 9, 15))
    package = (date(2026, 5, 1), date(2026, 10, 31))
    spans = ranges(as_of, contract=term, package=package)
    assert list(spans)[-2:] == ["contract", "package"]
    assert spans["contract"] == term and spans["package"] == package


def test_matching_names_the_range_the_days_are():
    spans = ranges(date(2026, 6, 30), contract=(date(2025, 1, 1), date(2025, 12, 31)))
    assert matching(spans, (None, None)) == EVERY
    assert matching(spans, (date(2026, 4, 2), date(2026, 6, 30))) == "90d"
    assert matching(spans, (date(2026, 4, 1), date(2026, 6, 30))) == "quarter"
    assert matching(spans, (date(2026, 4, 3), date(2026, 6, 30))) == PICKED
    assert matching(spans, (date(2026, 4, 2), None)) == PICKED
    # the same days as two ranges: the first offered
    assert matching(spans, (date(2025, 1, 1), date(2025, 12, 31))) == "last-year"


def test_days_of_a_range_are_named_in_words():
    as_of = date(2026, 11, 23)
    assert named(as_of, (date(2026, 8, 26), as_of)) == "last 90 days"
    assert named(as_of, (date(2025, 1, 1), date(2025, 12, 31))) == "last year"
    assert named(as_of, (None, None)) is None  # every date: nothing to name
    assert named(as_of, (date(2026, 8, 27), as_of)) is None
