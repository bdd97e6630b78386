"""The headline figures of Enterprise-wide and Renewal planning in front of a customer: a
figure that ignores the activity dates says so and stands beside the one the dates narrow; the
words and dates the two pages write; the columns their grids show first. Over the hand-made
dataset (as of 2026-06-30); every figure is worked out by hand from tests/fixtures/tiny."""

import pytest

from dashboard.app import pages
from tests.app.conftest import metrics, plain, texts

RENEWAL = pages.by_path("renewal").file

WHOLE_TERM = "Enterprise hours used (whole term, whatever the dates)"
IN_THE_DATES = "Hours used in the dates"


def figure(at, label):
    return next(m for m in at.metric if m.label == label)


def renewal(app, **params):
    at = app(**{"as": "u-cadmin", **params})
    at.switch_page(RENEWAL).run()
    assert not at.exception
    return at


@pytest.mark.parametrize(
    ("user", "dates", "hours", "span"),
    [
        # the active enterprise packages P-A1, P-B1 and P-N1: K2 25.5 (10 May, 07:00 UTC) and
        # K6 4 (5 May) on E-REA, K5 12 (20 Apr) on E-BREA, D2 16 delivered (12 May) on E-PRO;
        # D4 (1 Apr) was cancelled, K4 names no entitlement
        ("u-cadmin", {"from": "2026-04-01", "to": "2026-05-31"}, "57.5",
         "1 Apr 2026 – 31 May 2026"),
        # W1 only: K-A's K2, K6 (raised in W2, booked on K-A) and D2; not K-B's K5
        ("u-wsadmin", {"from": "2026-04-01", "to": "2026-05-31"}, "45.5",
         "1 Apr 2026 – 31 May 2026"),
        # from 1 June on: K8 2 on E-NREA and K10 6 on E-UNL, which has no limit; D3 (1 Aug) is
        # only scheduled
        ("u-cadmin", {"from": "2026-06-01"}, "8", "from 1 Jun 2026"),
    ],
)  # fmt: skip
def test_the_hours_used_in_the_dates_stand_beside_the_whole_term(app, user, dates, hours, span):
    at = app(**{"as": user, **dates})
    assert not at.exception
    labels = [m.label for m in at.metric]
    assert labels.index(IN_THE_DATES) == labels.index(WHOLE_TERM) + 1  # beside it
    assert "Enterprise hours used" not in labels  # the plain label is for no dates
    in_the_dates = figure(at, IN_THE_DATES)
    assert (in_the_dates.value, plain(in_the_dates.proto.delta)) == (hours, span)
    assert "no limit included" in in_the_dates.help


def test_the_whole_term_figure_is_the_same_with_dates_and_says_so(app):
    whole = app(**{"as": "u-cadmin"})
    spring = app(**{"as": "u-cadmin", "from": "2026-04-01", "to": "2026-05-31"})
    # 85.5 of 200 hours, as without dates (tests/app/test_pages.py works it out)
    assert metrics(whole)["Enterprise hours used"] == metrics(spring)[WHOLE_TERM] == "43%"
    assert "85.5 of 200" in figure(spring, WHOLE_TERM).help
    assert "whole term, whatever the dates" in figure(spring, WHOLE_TERM).help
    assert "whatever the dates" not in figure(whole, "Enterprise hours used").help
    assert IN_THE_DATES not in metrics(whole)


def test_renewal_planning_says_its_figures_ignore_the_dates(app):
    undated = renewal(app)
    dated = renewal(app, **{"from": "2026-04-01", "to": "2026-05-31"})
    counts = ["Will run out before expiry", "Will leave more than 20% unused", "On track"]
    assert [metrics(dated)[c] for c in counts] == [metrics(undated)[c] for c in counts]
    assert [metrics(dated)[c] for c in counts] == ["5", "4", "2"]
    assert "Whole term, whatever the dates" in texts(dated)
    assert "Whole term, whatever the dates" not in texts(undated)
    assert "the date range narrows nothing on this page." in texts(dated)
    assert "the date range narrows activity only." in texts(app(**{"as": "u-cadmin"}))


def test_expiring_soon_is_a_click_away_with_its_days_written_out(app):
    at = app(**{"as": "u-cadmin"})
    # P-A2 ends 2026-07-31 (31 days) and P-B1 2026-09-15 (77): the soonest first
    listed = next(e for e in at.expander if e.label == "Packages expiring soon (2)")
    assert plain(listed.markdown[0].value).splitlines() == [
        "- CN-100 · Workshop add-on: ends 31 Jul 2026, 31 days left",
        "- CN-200 · Lab Enterprise: ends 15 Sep 2026, 77 days left",
    ]
    soonest = figure(at, "Soonest contract end")
    assert soonest.value == "77 days" and "CN-200 (15 Sep 2026)" in plain(soonest.help)
    assert "Data as of 30 Jun 2026 · all your workspaces." in texts(at)


def test_each_entitlement_at_risk_says_its_forecast_in_a_few_words(app):
    at = renewal(app)
    risks = at.dataframe[0].value
    said = dict(zip(risks["name"], risks["forecast"], strict=True))
    assert said == {
        # remaining below 0: E-ASM 2 - 3, E-WS 16 - 12 - 8, E-BEDU 2 - 3
        "On-demand assessments": "Nothing left now",
        "Workshops": "Nothing left now",
        "Lab education": "Nothing left now",
        # E-PRO: 4 left at D2's 16 in the 90 days from 2 Apr, 16/90 a day: 22.5, 23 days on
        "Proactive services": "Runs out 23 Jul 2026",
        # E-EDU: 2 left at N4's 1 in 90 days (N2, on 1 Apr, is before the window): 180 days on
        "On-demand education": "Runs out 27 Dec 2026",
        # nothing used in 90 days: all of what remains (E-ADV 12 of 20, E-CRD 3 of 10)
        "Advisory support": "12 hours unused",
        "Proactive credits": "3 credits unused",
        # E-BREA 18 - 12/90 × 77 days = 7.73; E-NREA 8 - 2/90 × 184 = 3.91
        "Lab reactive support": "7.7 hours unused",
        "Unassigned reactive": "3.9 hours unused",
        "Reactive support": "On track",
        "Lab credits": "On track",
    }


def test_the_burn_down_writes_its_end_as_a_day(app):
    at = renewal(app)
    at.selectbox(key="burn_pick").set_value("E-ASM").run()
    assert "5 of 2 will have been used by 31 Dec 2026." in texts(at)  # P-A1's end


def test_the_grids_show_the_key_columns_first(app):
    """A grid wider than the page shows its first columns: these, which a laptop with the
    sidebar open and a phone show without scrolling sideways (tests/e2e/test_key_figures.py)."""
    enterprise = app(**{"as": "u-cadmin"})
    contracts, entitlements = (list(df.proto.column_order) for df in enterprise.dataframe[:2])
    assert contracts[:4] == ["contract_number", "days_left", "end_date", "renewed_by"]
    assert entitlements[:3] == ["entitlement", "utilisation", "remaining"]
    planning = renewal(app, status="all")
    risks, sizing = (list(df.proto.column_order) for df in planning.dataframe[:2])
    assert risks[:3] == ["name", "forecast", "days_left"]
    assert sizing[:2] == ["name", "suggestion"]
    # CN-100 renews CN-090: its grid, under a line naming the two terms; 181 of its 365 days
    # gone by, the same share of CN-090's 365 days ends on its 181st day
    assert (
        "**CN-100** against CN-090: 50% of its term gone by, the previous term counted up to "
        "30 Jun 2025." in texts(planning)
    )
    compared = next(df for df in planning.dataframe if "change_in_use" in df.value.columns)
    assert list(compared.proto.column_order)[:2] == ["category", "change_in_use"]
