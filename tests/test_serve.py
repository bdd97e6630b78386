"""`python -m dashboard serve`: Streamlit's server, with the first page's work done as it starts."""

import logging

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
