"""Generated hostile input (garbage, SQL fragments, markup, invisible and right-to-left
characters, very long strings, ids of another customer) thrown at the link's filters and at the
export command: nothing raises, nothing is pasted into SQL, nothing of another customer shows."""

from __future__ import annotations

from datetime import date

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from dashboard import cli
from dashboard.query import sql_files
from dashboard.query.filters import MAX_ID, STATUSES, Filters, from_link
from dashboard.query.viewer import fit_filters, viewer_of

HOSTILE = [
    "' OR '1'='1",
    "W1'; DROP TABLE raw.cases; --",
    "') UNION SELECT * FROM raw.users --",
    "<script>alert(1)</script>",
    "**bold** [link](http://evil.example)",
    '=HYPERLINK("http://evil.example")',
    "\u202eW1",  # right-to-left override
    "W\u200b1",  # zero-width space
    "K-G",  # another customer's contract
    "W3",  # another customer's workspace
    "u-gadmin",  # another customer's admin
    "x" * 5000,
]
KNOWN = ["W1", "W2", "K-A", "K-B", "K-OLD", "active", "inactive", "all", "2026-01-01"]
values = st.one_of(
    st.sampled_from(HOSTILE),
    st.sampled_from(KNOWN),
    st.text(max_size=40),
    st.dates(date(1, 1, 1), date(9999, 12, 31)).map(str),
)
LINK_NAMES = ["ws", "contract", "package", "status", "from", "to", "as", "page", "x"]
links = st.dictionaries(st.sampled_from(LINK_NAMES), st.lists(values, max_size=4), max_size=8)
# What another customer (Globex, C2) has, and Acme (C1) has: neither may reach the other's users.
GLOBEX = ("K-G", "GX-1", "Globex", "u-gadmin", "gina@globex")
ACME = ("K-A", "CN-100", "Acme", "u-cadmin", "cara@acme")
SLOW = [HealthCheck.too_slow, HealthCheck.function_scoped_fixture]


@settings(max_examples=300, deadline=None)
@given(link=links)
def test_any_link_gives_valid_filters_and_says_what_it_dropped(link):
    wanted, notices = from_link(lambda name: link.get(name, []))
    assert isinstance(wanted, Filters) and wanted.status in STATUSES
    assert all(w in link["ws"] and 0 < len(w) <= MAX_ID for w in wanted.workspaces)
    for name in ("contract", "package"):
        value = getattr(wanted, name)
        assert value is None or (value in link[name] and len(value) <= MAX_ID)
    if wanted.date_from and wanted.date_to:
        assert wanted.date_from <= wanted.date_to
    for notice in notices:  # one short line, whatever the link held
        assert "\n" not in notice and len(notice) < 200
    statuses = [s for s in link.get("status", []) if s]
    if statuses and statuses[0] in STATUSES:
        assert wanted.status == statuses[0]
    elif statuses:
        assert any("is not a package status" in n or "too long" in n for n in notices)


@settings(max_examples=60, deadline=None, suppress_health_check=SLOW)
@given(link=links, user=st.sampled_from(["u-cadmin", "u-act", "u-train", "u-gadmin"]))
def test_a_fitted_link_only_ever_picks_what_the_viewer_may_see(tiny, link, user):
    viewer = viewer_of(tiny, user)
    wanted, _ = from_link(lambda name: link.get(name, []))

    def run(name, filters):
        return tiny.run(name, user, filters)

    fitted, notices = fit_filters(run, viewer, wanted)
    openable = set(viewer.workspaces.get_column("workspace_id"))
    assert set(fitted.workspaces) <= openable
    if fitted.contract:
        assert fitted.contract in set(tiny.run("contracts", user).get_column("contract_id"))
    dropped = set(wanted.workspaces) - openable
    assert not dropped or any("is not one you can open" in n for n in notices)
    cases = tiny.run("support_requests", user, fitted)
    shown = " ".join(str(v) for row in cases.iter_rows() for v in row)
    other = GLOBEX if user != "u-gadmin" else ACME
    assert not [t for t in other if t in shown]


export_args = st.fixed_dictionaries(
    {
        "query": st.one_of(st.sampled_from(sql_files.names()), values),
        "user": st.one_of(st.sampled_from(["u-cadmin", "u-wsadmin", "u-gadmin"]), values),
    },
    optional={
        "--workspace": values,
        "--contract": values,
        "--package": values,
        "--status": values,
        "--from": values,
        "--to": values,
        "--entitlement": values,
        "--format": st.sampled_from(["csv", "xlsx"]),
    },
)


@settings(max_examples=80, deadline=None, suppress_health_check=SLOW)
@given(args=export_args)
def test_the_export_command_takes_any_arguments_without_a_traceback(
    args, tiny_home, capsysbinary, tmp_path
):
    argv = ["export", args["query"], "--user", args["user"], "--data", str(tiny_home)]
    for option, value in args.items():
        if option.startswith("--"):
            argv += [f"{option}={value}"]
    argv += ["--out", str(tmp_path / "out")]
    (tmp_path / "out").unlink(missing_ok=True)
    try:
        code = cli.main(argv)
    except SystemExit as usage:  # argparse: a value that is not one of an option's choices
        code = usage.code
        assert code == 2
    err = capsysbinary.readouterr().err.decode()
    if code == 1:
        assert err.startswith("error: ") and err.count("\n") == 1, err
    if code == 0:
        assert args["user"] in ("u-cadmin", "u-wsadmin", "u-gadmin")
        written = (tmp_path / "out").read_bytes()
        if args.get("--format") != "xlsx":
            text = written.decode("utf-8-sig")
            other = GLOBEX if args["user"] != "u-gadmin" else ACME
            assert not [t for t in other if t in text], argv
            # a cell a spreadsheet would run as a formula is written as text
            assert "\n=" not in text and ",=" not in text
