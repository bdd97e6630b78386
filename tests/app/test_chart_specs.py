"""Every chart the pages draw is a valid Vega-Lite spec.

Pages draw charts unchecked (charts.draw, for speed); this is where they are checked against
the schema, with the data the hand-made dataset gives each page.
"""

import pytest

from dashboard import charts

PAGES = [
    ("views/enterprise.py", {}),
    ("views/addons.py", {"contract": "K-A"}),
    ("views/renewal.py", {"status": "all"}),
    ("views/support.py", {}),
    ("views/education.py", {}),
    ("views/assessments.py", {}),
    ("views/credits.py", {"status": "all"}),
    ("views/additional_cases.py", {}),
]


@pytest.mark.parametrize(("page", "params"), PAGES)
def test_every_chart_on_the_page_is_valid_vega_lite(app, monkeypatch, page, params):
    drawn: list[charts.Recipe] = []
    original = charts.draw

    def draw(chart, place=None, **options):
        drawn.append(chart)
        return original(chart, place, **options)

    monkeypatch.setattr(charts, "draw", draw)
    at = app(**{"as": "u-cadmin", **params})
    at.switch_page(page).run()
    assert not at.exception
    assert drawn, f"{page} drew no chart"
    for recipe in drawn:
        spec = recipe.chart().to_dict(validate=True)  # raises on what Vega-Lite would not take
        assert "config" not in spec or "continuousWidth" not in spec["config"].get("view", {})
