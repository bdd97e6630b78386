"""`python -m dashboard access grant|revoke|audit` against the hand-made dataset, with the state
in SQLite and in PostgreSQL: the app's rules, one-line refusals, exit codes."""

import csv
import io

import pytest

from dashboard import local_services
from dashboard.cli import main
from dashboard.query import access_store, state_store


def access(capsysbinary, home, *args):
    code = main(["access", *args, "--data", str(home)])
    out, err = capsysbinary.readouterr()
    return code, out.decode("utf-8"), err.decode("utf-8")


def change(action, by, user, workspace, role):
    return [action, "--by", by, "--user", user, "--workspace", workspace, "--role", role]


def test_grant_revoke_and_audit(capsysbinary, home, state_backend):
    code, out, err = access(
        capsysbinary, home, *change("grant", "u-wsadmin", "u-none", "W1", "customer_activity")
    )
    assert (code, err) == (0, "")
    assert out == "customer_activity granted for u-none in W1 (change 1)\n"
    code, out, _ = access(
        capsysbinary, home, *change("revoke", "u-cadmin", "u-act", "W2", "customer_activity")
    )
    assert code == 0 and out == "customer_activity revoked for u-act in W2 (change 2)\n"
    assert [(c["user_id"], c["action"]) for c in access_store.changes(home)] == [
        ("u-none", "grant"),
        ("u-act", "revoke"),
    ]
    code, out, err = access(capsysbinary, home, "audit", "--by", "u-cadmin")
    assert (code, err) == (0, "")
    rows = list(csv.DictReader(io.StringIO(out)))
    # newest first, as Manage access shows it
    assert [(r["changed_by"], r["action"], r["user_name"], r["workspace_name"]) for r in rows] == [
        ("Cara Admin", "revoke", "Ada Activity", "Acme Lab"),
        ("Walt Wsadmin", "grant", "Nora None", "Acme Production"),
    ]
    # Walt administers W1 only: he sees the changes made there
    code, out, _ = access(capsysbinary, home, "audit", "--by", "u-wsadmin")
    assert code == 0 and [r["user_id"] for r in csv.DictReader(io.StringIO(out))] == ["u-none"]


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (change("grant", "u-wsadmin", "u-act", "W2", "training_manager"),
         "not done: you cannot change roles in this workspace"),
        (change("grant", "u-wsadmin", "u-wsadmin", "W1", "training_manager"),
         "not done: you cannot grant yourself a role: ask another admin"),
        (change("grant", "am-ann", "u-none", "W1", "customer_activity"),
         "not done: an account manager grants and revokes no role: a customer's admins and its "
         "workspaces' admins do"),
        (change("grant", "u-wsadmin", "u-none", "W1", "superuser"),
         "--role 'superuser' is not a role that can be granted: customer_activity, "
         "view_all_support_requests, training_manager"),
        (change("revoke", "u-wsadmin", "u-none", "W1", "training_manager"),
         "not done: Nora None does not hold the Training manager role in Acme Production"),
        (change("grant", "nobody", "u-none", "W1", "customer_activity"),
         "there is no user 'nobody' in this dataset"),
        (["audit", "--by", "u-act"], "u-act is not an admin: the audit trail is for admins only"),
        (["audit", "--by", "am-ann"],
         "am-ann is an account manager: account managers grant and revoke no role, so there is "
         "no audit trail for them to see"),
    ],
)  # fmt: skip
def test_refusals_are_one_line_and_change_nothing(capsysbinary, home, state_backend, args, message):
    code, out, err = access(capsysbinary, home, *args)
    assert (code, out) == (1, "")
    assert err == f"error: {message}\n"
    assert access_store.changes(home) == []


def test_an_unreachable_state_database_is_one_line_without_its_password(
    capsysbinary, home, monkeypatch
):
    port = local_services.free_port()  # nothing listens there
    monkeypatch.setenv(state_store.ENV_VAR, f"postgresql://admin:Sup3rS3cret@127.0.0.1:{port}/db")
    monkeypatch.setattr(state_store, "POOL_WAIT_SECONDS", 1.0)
    try:
        code, out, err = access(
            capsysbinary, home, *change("grant", "u-wsadmin", "u-none", "W1", "customer_activity")
        )
    finally:
        state_store.close_pools()
    assert (code, out) == (75, "")
    assert err == (
        f"error: the app's state database cannot be reached just now (postgresql://admin@127.0.0.1:"
        f"{port}/db): nothing was changed; try again in a minute\n"
    )


def test_the_access_command_is_documented_in_help(capsys):
    with pytest.raises(SystemExit):
        main(["access", "grant", "--help"])
    said = capsys.readouterr().out
    assert "--by" in said and "customer_activity | view_all_support_requests" in said
