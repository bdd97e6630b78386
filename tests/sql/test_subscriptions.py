"""Subscriptions in the app's state (dashboard/query/subscriptions.py), in SQLite and in
PostgreSQL: subscribed, listed and ended by their owner only; due once per day, ISO week or
month until a digest of that period is recorded as sent."""

from datetime import UTC, datetime

import pytest

from dashboard.query import saved_views, subscriptions
from dashboard.query.saved_views import Refused


def at(text: str) -> datetime:
    return datetime.fromisoformat(text).replace(tzinfo=UTC)


def due_ids(home, now: str) -> list[tuple[int, str]]:
    return [(s.id, period) for s, period in subscriptions.due(home, at(now))]


def test_subscribe_list_change_and_end(tmp_path, state_backend):
    home = tmp_path / "home"
    view = saved_views.save(home, "u-cadmin", "Renewals", "renewal", "ws=W1")
    daily = subscriptions.subscribe(home, "u-cadmin", view.id, "daily")
    alerts = subscriptions.subscribe(home, "u-cadmin", None, "weekly")
    assert (daily.view_id, daily.frequency, daily.alerts_page) == (view.id, "daily", False)
    assert (alerts.view_id, alerts.alerts_page) == (None, True)
    # subscribing again to the same view changes how often, and keeps one subscription
    again = subscriptions.subscribe(home, "u-cadmin", view.id, "monthly")
    assert again.id == daily.id
    listed = subscriptions.listed(home, "u-cadmin")
    assert [(s.id, s.frequency) for s in listed] == [(daily.id, "monthly"), (alerts.id, "weekly")]
    assert subscriptions.listed(home, "u-act") == []
    subscriptions.unsubscribe(home, "u-cadmin", daily.id)
    assert [s.id for s in subscriptions.listed(home, "u-cadmin")] == [alerts.id]


def test_only_ones_own_views_and_subscriptions(tmp_path, state_backend):
    home = tmp_path / "home"
    view = saved_views.save(home, "u-cadmin", "Mine", "start", "")
    with pytest.raises(Refused, match="not one of yours"):
        subscriptions.subscribe(home, "u-act", view.id, "daily")
    with pytest.raises(Refused, match="daily, weekly or monthly"):
        subscriptions.subscribe(home, "u-cadmin", view.id, "hourly")
    held = subscriptions.subscribe(home, "u-cadmin", view.id, "daily")
    with pytest.raises(Refused, match="not one of yours"):
        subscriptions.unsubscribe(home, "u-act", held.id)
    assert [s.id for s in subscriptions.listed(home, "u-cadmin")] == [held.id]


def test_periods():
    now = at("2026-06-30T23:59:00")
    assert subscriptions.period("daily", now) == "2026-06-30"
    assert subscriptions.period("weekly", now) == "2026-W27"  # Tuesday of ISO week 27
    assert subscriptions.period("monthly", now) == "2026-06"
    # ISO week 53 of 2026 runs from Monday 28 December 2026 to Sunday 3 January 2027
    assert subscriptions.period("weekly", at("2027-01-03T12:00:00")) == "2026-W53"


def test_due_once_per_period(tmp_path, state_backend):
    home = tmp_path / "home"
    view = saved_views.save(home, "u-cadmin", "Overview", "start", "")
    daily = subscriptions.subscribe(home, "u-cadmin", view.id, "daily")
    weekly = subscriptions.subscribe(home, "u-cadmin", None, "weekly")
    monthly = subscriptions.subscribe(home, "u-act", None, "monthly")
    assert due_ids(home, "2026-06-29T07:00:00") == [
        (daily.id, "2026-06-29"), (weekly.id, "2026-W27"), (monthly.id, "2026-06")
    ]  # fmt: skip
    for subscription, period in subscriptions.due(home, at("2026-06-29T07:00:00")):
        subscriptions.record_sent(home, subscription.id, period, f"<m{subscription.id}@x>")
    assert due_ids(home, "2026-06-29T23:00:00") == []
    # recorded twice (a repeated run that lost its first record's answer): still once
    subscriptions.record_sent(home, daily.id, "2026-06-29", "<again@x>")
    assert subscriptions.sent(home, daily.id) == ["2026-06-29"]
    # the next day: only the daily one; Sunday 5 July is still ISO week 27, July a new month
    assert due_ids(home, "2026-06-30T07:00:00") == [(daily.id, "2026-06-30")]
    assert due_ids(home, "2026-07-05T07:00:00") == [
        (daily.id, "2026-07-05"),
        (monthly.id, "2026-07"),
    ]
    assert due_ids(home, "2026-07-06T07:00:00") == [
        (daily.id, "2026-07-06"), (weekly.id, "2026-W28"), (monthly.id, "2026-07")
    ]  # fmt: skip
    # an ended subscription is never due, and its sent periods go with it
    subscriptions.unsubscribe(home, "u-cadmin", daily.id)
    assert [s.id for s, _ in subscriptions.due(home, at("2026-07-06T07:00:00"))] == [
        weekly.id, monthly.id
    ]  # fmt: skip
    assert subscriptions.sent(home, daily.id) == []


def test_message_id_is_the_same_for_the_same_period():
    first = subscriptions.message_id(7, "2026-W27", "provider.example")
    assert first == "<digest.7.2026-W27@provider.example>"
    assert first == subscriptions.message_id(7, "2026-W27", "provider.example")
    assert first != subscriptions.message_id(7, "2026-W28", "provider.example")
