"""`python -m dashboard access grant|revoke|audit`: roles granted, revoked and audited from the
command line, for administrators who script, under exactly the rules of the app's Manage access
(dashboard.query.access_admin): nobody changes roles outside their reach or grants themselves
one, and an account manager changes nothing.

A refusal is one line on stderr with exit status 1; when the app's state database cannot be
reached, one line and status 75 (EX_TEMPFAIL: nothing was changed, try again later).
"""

from __future__ import annotations

import argparse
import logging
import sys

from dashboard.ingest.schema import ROLES

REFUSED = 1
UNAVAILABLE = 75  # sysexits.h's EX_TEMPFAIL: a script may try again later
DATA_HELP = "data home (default: data/ or $CUSTOMER_ACTIVITY_DATA)"


def add_parser(commands) -> None:
    """The `access` command and its actions, added to the CLI's subcommands."""
    access = commands.add_parser(
        "access", help="grant, revoke and audit roles as an admin, under the app's rules"
    )
    actions = access.add_subparsers(dest="access_action", required=True)
    for action, verb in (("grant", "grant a role"), ("revoke", "revoke a role")):
        change = actions.add_parser(action, help=f"{verb} in a workspace, as --by")
        change.add_argument("--by", required=True, help="the admin making the change (user_id)")
        change.add_argument("--user", required=True, help="whose role changes (user_id)")
        change.add_argument("--workspace", required=True, help="workspace_id")
        change.add_argument("--role", required=True, help=" | ".join(ROLES))
        change.add_argument("--data", help=DATA_HELP)
    audit = actions.add_parser("audit", help="the changes made in --by's workspaces, as CSV")
    audit.add_argument("--by", required=True, help="the admin reading it (user_id)")
    audit.add_argument("--data", help=DATA_HELP)


class Refused(Exception):
    """Said in one line on stderr, with REFUSED as the exit status."""


def run(args: argparse.Namespace) -> int:
    from dashboard.query.state_store import StateMisconfigured, StateUnavailable

    # psycopg's pool logs every failed connection; here the one line below says it all
    for name in ("psycopg", "customer_activity"):
        logging.getLogger(name).addHandler(logging.NullHandler())
        logging.getLogger(name).propagate = False
    try:
        if args.access_action == "audit":
            return _audit(args)
        return _change(args)
    except Refused as refused:
        print(f"error: {refused}", file=sys.stderr)
        return REFUSED
    except StateMisconfigured as problem:
        print(f"error: {problem}", file=sys.stderr)
        return REFUSED
    except StateUnavailable as problem:
        changing = args.access_action != "audit"  # its checks' reads changed nothing either
        print(f"error: {problem.in_a_change() if changing else problem}", file=sys.stderr)
        return UNAVAILABLE


def _dataset(args: argparse.Namespace):
    from dashboard.ingest import data_home
    from dashboard.query.dataset import Dataset

    return Dataset(data_home.current_dataset(data_home.data_home(args.data)))


def _person(dataset, user_id: str) -> dict:
    """`user_id` as the layer sees them; Refused when there is no such user."""
    found = dataset.run("viewer", user_id)
    if found.is_empty():
        raise Refused(f"there is no user {user_id!r} in this dataset")
    return found.row(0, named=True)


def _change(args: argparse.Namespace) -> int:
    from dashboard.query import access_admin

    if args.role not in ROLES:
        raise Refused(f"--role {args.role!r} is not a role that can be granted: {', '.join(ROLES)}")
    dataset = _dataset(args)
    _person(dataset, args.by)
    try:
        seq = access_admin.change(
            dataset, args.by, args.user, args.workspace, args.role, args.access_action
        )
    except access_admin.AccessRefused as refused:
        raise Refused(f"not done: {refused}") from None
    verb = "granted" if args.access_action == "grant" else "revoked"
    print(f"{args.role} {verb} for {args.user} in {args.workspace} (change {seq})")
    return 0


def _audit(args: argparse.Namespace) -> int:
    from dashboard import export
    from dashboard.query import access_admin
    from dashboard.text import without_invisible

    dataset = _dataset(args)
    person = _person(dataset, args.by)
    if person["is_account_manager"]:
        raise Refused(
            f"{args.by} is an account manager: account managers grant and revoke no role, "
            "so there is no audit trail for them to see"
        )
    if access_admin.reach(dataset, args.by).is_empty():
        raise Refused(f"{args.by} is not an admin: the audit trail is for admins only")
    # what Manage access's download of the trail gives: newest first, in UTC
    parts = (without_invisible(p) for p in dataset.batches("access_audit", args.by))
    export.write_csv(parts, sys.stdout.buffer, bom=False)
    return 0
