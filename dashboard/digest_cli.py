"""`python -m dashboard digest [--dry-run] [--now ISO-DATETIME] [--data DIR]`: send each due
subscription its e-mailed digest (dashboard/digest.py), for cron or a systemd timer.

Exits non-zero when any digest could not be sent, naming each in one line; those are due again,
and tried again, on the next run."""

from __future__ import annotations

import argparse
import logging
import sys
from datetime import UTC, datetime

HELP = "e-mail each due subscription its digest (for cron or a systemd timer)"


def _moment(text: str) -> datetime:
    try:
        when = datetime.fromisoformat(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"{text!r} is not a date and time (ISO 8601)") from None
    return when if when.tzinfo else when.replace(tzinfo=UTC)


def add_parser(commands) -> argparse.ArgumentParser:
    """Add the `digest` command to the subcommands `commands`."""
    digest = commands.add_parser("digest", help=HELP, description=__doc__)
    digest.add_argument("--data", help="data home (default: data/ or $CUSTOMER_ACTIVITY_DATA)")
    digest.add_argument(
        "--dry-run",
        action="store_true",
        help="print what would be sent (recipient, subject, sizes); send and record nothing",
    )
    digest.add_argument(
        "--now",
        type=_moment,
        help="the moment whose day, ISO week or month is due (default: now; UTC unless given)",
    )
    return digest


def run(args: argparse.Namespace) -> int:
    from dashboard import digest
    from dashboard.ingest import data_home
    from dashboard.query.dataset import Dataset
    from dashboard.query.state_store import StateUnavailable

    _log_to_stderr()
    try:
        mail = digest.settings(need_server=not args.dry_run)
    except digest.DigestMisconfigured as problem:
        print(f"error: {problem}", file=sys.stderr)
        return 1
    dataset = Dataset(data_home.current_dataset(data_home.data_home(args.data)))
    _quiet_chart_caches()
    now = args.now or datetime.now(UTC)
    try:
        outcome = digest.run(dataset, now, mail, dry_run=args.dry_run)
    except StateUnavailable as problem:
        print(f"error: {problem}", file=sys.stderr)
        return 1
    for subscription, problem in outcome.failed:
        print(
            f"failed: subscription {subscription.id} of {subscription.user_id}: {problem}",
            file=sys.stderr,
        )
    done = "would be sent" if args.dry_run else "sent"
    print(
        f"{len(outcome.sent)} {done}, {len(outcome.skipped)} not sent (see the log), "
        f"{len(outcome.failed)} failed"
    )
    return 1 if outcome.failed else 0


def _log_to_stderr() -> None:
    """Say on stderr why a digest was not sent, when nothing else set up logging."""
    logger = logging.getLogger("customer_activity")
    if not logger.handlers and not logging.getLogger().handlers:
        handler = logging.StreamHandler(sys.stderr)
        handler.setFormatter(logging.Formatter("%(levelname)s: %(message)s"))
        logger.addHandler(handler)
        logger.setLevel(logging.INFO)


def _quiet_chart_caches() -> None:
    """Keep Streamlit from warning, as the charts are made, that their caches run without an
    app: here none should (as the pack command does)."""
    from dashboard.app import streamlit_internals

    streamlit_internals.quiet_cache_warnings()
