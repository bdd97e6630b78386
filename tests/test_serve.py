"""`python -m dashboard serve`: Streamlit's server, with the first page's work done as it starts."""

import logging
import subprocess
import sys

import pytest

from dashboard import cli, serve
from dashboard.app import live_dataset
from dashboard.ingest import data_home


def test_warm_up_opens_the_live_dataset_a_first_visitor_would_open(tiny_home, monkeypatch):
    monkeypatch.setenv(data_home.ENV_VAR, str(tiny_home))
    monkeypatch.setattr(serve, "_server_started", lambda: None)
    opened = []
    monkeypatch.setattr(live_dataset, "_open", lambda folder: opened.append(folder))
    serve.warm_up()
    assert opened == [str(data_home.current_dataset(tiny_home))]


def test_warm_up_does_streamlits_once_per_process_check_before_the_first_page(monkeypatch):
    from streamlit import delta_generator

    monkeypatch.setattr(serve, "_server_started", lambda: None)
    monkeypatch.setattr(live_dataset, "_open", lambda folder: None)
    monkeypatch.setattr(delta_generator, "_use_warning_has_been_displayed", False)
    serve.warm_up()
    assert delta_generator._use_warning_has_been_displayed  # the first page will not do it


def test_warm_up_builds_the_shape_of_the_first_bars_enterprise_wide_draws(monkeypatch):
    import polars as pl

    from dashboard.app import chart_specs, charts

    monkeypatch.setattr(serve, "_server_started", lambda: None)
    monkeypatch.setattr(live_dataset, "_open", lambda folder: None)
    chart_specs._skeleton.cache_clear()
    chart_specs.forget_specs()
    serve.warm_up()
    warmed = chart_specs._skeleton.cache_info()
    # a customer's hours: 30 of 100 used, 5 more on an entitlement with no purchased quantity
    hours = pl.DataFrame(
        {"category": ["advisory", "reactive"], "unit": ["hours", "hours"],
         "purchased": [None, 100.0], "used": [5.0, 30.0], "scheduled": [0.0, 0.0],
         "remaining": [None, 70.0], "overage": [0.0, 0.0], "used_without_limit": [5.0, 0.0],
         "scheduled_without_limit": [0.0, 0.0]}
    )  # fmt: skip
    spec = charts.consumption_bars(hours).spec()
    after = chart_specs._skeleton.cache_info()
    assert (after.hits, after.misses) == (warmed.hits + 1, warmed.misses)  # built by the warm-up
    bars = spec["datasets"][spec["layer"][0]["data"]["name"]]
    assert {(r["category"], r["measure"]): r["amount"] for r in bars}[("reactive", "Used")] == 30
    # another's: reactive over by 20 on one contract, 70 left on another; its overage segment
    # and note are a shape of their own, built by the warm-up too
    over = hours.with_columns(
        used=pl.Series([5.0, 150.0]), purchased=pl.Series([None, 200.0]),
        overage=pl.Series([0.0, 20.0])
    )  # fmt: skip
    spec = charts.consumption_bars(over).spec()
    again = chart_specs._skeleton.cache_info()
    assert (again.hits, again.misses) == (after.hits + 1, after.misses)
    bars = spec["datasets"][spec["layer"][0]["data"]["name"]]
    assert {(r["category"], r["measure"]): r["amount"] for r in bars}[("reactive", "Overage")] == 20


def test_warm_up_leaves_a_missing_dataset_to_the_page(tmp_path, monkeypatch, caplog):
    monkeypatch.setenv(data_home.ENV_VAR, str(tmp_path / "nothing here"))
    monkeypatch.setattr(serve, "_server_started", lambda: None)
    with caplog.at_level(logging.INFO, logger="customer_activity"):
        serve.warm_up()  # does not raise
    assert "warming up" in caplog.text and "nothing here" in caplog.text


@pytest.fixture
def started(monkeypatch, tmp_path):
    """What `serve` would start Streamlit with (nothing is started), with no secrets file in
    the places Streamlit looks unless a test writes one."""
    from streamlit.web import cli as streamlit_cli

    from dashboard.app import sign_in_settings

    calls = []
    monkeypatch.setattr(streamlit_cli, "main", lambda args, prog_name: calls.append(args) or 0)
    monkeypatch.setattr(serve, "warm_up", lambda: None)  # no real server here to wait for
    monkeypatch.setattr(sign_in_settings, "default_secrets_files", lambda: [tmp_path / "s.toml"])
    return calls


def test_serve_runs_the_app_with_streamlits_own_options(started):
    assert cli.main(["serve", "--server.port", "8600", "--server.address", "0.0.0.0"]) == 0
    assert started == [["run", str(serve.APP), "--server.port", "8600", "--server.address",
                        "0.0.0.0"]]  # fmt: skip
    assert serve.APP.name == "main.py" and serve.APP.is_file()


def test_demo_mode_serves_this_machine_only_unless_told_otherwise(started):
    assert cli.main(["serve", "--server.port", "8600"]) == 0
    assert started[-1][-2:] == ["--server.address", "127.0.0.1"]


def good_auth(secret: str) -> str:
    return (
        "[auth]\n"
        'redirect_uri = "http://localhost:8501/oauth2callback"\n'
        f'cookie_secret = "{secret}"\n'
        'client_id = "customer-activity"\n'
        'client_secret = "not-a-secret"\n'
        'server_metadata_url = "http://localhost:9/.well-known/openid-configuration"\n'
    )


@pytest.mark.parametrize(
    ("text", "said"),
    [
        ('[auth]\ncookie_secret = "abc\n', "is not valid TOML"),
        (good_auth("k" * 40).replace("[auth]", "[Auth]"), "no [auth] section"),
        (good_auth("a long random string"), "cookie_secret is the example's"),
        (good_auth(""), "lacks cookie_secret"),
        (good_auth("k" * 31), "shorter than 32 bytes"),
        (good_auth("k" * 40).replace('client_id = "customer-activity"\n', ""), "lacks client_id"),
        ("[database]\nurl = 'x'\n", "no [auth] section"),
    ],
)
def test_an_unusable_secrets_file_stops_serve_in_one_line(started, tmp_path, capsys, text, said):
    path = tmp_path / "secrets.toml"
    path.write_text(text)
    assert cli.main(["serve", "--secrets.files", str(path)]) == 2
    assert started == []  # Streamlit never started: no demo mode
    lines = capsys.readouterr().err.strip().splitlines()
    assert len(lines) == 1 and lines[0].startswith("error: sign-in is misconfigured: ")
    assert said in lines[0] and str(path) in lines[0]


def test_a_secrets_file_named_but_missing_stops_serve(started, tmp_path, capsys):
    assert cli.main(["serve", f"--secrets.files={tmp_path / 'gone.toml'}"]) == 2
    assert started == [] and "no such secrets file" in capsys.readouterr().err


def test_a_usable_secrets_file_serves_as_configured(started, tmp_path, monkeypatch):
    path = tmp_path / "s.toml"  # where Streamlit looks by default, in this test
    path.write_text(good_auth("k" * 40))
    assert cli.main(["serve", "--server.port", "8600"]) == 0
    assert started == [["run", str(serve.APP), "--server.port", "8600"]]  # address untouched
    monkeypatch.setenv("CUSTOMER_ACTIVITY_SESSION_HOURS", "soon")
    assert cli.main(["serve"]) == 2


def test_the_command_line_reaches_streamlit_before_importing_the_data_libraries():
    """`python -m dashboard serve` reads dashboard.cli before Streamlit starts: importing
    polars, DuckDB and pyarrow there (0.6 s) delayed the server's start; the warm-up imports
    them once the server answers, while the browser loads the page."""
    code = (
        "import sys, dashboard.cli; "
        "print(sorted(m for m in ('polars', 'duckdb', 'pyarrow') if m in sys.modules))"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.strip() == "[]"
