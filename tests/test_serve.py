"""`python -m dashboard serve`: Streamlit's server, with the first page's work done as it starts."""

import logging
import subprocess
import sys

from dashboard import cli, location, serve, session


def test_warm_up_opens_the_live_dataset_a_first_visitor_would_open(tiny_home, monkeypatch):
    monkeypatch.setenv(location.ENV_VAR, str(tiny_home))
    monkeypatch.setattr(serve, "_server_started", lambda: None)
    opened = []
    monkeypatch.setattr(session, "_open", lambda folder: opened.append(folder))
    serve.warm_up()
    assert opened == [str(location.current_dataset(tiny_home))]


def test_warm_up_does_streamlits_once_per_process_check_before_the_first_page(monkeypatch):
    from streamlit import delta_generator

    monkeypatch.setattr(serve, "_server_started", lambda: None)
    monkeypatch.setattr(session, "_open", lambda folder: None)
    monkeypatch.setattr(delta_generator, "_use_warning_has_been_displayed", False)
    serve.warm_up()
    assert delta_generator._use_warning_has_been_displayed  # the first page will not do it


def test_warm_up_builds_the_shape_of_the_first_bars_enterprise_wide_draws(monkeypatch):
    import polars as pl

    from dashboard import charts

    monkeypatch.setattr(serve, "_server_started", lambda: None)
    monkeypatch.setattr(session, "_open", lambda folder: None)
    charts._skeleton.cache_clear()
    charts.forget_specs()
    serve.warm_up()
    warmed = charts._skeleton.cache_info()
    # a customer's hours: 30 of 100 used, 5 more on an entitlement with no purchased quantity
    hours = pl.DataFrame(
        {"category": ["advisory", "reactive"], "unit": ["hours", "hours"],
         "purchased": [None, 100.0], "used": [5.0, 30.0], "scheduled": [0.0, 0.0],
         "remaining": [None, 70.0], "used_without_limit": [5.0, 0.0],
         "scheduled_without_limit": [0.0, 0.0]}
    )  # fmt: skip
    spec = charts.consumption_bars(hours).spec()
    after = charts._skeleton.cache_info()
    assert (after.hits, after.misses) == (warmed.hits + 1, warmed.misses)  # built by the warm-up
    bars = spec["datasets"][spec["layer"][0]["data"]["name"]]
    assert {(r["category"], r["measure"]): r["amount"] for r in bars}[("reactive", "Used")] == 30


def test_warm_up_leaves_a_missing_dataset_to_the_page(tmp_path, monkeypatch, caplog):
    monkeypatch.setenv(location.ENV_VAR, str(tmp_path / "nothing here"))
    monkeypatch.setattr(serve, "_server_started", lambda: None)
    with caplog.at_level(logging.INFO, logger="customer_activity"):
        serve.warm_up()  # does not raise
    assert "warming up" in caplog.text and "nothing here" in caplog.text


def test_serve_runs_the_app_with_streamlits_own_options(monkeypatch):
    from streamlit.web import cli as streamlit_cli

    calls = []
    monkeypatch.setattr(streamlit_cli, "main", lambda args, prog_name: calls.append(args) or 0)
    monkeypatch.setattr(serve, "warm_up", lambda: None)  # no real server here to wait for
    assert cli.main(["serve", "--server.port", "8600", "--server.headless", "true"]) == 0
    assert calls == [["run", str(serve.APP), "--server.port", "8600", "--server.headless", "true"]]
    assert serve.APP.name == "app.py" and serve.APP.is_file()


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
