"""Charts in Polish (issue 36): titles, legends, tooltips, the values the charts name and the
notes they write in the catalogue's words (docs/GLOSSARY.md's terms), numbers as Polish writes
them, and the same charts in English again after. Expected words are the catalogue's; figures
are worked out by hand from the frames written here."""

from __future__ import annotations

import json
from datetime import date

import polars as pl
import vl_convert

from dashboard.app import charts
from dashboard.language import speaking

# a year no other test draws, so that no chart here is one cached by another test
JAN, FEB, MAR = date(2034, 1, 1), date(2034, 2, 1), date(2034, 3, 1)
NBSP = "\xa0"  # Polish groups thousands with a (no-break) space


def _rows(spec: dict, view: dict) -> list[dict]:
    return spec["datasets"][view["data"]["name"]]


def _tooltips(view: dict) -> list[str]:
    return [tip["title"] for tip in view["encoding"]["tooltip"]]


def _bars() -> pl.DataFrame:
    # reactive: 1,000 purchased, 1,234.5 used: over by 234.5; advisory: 50 purchased, 10 used,
    # 5 scheduled, 35 left
    return pl.DataFrame(
        {"category": ["reactive", "advisory"], "unit": ["hours"] * 2,
         "purchased": [1000.0, 50.0], "used": [1234.5, 10.0], "scheduled": [0.0, 5.0],
         "remaining": [-234.5, 35.0]}
    )  # fmt: skip


def test_consumption_bars_speak_polish():
    with speaking("pl"):
        spec = charts.consumption_bars(_bars()).spec()
    bars, marks, notes = spec["layer"]
    colour = bars["encoding"]["color"]
    assert colour["legend"]["values"] == [
        "Wykorzystano",
        "Zaplanowano",
        "Pozostało",
        "Przekroczenie",
    ]
    assert colour["scale"]["domain"] == [
        "Wykorzystano", "Zaplanowano", "Pozostało", "Przekroczenie", "Bez limitu"
    ]  # fmt: skip
    assert {r["measure"] for r in _rows(spec, bars)} == set(colour["legend"]["values"])
    assert {r["shown"] for r in _rows(spec, bars)} == {"Wsparcie reaktywne", "Wsparcie doradcze"}
    assert bars["encoding"]["x"]["title"] == "godziny"
    assert _tooltips(bars) == [
        "Kategoria", "Część", "Godziny", "Zakupiono", "Wykorzystano łącznie", "Pozostało",
        "Przekroczono o",
    ]  # fmt: skip
    assert _tooltips(marks) == ["Zakupiono", "Godziny"]
    expression = next(t["calculate"] for t in notes["transform"] if t["as"] == "note")
    assert expression.startswith("'przekroczono o ' + format(datum.over_by")
    assert spec["config"]["locale"]["number"]["decimal"] == ","


def test_polish_bars_are_drawn_with_polish_numbers():
    with speaking("pl"):
        spec = charts.consumption_bars(_bars()).spec()
    svg = vl_convert.vegalite_to_svg(json.dumps({**spec, "width": 600}))
    assert "przekroczono o 234,5" in svg  # the note, with a decimal comma
    assert f"1{NBSP}000" in svg or "1&#160;000" in svg  # an axis tick, grouped the Polish way
    assert "1,000" not in svg and "over by" not in svg


def test_the_burn_down_speaks_polish():
    # 10.5 purchased; 12 used by 15 Feb: past it by 1.5; 17 projected by 1 Mar: past by 6.5
    actual = pl.DataFrame(
        {"day": [JAN, FEB, date(2034, 2, 15)], "used": [0.0, 6.0, 12.0], "series": ["Used"] * 3}
    )
    ahead = pl.DataFrame(
        {"day": [date(2034, 2, 15), MAR], "used": [12.0, 17.0], "series": ["Projected"] * 2}
    )
    band = pl.DataFrame(
        {"day": [date(2034, 2, 15), MAR], "low": [12.0, 14.0], "high": [12.0, 20.0],
         "runs_out": ["1 – 9 marca 2034"] * 2, "per_day": ["0,1 – 0,3"] * 2}
    )  # fmt: skip
    with speaking("pl"):
        spec = charts.burn_down(actual, ahead, 10.5, "hours", band).spec()
    area, used, projected, bought, named, _used_over, _ahead_over, notes = spec["layer"]
    assert area["encoding"]["fill"]["scale"]["domain"] == ["Przedział 80%"]
    assert _tooltips(area) == ["Przedział", "Wyczerpie się", "Wykorzystanie dziennie"]
    assert used["encoding"]["color"]["scale"]["domain"] == ["Wykorzystano", "Prognoza"]
    # the lines the page gives in English are named in Polish, as the legend names them
    assert {r["series"] for r in _rows(spec, used)} == {"Wykorzystano"}
    assert {r["series"] for r in _rows(spec, projected)} == {"Prognoza"}
    assert used["encoding"]["y"]["title"] == "wykorzystane godziny"
    assert _tooltips(used) == ["Dzień", "Linia", "Godziny"]
    assert [r["label"] for r in _rows(spec, named)] == ["Zakupiono: 10,5"]
    assert [r["note"] for r in _rows(spec, notes)] == [
        "przekroczono o 1,5",
        "przekroczono o 6,5 przy tym tempie",
    ]


def test_renewals_and_terms_speak_polish():
    contracts = pl.DataFrame(
        {"customer_name": ["Acme", "Acme", "Beta"], "contract_number": ["K1", "K2", "K3"],
         "name": ["A", "B", "C"], "start_date": [JAN] * 3,
         "end_date": [date(2034, 12, 31), date(2034, 3, 1), date(2035, 6, 30)],
         "days_left": [334, 28, 515], "renewed": [True, False, False],
         "renewed_by": ["K9", None, None]}
    )  # fmt: skip
    with speaking("pl"):
        spec = charts.renewal_timeline(contracts, FEB, 12).spec()
    bars = spec["layer"][1]
    drawn = {r["contract"]: (r["renewal"], r["renewed_by"]) for r in _rows(spec, bars)}
    assert drawn == {
        "Acme · K1": ("Odnowiona", "K9"),
        "Acme · K2": ("Wkrótce wygasa, nieodnowiona", "Nieodnowiona"),  # 28 days left
        "Beta · K3": ("Nieodnowiona", "Nieodnowiona"),
    }
    scale = bars["encoding"]["color"]["scale"]
    assert dict(zip(scale["domain"], scale["range"], strict=True)) == {
        "Wkrótce wygasa, nieodnowiona": charts.OVERAGE,
        "Nieodnowiona": "#5E4FA2",
        "Odnowiona": "#ADA8D4",
    }
    assert _tooltips(bars) == [
        "Umowa", "Nazwa", "Początek", "Koniec", "Pozostało dni", "Odnowiona przez"
    ]  # fmt: skip
    assert _tooltips(spec["layer"][2]) == ["Stan na"]
    terms = pl.DataFrame(
        {"label": ["P1", "P2", "P3"], "start_date": [JAN, MAR, date(2033, 1, 1)],
         "end_date": [date(2034, 12, 31), date(2035, 2, 28), date(2033, 12, 31)],
         "state": ["active", "upcoming", "expired"], "days_left": [333, 392, -32]}
    )  # fmt: skip
    with speaking("pl"):
        spec = charts.timeline(terms, FEB).spec()
    bars = spec["layer"][0]
    assert {(r["label"], r["state"]) for r in _rows(spec, bars)} == {
        ("P1", "Aktywny"),
        ("P2", "Nadchodzący"),
        ("P3", "Wygasły"),
    }
    assert bars["encoding"]["color"]["scale"]["domain"] == ["Aktywny", "Nadchodzący", "Wygasły"]
    assert _tooltips(bars) == ["Pakiet", "Początek", "Koniec", "Pozostało dni"]


def test_months_by_category_and_by_status_speak_polish():
    months = pl.DataFrame(
        {"month": [JAN, MAR], "category": ["reactive", "advisory"], "unit": ["hours"] * 2,
         "amount": [2.5, 1.0]}
    )  # fmt: skip
    statuses = pl.DataFrame(
        {"month": [JAN, FEB], "status": ["Ukończono", "Wsparcie reaktywne"],
         "count": [3, 1]}
    )  # fmt: skip
    with speaking("pl"):
        monthly = charts.monthly_consumption(months).spec()
        by_status = charts.monthly_by_status(statuses, "count", "zapisy").spec()
    assert monthly["encoding"]["y"]["title"] == "godziny"
    assert _tooltips(monthly) == ["Miesiąc", "Kategoria", "Godziny"]
    assert (
        "'reactive' ? 'Wsparcie reaktywne'" in monthly["encoding"]["color"]["legend"]["labelExpr"]
    )
    assert {r["shown"] for r in monthly["datasets"][monthly["data"]["name"]]} == {
        "Wsparcie reaktywne",
        "Wsparcie doradcze",
    }
    colour = by_status["encoding"]["color"]
    assert colour["legend"]["values"] == ["Wsparcie reaktywne", "Ukończono"]  # in palette order
    colours = dict(zip(colour["scale"]["domain"], colour["scale"]["range"], strict=True))
    assert colours["Ukończono"] == "#5E4FA2"
    assert colours["Wsparcie reaktywne"] == charts.CATEGORY_PALETTE["reactive"]
    assert _tooltips(by_status) == ["Miesiąc", "Status", "Zapisy"]


def test_a_chart_drawn_in_polish_is_english_again_in_english():
    recipe = charts.consumption_bars(_bars())
    with speaking("pl"):
        polish = recipe.spec()
    english = recipe.spec()
    assert polish["layer"][0]["encoding"]["x"]["title"] == "godziny"
    legend = english["layer"][0]["encoding"]["color"]["legend"]["values"]
    assert legend == ["Used", "Scheduled", "Remaining", "Overage"]
    assert english["layer"][0]["encoding"]["x"]["title"] == "hours"
    assert "locale" not in english["config"]
