"""The detail views through AppTest, as each kind of user, over the hand-made dataset."""

import csv
import io
import zipfile
from datetime import date

import openpyxl
import pyarrow as pa
import pytest
from streamlit.testing.v1 import AppTest

from dashboard import export
from dashboard.app import pages, results
from tests.app.conftest import charts, metrics, plain, texts

ADDITIONAL_CASES = pages.by_path("additional-cases").file
ADD_ONS = pages.by_path("add-ons").file
ASSESSMENTS = pages.by_path("assessments").file
CONTACTS = pages.by_path("contacts").file
CREDITS = pages.by_path("credits").file
EDUCATION = pages.by_path("education").file
PROOF = pages.by_path("proof-of-delivery").file
RENEWAL = pages.by_path("renewal").file
SUPPORT = pages.by_path("support").file

VIEWS = [page.file for page in pages.PAGES if page.section == "Details"]
USERS = ["u-cadmin", "u-wsadmin", "u-act", "u-viewall", "u-train", "u-group", "u-shared",
         "u-contact", "u-gadmin"]  # fmt: skip
LEARNERS = {"Ann Lee", "Bob Roe", "Cy Doe", "Di Poe", "Ed Lab", "Flo Lab", "Gil Lab"}


def view(app, page, user, **params):
    at = app(**{"as": user, **params})
    at.switch_page(page).run()
    assert not at.exception
    assert not at.error
    return at


def everything_shown(at) -> str:
    return "\n".join(df.value.to_csv() for df in at.dataframe) + texts(at)


@pytest.mark.parametrize("page", VIEWS)
@pytest.mark.parametrize("user", USERS)
def test_every_view_as_every_role(app, page, user):
    view(app, page, user)


@pytest.mark.parametrize(
    ("user", "names"),
    [
        ("u-cadmin", LEARNERS),
        ("u-wsadmin", {"Ann Lee", "Bob Roe", "Cy Doe", "Di Poe"}),
        ("u-train", {"Ed Lab", "Flo Lab", "Gil Lab"}),
        ("u-act", set()),
        ("u-viewall", set()),
        ("u-contact", set()),
        ("u-group", set()),
    ],
)
def test_learner_details_and_the_training_report_only_for_those_allowed(app, user, names):
    at = view(app, EDUCATION, user)
    shown = everything_shown(at)
    assert {n for n in LEARNERS if n in shown} == names
    assert ("@acme.example" in shown) == bool(names)
    reports = [b for b in at.get("download_button") if "Training report" in b.proto.label]
    assert len(reports) == (2 if names else 0)  # CSV and xlsx, or none


def test_education_counts_for_everyone(app):
    at = view(app, EDUCATION, "u-act")
    # E-EDU 5 seats, 3 used; E-BEDU 2 seats, 3 used (N5-N7)
    assert metrics(at)["Purchased (seats)"] == "7"
    assert metrics(at)["Used (seats)"] == "6"
    assert metrics(at)["Remaining (seats)"] == "1"
    by_course = at.dataframe[0].value
    assert dict(zip(by_course["course"], by_course["enrolled"], strict=True)) == {
        "Data 101": 3,
        "Intro to Cloud": 1,
        "Security Basics": 0,
    }
    assert "you see the counts above" in texts(at)


def test_support_view_counts_everything_and_lists_what_is_visible(app):
    at = view(app, SUPPORT, "u-contact")
    assert metrics(at)["Reactive hours"] == "16"  # K5 12 + K6 4, K6 hidden from Cole
    assert metrics(at)["Advisory hours"] == "0.5"  # K9
    assert "1 support request is hidden by your permissions" in texts(at)
    cases = at.dataframe[0].value
    assert sorted(cases["case_id"]) == ["K5", "K9"]
    # codes read as words: K9 an open advisory request, K5 a closed reactive one
    assert list(zip(cases["case_id"], cases["case_type"], cases["status"], strict=True)) == [
        ("K9", "Advisory", "Open"),
        ("K5", "Reactive", "Closed"),
    ]


def test_support_requests_hidden_are_said_in_a_caption_not_a_headline_figure(app):
    at = view(app, SUPPORT, "u-contact")
    assert not any("hidden" in label.lower() for label in metrics(at))
    captions = plain(" ".join(c.value for c in at.caption))
    assert "count every support request, including the 1 hidden by your permissions" in captions
    at = view(app, SUPPORT, "u-cadmin")  # sees every one: nothing said
    assert "including the" not in plain(" ".join(c.value for c in at.caption))


def test_support_view_delivered_hours(app):
    at = view(app, SUPPORT, "u-cadmin")
    assert metrics(at)["Proactive hours delivered"] == "35.5"  # D1 7.5 + D2 16 + D7 12
    deliveries = at.dataframe[1].value
    # what was delivered first, newest first: D7 06-01, D2 05-12, D1 02-10
    assert list(deliveries["title"]) == ["Workshop day 1", "Health check", "Security workshop"]
    assert list(deliveries["hours_delivered"]) == [12, 16, 7.5]


def test_support_view_lists_proactive_deliveries_one_status_at_a_time(app):
    at = view(app, SUPPORT, "u-cadmin")
    picker = at.segmented_control(key="proactive-status")
    assert picker.value == "delivered"
    assert picker.options == ["Delivered (3)", "Scheduled (2)", "Cancelled (1)"]
    picker.set_value("scheduled").run()
    assert not at.exception
    booked = at.dataframe[-1].value  # the last list on the page
    assert list(booked["title"]) == ["Workshop day 2", "Tuning session"]  # 07-20, 08-01
    assert "hours_delivered" not in booked.columns  # nothing delivered yet
    # the pick stays when the dates move, and the counts follow them
    at.date_input(key="f_from").set_value(date(2026, 7, 25)).run()
    picker = at.segmented_control(key="proactive-status")
    assert picker.value == "scheduled"
    assert picker.options == ["Delivered (0)", "Scheduled (1)", "Cancelled (0)"]
    assert list(at.dataframe[-1].value["title"]) == ["Tuning session"]
    picker.set_value("cancelled").run()
    assert "No cancelled proactive delivery in this selection." in texts(at)


def test_proactive_deliveries_are_looked_up_within_the_status_picked(app):
    at = view(app, SUPPORT, "u-cadmin")
    find = at.text_input(key="find-proactive_deliveries")
    assert find.placeholder == "A delivery number, or words of the title"
    find.input("workshop").run()
    assert list(at.dataframe[-1].value["title"]) == ["Workshop day 1", "Security workshop"]
    assert "Matching “workshop”: 2 of the deliveries made in this selection." in texts(at)
    at.segmented_control(key="proactive-status").set_value("scheduled").run()
    assert list(at.dataframe[-1].value["title"]) == ["Workshop day 2"]  # the search stays
    assert "Matching “workshop”: 1 of the deliveries booked in this selection." in texts(at)


def test_long_lists_show_their_first_rows_and_say_how_many(app, monkeypatch):
    monkeypatch.setattr(results, "LIST_ROWS", 3)
    at = view(app, SUPPORT, "u-cadmin", status="all")
    cases = at.dataframe[0].value
    assert list(cases["case_id"]) == ["K10", "K9", "K8"]  # the newest three of ten
    assert (
        "Showing the first 3 of 10 support requests, newest first; the download holds all 10"
        in texts(at)
    )
    labels = [b.proto.label for b in at.get("download_button")]
    assert "Download CSV (all 10)" in labels
    # the proactive deliveries listed first are those delivered: three, all shown
    assert "Download CSV" in labels


def test_a_long_list_downloads_whole_and_zipped_beyond_a_limit(app, downloads, monkeypatch):
    monkeypatch.setattr(results, "LIST_ROWS", 3)
    monkeypatch.setattr(
        "dashboard.query.dataset.BATCH_ROWS", 4
    )  # the CSV is written in parts of 4, 4 and 2
    # opened 06-20, 06-15, 06-01, 05-10 (07:00 UTC), 05-05, 04-20, 04-01, 03-15, 02-01, 01-10
    newest_first = ["K10", "K9", "K8", "K2", "K6", "K5", "K4", "K3", "K1", "K7"]
    at = view(app, SUPPORT, "u-cadmin", status="all")
    assert "Download CSV (all 10)" in [b.proto.label for b in at.get("download_button")]
    [name] = [n for n in downloads if n.startswith("support_requests")]
    assert name.endswith(".csv")
    listed = list(csv.DictReader(io.StringIO(downloads[name]().decode("utf-8-sig"))))
    assert [row["case_id"] for row in listed] == newest_first  # one header, every part
    assert {row["case_type"] for row in listed} == {"Reactive", "Advisory"}  # as on the page
    # beyond ZIP_ABOVE rows, the same CSV comes zipped, and the page says so
    monkeypatch.setattr("dashboard.app.tables.ZIP_ABOVE", 9)
    downloads.clear()
    at = view(app, SUPPORT, "u-cadmin", status="all")
    assert "Download CSV (all 10, zipped)" in [b.proto.label for b in at.get("download_button")]
    assert "the download holds all 10 (a zipped CSV)" in texts(at)
    [name] = [n for n in downloads if n.startswith("support_requests")]
    assert name.endswith(".zip")
    with zipfile.ZipFile(io.BytesIO(downloads[name]())) as archive:
        [member] = archive.namelist()
        assert member == name.removesuffix(".zip") + ".csv"
        text = archive.read(member).decode("utf-8-sig")
    assert [row["case_id"] for row in csv.DictReader(io.StringIO(text))] == newest_first


def test_a_list_is_looked_up_by_case_number_or_title_words(app, downloads, monkeypatch):
    at = view(app, SUPPORT, "u-cadmin", status="all")
    assert len(at.dataframe[0].value) == 10  # nothing typed: the whole list
    at.text_input(key="find-support_requests").input("lab  Lab").run()
    assert not at.exception
    assert list(at.dataframe[0].value["case_id"]) == ["K6", "K5"]
    assert "Matching “lab”: 2 of the support requests in this selection." in texts(at)
    assert "Download CSV" in [b.proto.label for b in at.get("download_button")]
    # the download holds what was found, and says so in its name
    [name] = [n for n in downloads if n.startswith("support_requests-lab")]
    listed = list(csv.DictReader(io.StringIO(downloads[name]().decode("utf-8-sig"))))
    assert [row["case_id"] for row in listed] == ["K6", "K5"]
    at.text_input(key="find-support_requests").input("k7").run()
    assert list(at.dataframe[0].value["case_id"]) == ["K7"]
    # more found than a page lists: counted, and the first ones shown
    monkeypatch.setattr(results, "LIST_ROWS", 3)
    at.text_input(key="find-support_requests").input("on").run()
    assert list(at.dataframe[0].value["case_id"]) == ["K9", "K8", "K6"]
    assert "Matching “on”: 5 of the support requests in this selection." in texts(at)
    assert "Showing the first 3, newest first; the download holds all 5." in texts(at)
    assert "Narrow the filters or the search to list fewer." in texts(at)
    # the search stays as the dates move, and follows them
    at.date_input(key="f_from").set_value(date(2026, 5, 1)).run()
    assert list(at.dataframe[0].value["case_id"]) == ["K9", "K8", "K6"]
    assert "Matching “on”: 3 of the support requests in this selection." in texts(at)
    at.text_input(key="find-support_requests").input("K7").run()  # opened 01-10
    assert not at.exception
    assert "None of the support requests you may see in this selection matches “K7”" in texts(at)
    assert "Only the activity dates picked are searched." in texts(at)
    at.button(key="every-date-support_requests").click().run()  # clears the dates
    assert at.date_input(key="f_from").value is None
    assert list(at.dataframe[0].value["case_id"]) == ["K7"]
    assert not at.button  # nothing left to clear
    at.text_input(key="find-support_requests").input("nothing like it").run()
    assert "None of the support requests you may see in this selection matches" in texts(at)
    assert "Only the activity dates picked" not in texts(at)  # none picked
    assert len(at.dataframe) == 1  # the proactive deliveries only: no empty grid
    assert not [n for n in downloads if "nothing" in n]


def test_a_search_is_kept_in_the_link_and_a_link_searches(app):
    at = view(app, SUPPORT, "u-cadmin", status="all")
    at.text_input(key="find-support_requests").input("lab").run()
    assert at.query_params["find-support_requests"] == "lab"  # beside the filters
    assert at.query_params["status"] == "all"
    at.text_input(key="find-support_requests").input("").run()
    assert "find-support_requests" not in at.query_params
    # a link with a search opens with it typed in the box, once
    at = view(app, SUPPORT, "u-cadmin", status="all", **{"find-support_requests": "lab"})
    assert at.text_input(key="find-support_requests").value == "lab"
    assert list(at.dataframe[0].value["case_id"]) == ["K6", "K5"]
    at.text_input(key="find-support_requests").input("").run()
    assert len(at.dataframe[0].value) == 10  # cleared, it stays cleared


def test_a_search_beyond_six_words_says_the_rest_were_left_out(app):
    at = view(app, SUPPORT, "u-cadmin", status="all")
    at.text_input(key="find-support_requests").input("lab on the production contract a zzz").run()
    assert list(at.dataframe[0].value["case_id"]) == ["K6"]  # "zzz", the seventh, left out
    assert "Titles were searched for the first 6 words only." in texts(at)


def test_additional_cases_are_looked_up_within_the_picks(app):
    at = view(app, ADDITIONAL_CASES, "u-cadmin")
    at.text_input(key="find-additional_cases").input("lab").run()
    assert list(at.dataframe[0].value["case_id"]) == ["K6", "K5"]
    at.selectbox(key="additional_service").select("SU").run()
    assert list(at.dataframe[0].value["case_id"]) == ["K5"]
    assert "Matching “lab”: 1 of the additional cases in this selection." in texts(at)


def test_contacts_view(app):
    at = view(app, CONTACTS, "u-act")
    assert metrics(at)["Contacts allowed"] == "3"
    assert metrics(at)["Named now"] == "2"
    assert metrics(at)["Places left"] == "1"
    roster = at.dataframe[0].value
    assert list(roster["name"]) == ["Cara Admin", "Walt Wsadmin", "Old Contact", "Removed Today"]


def test_assessments_view(app):
    at = view(app, ASSESSMENTS, "u-act")
    assert metrics(at)["Purchased (assessments)"] == "2"
    assert metrics(at)["Used (assessments)"] == "3"
    assert metrics(at)["Remaining (assessments)"] == "-1"
    assert sorted(at.dataframe[0].value["technology"]) == [
        "Azure",
        "Entra ID",
        "Networking",
        "SQL Server",
    ]
    listed = at.dataframe[0].value
    statuses = dict(zip(listed["name"], listed["status"], strict=True))
    assert statuses == {
        "Security assessment": "Completed",
        "Data assessment": "In progress",
        "Network assessment": "Cancelled",
        "Identity assessment": "Not started",
    }
    assert "Cancelled: 1 · Completed: 1 · In progress: 1 · Not started: 1" in texts(at)


def test_credits_view(app):
    at = view(app, CREDITS, "u-cadmin", status="all")
    per_package = at.dataframe[0].value
    assert list(per_package.columns[:3]) == ["contract_number", "package_name", "name"]
    rows = dict(zip(per_package["name"], per_package["remaining"], strict=True))
    assert rows == {"Proactive credits": 3, "Spring credits": 0, "Lab credits": 7}
    # the headline says what the table and the list say: credits are redeemed
    assert "Redeemed (credits)" in metrics(at) and "Used (credits)" not in metrics(at)
    history = at.dataframe[1].value
    assert list(history["balance"]) == [6, 7, 6, 0]  # D6 (scheduled), D11, D5, D9: latest first


def test_credits_with_dates_picked_list_those_days_and_keep_whole_balances(app):
    at = view(app, CREDITS, "u-cadmin", status="all", **{"from": "2026-05-01"})
    assert not at.exception
    history = at.dataframe[1].value
    assert list(history["balance"]) == [6, 7]  # D6 (D5 redeemed 4 in March, before) and D11
    [chart] = at.get("vega_lite_chart")
    drawn = [row for d in chart.proto.datasets
             for row in pa.ipc.open_stream(d.data.data).read_all().to_pylist()]  # fmt: skip
    lowest: dict[str, float] = {}
    for row in drawn:
        lowest[row["label"]] = min(lowest.get(row["label"], row["balance"]), row["balance"])
    # each line ends at its whole-term balance: 10 less 4 (E-CRD), 10 less 3, 5 less 5
    assert sorted(lowest.values()) == [0, 6, 7], lowest
    assert "whatever the dates picked" in texts(at)
    at = view(app, CREDITS, "u-cadmin", status="all", **{"from": "2026-07-20"})
    assert "No delivery against these credits in the dates picked." in texts(at)


def test_a_page_with_none_of_its_entitlements_shows_no_figures(app):
    at = view(app, CREDITS, "u-gadmin")  # C2 has one contract, K-G: no credits
    assert "No proactive credits in this selection." in texts(at)
    assert "No credits redeemed yet" not in texts(at)  # nothing to redeem: said once
    assert metrics(at) == {}


def test_additional_cases_drill_down(app):
    at = view(app, ADDITIONAL_CASES, "u-cadmin")
    assert plain(at.subheader[1].value) == "6 additional cases"
    at.session_state["reason_0_"] = {"selection": {"pick": [{"reason": "special_service"}]}}
    at.run()
    assert sorted(at.dataframe[0].value["case_id"]) == ["K5", "K7"]
    at.selectbox(key="additional_service").select("REC").run()
    assert list(at.dataframe[0].value["case_id"]) == ["K7"]
    # K7's contract K-OLD ended 2025-12-31 and its service is REC: two reasons, named in words
    assert list(at.dataframe[0].value["reasons"]) == ["Expired contract, Special service"]
    services = at.selectbox(key="additional_service").options
    assert "STD (3 support requests)" in services and "SU (1 support request)" in services


def test_additional_cases_drill_down_is_kept_in_the_link(app):
    at = view(app, ADDITIONAL_CASES, "u-cadmin")
    at.session_state["reason_0_"] = {"selection": {"pick": [{"reason": "special_service"}]}}
    at.run()
    at.selectbox(key="additional_service").select("REC").run()
    assert at.query_params["pick-reason"] in ("special_service", ["special_service"])
    assert at.query_params["pick-service"] in ("REC", ["REC"])
    # the same link in another session opens the same list, with a way to clear the pick
    again = view(app, ADDITIONAL_CASES, "u-cadmin",
                 **{"pick-reason": "special_service", "pick-service": "REC"})  # fmt: skip
    assert list(again.dataframe[0].value["case_id"]) == ["K7"]
    assert at.selectbox(key="additional_service").value == "REC"
    assert [b.label for b in again.button] == ["Clear selection"]
    again.button[0].click().run()
    assert sorted(again.dataframe[0].value["case_id"]) == ["K7"]  # the service stays picked
    again.selectbox(key="additional_service").select("").run()
    assert len(again.dataframe[0].value) == 6
    assert "pick-reason" not in again.query_params and "pick-service" not in again.query_params


def test_additional_case_reasons_are_named_in_words_and_picked_by_name(app):
    at = view(app, ADDITIONAL_CASES, "u-cadmin")
    [(spec, _rows)] = charts(at)
    [chart] = at.get("vega_lite_chart")
    [dataset] = [pa.ipc.open_stream(d.data.data).read_all() for d in chart.proto.datasets]
    shown = dict(zip(dataset["label"].to_pylist(), dataset["reason"].to_pylist(), strict=True))
    assert shown["Expired contract"] == "expired_contract"
    assert shown["Special service"] == "special_service"
    assert spec["encoding"]["y"]["field"] == "label"
    [pick] = spec["params"]
    assert pick["select"]["fields"] == ["reason"]  # what the list query takes
    assert "**Expired contract**: its contract had expired" in texts(at)


def test_additional_cases_for_a_viewer_who_sees_none(app):
    at = view(app, ADDITIONAL_CASES, "u-act")
    assert "No additional case that you may see" in texts(at)


def test_entitlement_detail_links_to_its_view(app):
    at = view(app, ADD_ONS, "u-cadmin", contract="K-A", status="all")
    at.session_state["addon_entitlement_0"] = {"selection": {"rows": [1], "columns": []}}
    at.run()
    links = [e.proto for e in at.get("page_link")]
    assert links and links[0].page.endswith("support")
    # E-WS, Workshops: 16 hours bought, 12 used, 8 booked, 4 over; written as the other figures
    figures = metrics(at)
    assert {k: figures[k] for k in figures if "(hours)" in k} == {
        "Purchased (hours)": "16", "Used (hours)": "12", "Scheduled (hours)": "8",
        "Remaining (hours)": "-4",
    }  # fmt: skip


def test_an_add_on_entitlement_picked_is_kept_in_the_link_and_can_be_cleared(app):
    at = view(app, ADD_ONS, "u-cadmin", contract="K-A", status="all")
    at.session_state["addon_entitlement_0"] = {"selection": {"rows": [1], "columns": []}}
    at.run()
    assert at.query_params["pick-entitlement"] in ("E-WS", ["E-WS"])
    # the link opens the same detail (E-WS: 16 hours bought), with a way to clear it
    again = view(app, ADD_ONS, "u-cadmin", contract="K-A", status="all",
                 **{"pick-entitlement": "E-WS"})  # fmt: skip
    assert metrics(again)["Purchased (hours)"] == "16"
    again.button(key="addon_clear").click().run()
    assert "Purchased (hours)" not in metrics(again)
    assert "pick-entitlement" not in again.query_params


def test_an_add_on_link_to_an_entitlement_not_listed_is_dropped(app):
    at = view(app, ADD_ONS, "u-cadmin", contract="K-A", status="all",
              **{"pick-entitlement": "E-REA"})  # an enterprise one: not an add-on's  # fmt: skip
    assert "Purchased (hours)" not in metrics(at)
    assert "pick-entitlement" not in at.query_params


def test_renewal_planning(app):
    at = view(app, RENEWAL, "u-cadmin")
    # active packages: E-WS, E-BEDU, E-ASM (overage), E-PRO, E-EDU run out; E-BREA, E-NREA,
    # E-ADV, E-CRD leave more than a fifth; E-REA and E-BCR are on track
    assert metrics(at)["Will run out before expiry"] == "5"
    assert metrics(at)["Will leave more than 20% unused"] == "4"
    assert metrics(at)["On track"] == "2"
    # E-ASM (-1), E-WS (-4: scheduled past purchased) and E-BEDU (-1) have nothing left
    assert "3 of the 5 that will run out have nothing left already" in texts(at)
    risks = at.dataframe[0].value
    assert list(risks["status"][:5]) == ["Will run out before expiry"] * 5
    pace = at.dataframe[1].value
    notes = dict(zip(pace["contract_number"] + " " + pace["name"], pace["pace_note"], strict=True))
    assert notes["CN-100 Reactive support"] == "Behind an even burn"  # E-REA, test_forecast.py
    assert notes["CN-100 Advisory support"] == "About even"  # E-ADV
    assert "burn rate is what was used per day over the last 90 days" in texts(at)
    assert len(at.get("vega_lite_chart")) == 2  # the timeline and one burn-down
    # the timeline shows the terms around the active ones, whatever the status picked, and
    # says so: P-OLD (2025, expired) and P-A3 (ended 2026-03-31) with the active status
    timeline = at.get("vega_lite_chart")[0].proto
    labels = {label for d in timeline.datasets
              for t in [pa.ipc.open_stream(d.data.data).read_all()] if "label" in t.column_names
              for label in t["label"].to_pylist()}  # fmt: skip
    assert {"CN-090 · Enterprise Support 2025", "CN-100 · Spring credits add-on"} <= labels
    assert "whatever the package status picked" in texts(at)


def test_burn_down_ends_where_the_figures_say(app):
    """E-ASM has used 3 (A1 and A2, dated, and A4, not started, with no date): the line ends
    at 3 on the as-of day, not at the 2 dated ones. A2 (2026-06-01) is the use in the last 90
    days: 1/90 a day (0.01 written with two decimals), for the 184 days to 2026-12-31, on top of
    3: 3 + 184/90 = 5.04..., written 5 (one decimal at most) of the 2 purchased."""
    at = view(app, RENEWAL, "u-cadmin")
    at.selectbox(key="burn_pick").set_value("E-ASM").run()
    assert not at.exception
    shown = texts(at)
    assert "0.01 assessments a day over the last 90 days" in shown
    assert "with 0 scheduled, 5 of 2 will have been used by 31 Dec 2026" in shown
    assert "1 of the 3 used so far has no date yet" in shown
    burn = at.get("vega_lite_chart")[-1].proto
    tables = [pa.ipc.open_stream(d.data.data).read_all() for d in burn.datasets]
    line = [t for t in tables if "series" in t.column_names and "Used" in t["series"].to_pylist()]
    assert line and max(line[0]["used"].to_pylist()) == 3
    # the purchased rule is named on the chart, not only in its tooltip
    named = [t["label"].to_pylist() for t in tables if "label" in t.column_names]
    assert named == [["Purchased: 2"]]


def test_renewal_planning_for_the_other_customer(app):
    at = view(app, RENEWAL, "u-gadmin")
    assert list(at.dataframe[0].value["name"]) == ["Globex reactive"]
    assert "nothing left already" not in texts(at)


def test_proof_of_delivery(app):
    at = view(app, PROOF, "u-cadmin", contract="K-A")
    totals = at.dataframe[0].value
    assert dict(zip(totals["category"], totals["quantity"], strict=True)) == {
        "Advisory support": 14, "On-demand assessments": 2, "Proactive credits": 9,
        "On-demand education": 3, "Proactive services": 36, "Reactive support": 39.5,
    }  # fmt: skip
    assert len(at.dataframe[1].value) == 15
    labels = [b.proto.label for b in at.get("download_button")]
    assert "Download xlsx (totals and items)" in labels


def test_proof_of_delivery_workbook_lists_at_most_a_workbook_of_items(app, downloads, monkeypatch):
    monkeypatch.setattr(export, "WORKBOOK_ROWS", 10)
    at = view(app, PROOF, "u-cadmin", contract="K-A")
    labels = [b.proto.label for b in at.get("download_button")]
    assert "Download xlsx (totals and the first 10 items)" in labels  # of 15
    [name] = [n for n in downloads if n.endswith(".xlsx")]
    book = openpyxl.load_workbook(io.BytesIO(downloads[name]()))
    assert book.sheetnames == ["Totals", "Delivered"]
    assert book["Delivered"].max_row == 1 + 10
    assert len(at.dataframe[1].value) == 15  # the page's list is not cut


def test_proof_of_delivery_is_looked_up_by_reference_or_item_words(app, downloads):
    at = view(app, PROOF, "u-cadmin", contract="K-A")
    find = at.text_input(key="find-proof_of_delivery")
    assert find.placeholder == "A reference, or words of the item"
    find.input("security").run()
    assert not at.exception
    assert list(at.dataframe[1].value["reference"]) == ["A1", "N4", "D1"]
    assert "Matching “security”: 3 of the items in this selection." in texts(at)
    assert len(at.dataframe[0].value) == 6  # the totals stay those of the whole contract
    # the list's CSV holds what was found; the workbook, the proof, every item
    [name] = [n for n in downloads if n.startswith("proof_of_delivery-security")]
    listed = list(csv.DictReader(io.StringIO(downloads[name]().decode("utf-8-sig"))))
    assert [row["reference"] for row in listed] == ["A1", "N4", "D1"]
    [book] = [n for n in downloads if n.endswith(".xlsx")]
    assert openpyxl.load_workbook(io.BytesIO(downloads[book]()))["Delivered"].max_row == 1 + 15
    at.text_input(key="find-proof_of_delivery").input("Q42").run()
    assert ("None of the items you may see in this selection matches “Q42”. A reference is "
            "found when typed whole; words of the item, anywhere in it.") in texts(at)  # fmt: skip


def test_proof_of_delivery_asks_for_one_contract(app):
    at = view(app, PROOF, "u-cadmin")
    assert "one contract at a time" in texts(at)


def test_empty_cells_show_a_dash_not_none(app):
    """A case still open has no closed_at: its cell shows '—', as every grid's empty cells do."""
    at = view(app, SUPPORT, "u-contact")
    cases = at.dataframe[0].value
    assert cases["closed_at"].isna().any()  # K9 is open
    assert all(frame.proto.placeholder == "—" for frame in at.dataframe)


def test_support_hours_by_month_name_the_kinds_of_support_as_enterprise_wide_does(app):
    at = view(app, SUPPORT, "u-cadmin")
    encodings = [spec.get("encoding", {}) for spec, _rows in charts(at)]
    [monthly] = [e for e in encodings if e.get("color", {}).get("field") == "status"]
    assert monthly["color"]["legend"]["values"] == ["Reactive support", "Advisory support"]
    assert {"field": "status", "type": "nominal", "title": "Support"} in monthly["tooltip"]


def test_enrollments_by_month_name_statuses_as_the_learners_list_does(app):
    at = view(app, EDUCATION, "u-cadmin", status="all")
    encodings = [spec.get("encoding", {}) for spec, _rows in charts(at)]
    [monthly] = [e for e in encodings if e.get("color", {}).get("field") == "status"]
    # N1 and N4 completed, N2 and N5 to N7 enrolled, N3 cancelled
    assert monthly["color"]["legend"]["values"] == ["Completed", "Enrolled", "Cancelled"]
    assert set(at.dataframe[-1].value["status"]) == {"Completed", "Enrolled", "Cancelled"}


def test_a_bar_is_labelled_by_its_entitlement_first(app):
    """What tells the bars apart comes first, so that a label cut short still names it."""
    at = view(app, EDUCATION, "u-cadmin", contract="K-A")
    shown = set()
    for chart in at.get("vega_lite_chart"):
        for part in chart.proto.datasets:
            rows = pa.ipc.open_stream(part.data.data).read_all()
            if "shown" in rows.column_names:
                shown |= set(rows["shown"].to_pylist())
    assert shown == {"On-demand education · Enterprise Support 2026 · CN-100"}  # E-EDU


def test_bars_of_the_same_entitlement_and_package_are_labelled_by_contract_first():
    """Three contracts each with "Seats" of "Enterprise 2026": cut short, labels starting with
    the entitlement would all read the same."""
    import polars as pl

    from dashboard.app.views.common import labelled

    same_names = pl.DataFrame({"name": ["Seats"] * 3, "package_name": ["Enterprise 2026"] * 3,
                               "contract_number": ["K-1", "K-2", "K-3"]})  # fmt: skip
    assert labelled(same_names)["label"].to_list() == [
        "K-1 · Seats · Enterprise 2026", "K-2 · Seats · Enterprise 2026",
        "K-3 · Seats · Enterprise 2026",
    ]  # fmt: skip
    one_contract = pl.DataFrame({"name": ["Reactive", "Workshops"],
                                 "package_name": ["Enterprise 2026", "Workshop add-on"],
                                 "contract_number": ["K-1", "K-1"]})  # fmt: skip
    assert labelled(one_contract)["label"].to_list() == [
        "Reactive · Enterprise 2026 · K-1", "Workshops · Workshop add-on · K-1",
    ]  # fmt: skip
    # the package differs, the names do not: the package first, then the rest in order
    two_packages = pl.DataFrame({"name": ["Hours", "Hours"], "package_name": ["A", "B"],
                                 "contract_number": ["K-1", "K-1"]})  # fmt: skip
    assert labelled(two_packages)["label"].to_list() == ["A · Hours · K-1", "B · Hours · K-1"]
    # everything differs: the contracts most (3), then names and packages (2 each), in order
    customer = pl.DataFrame({"name": ["Reactive", "Advisory", "Reactive"],
                             "package_name": ["Enterprise", "Enterprise", "Add-on"],
                             "contract_number": ["K-1", "K-2", "K-3"]})  # fmt: skip
    assert labelled(customer)["label"].to_list() == [
        "K-1 · Reactive · Enterprise", "K-2 · Advisory · Enterprise", "K-3 · Reactive · Add-on",
    ]  # fmt: skip


def test_labels_that_would_read_alike_where_they_are_cut_start_with_what_tells_them_apart():
    """Two contracts with the same three entitlements of the same package, and an add-on: the
    names differ most (4), but "Advisory support hours · Enterprise support 2026 · USC-…" is
    the same in both contracts for the 51 characters before the number, where the chart cuts
    its labels (at about 45); the contract first tells them apart within 18."""
    import polars as pl

    from dashboard.app.views.common import LABEL_SEEN, labelled

    names = ["Advisory support hours", "Proactive services hours", "Reactive support hours"]
    rows = pl.DataFrame({
        "name": [*names, *names, "Workshop hours"],
        "package_name": ["Enterprise support 2026"] * 6 + ["Workshop add-on"],
        "contract_number": ["USC-2026-37697"] * 3 + ["USC-2026-85445"] * 3 + ["USC-2026-37697"],
    })  # fmt: skip
    labels = labelled(rows)["label"].to_list()
    assert labels[0] == "USC-2026-37697 · Advisory support hours · Enterprise support 2026"
    assert labels[3] == "USC-2026-85445 · Advisory support hours · Enterprise support 2026"
    assert labels[6] == "USC-2026-37697 · Workshop hours · Workshop add-on"
    assert len({label[:LABEL_SEEN] for label in labels}) == len(labels)


def test_the_credit_balance_line_runs_from_purchase_to_the_as_of_day_or_the_end():
    from datetime import date

    import polars as pl

    from dashboard.app.views.credits import balance_line

    credits = pl.DataFrame(
        {
            "entitlement_id": ["E1", "E2", "E3"],
            "label": ["Ended", "Running", "Not started"],
            "purchased": [10.0, 20.0, 30.0],
            "start_date": [date(2026, 1, 1), date(2026, 3, 1), date(2026, 9, 1)],
            "end_date": [date(2026, 4, 30), date(2027, 2, 28), date(2027, 8, 31)],
        }
    )
    daily = pl.DataFrame(  # E1 redeemed 4 then 3; E2 redeemed 5 on the as-of day
        {
            "entitlement_id": ["E1", "E1", "E2"],
            "date": [date(2026, 2, 1), date(2026, 3, 1), date(2026, 6, 30)],
            "balance": [6.0, 3.0, 15.0],
            "redemptions": [1, 2, 1],
            "quantity": [4.0, 3.0, 5.0],
        }
    )
    line = balance_line(credits, daily, as_of=date(2026, 6, 30))
    points = {
        label: list(zip(rows["date"], rows["balance"], rows["quantity"], strict=True))
        for (label,), rows in line.partition_by("label", as_dict=True, maintain_order=True).items()
    }
    assert points == {
        # bought on the first day, two redemption days, then flat to the day it ended
        "Ended": [
            (date(2026, 1, 1), 10.0, 0.0),
            (date(2026, 2, 1), 6.0, 4.0),
            (date(2026, 3, 1), 3.0, 3.0),
            (date(2026, 4, 30), 3.0, 0.0),
        ],
        # the redemption on the as-of day is its last point, not doubled by the end point
        "Running": [(date(2026, 3, 1), 20.0, 0.0), (date(2026, 6, 30), 15.0, 5.0)],
        # a term not started: its first day only, never drawn back to the as-of day
        "Not started": [(date(2026, 9, 1), 30.0, 0.0)],
    }


def _totals(purchased: list[float | None], used: list[float], kinds: list[str] | None = None):
    """The figures and text `totals` draws for entitlements in seats of these purchased and
    used quantities (consumable unless `kinds` says otherwise), nothing scheduled."""

    def page(purchased, used, kinds) -> None:
        import polars as pl

        from dashboard.app.views.common import totals

        remaining = [None if p is None else p - u for p, u in zip(purchased, used, strict=True)]
        totals(pl.DataFrame({"kind": kinds, "purchased": purchased, "used": used,
                             "scheduled": [0.0] * len(used), "remaining": remaining},
                            schema_overrides={"purchased": pl.Float64, "remaining": pl.Float64}),
               "seats")  # fmt: skip

    kinds = kinds or ["consumable"] * len(used)
    at = AppTest.from_function(page, args=(purchased, used, kinds)).run()
    assert not at.exception
    return metrics(at), texts(at)


def test_use_without_a_limit_is_counted_apart_in_words():
    shown, text = _totals([10.0, None], [3.0, 4.0])
    assert shown["Used (seats)"] == "3" and shown["Remaining (seats)"] == "7"
    assert "Plus 4 seats used on 1 entitlement with no limit, not counted above." in text
    shown, text = _totals([10.0, None, None], [3.0, 4.0, 2.0])
    assert "Plus 6 seats used on 2 entitlements with no limit" in text
    shown, text = _totals([10.0], [3.0])
    assert "Plus" not in text


def test_with_no_limit_anywhere_the_figures_are_the_use_without_a_limit():
    """Not "0, 0, 0, —" and the use in a line under them."""
    shown, text = _totals([None, None], [4.0, 19.0])
    assert shown == {"Purchased (seats)": "No limit", "Used (seats)": "23",
                     "Scheduled (seats)": "0", "Remaining (seats)": "—"}  # fmt: skip
    assert "Plus" not in text


def test_benefits_alone_have_no_figures():
    assert _totals([None], [0.0], kinds=["benefit"]) == ({}, "")


@pytest.fixture(scope="module")
def with_benefits(tmp_path_factory):
    """The hand-made dataset, plus two benefits of P-A1 (K-A): "Community access" in seats, with
    one enrollment, N8 (K-A then has N1 to N4 on its seats, N3 cancelled, and N8 on the
    benefit); and "Customer success", proactive hours, with one delivery, D12 (4 hours booked,
    3.5 delivered on 2026-05-20)."""
    import shutil

    from dashboard.ingest.importer import import_dataset
    from tests.conftest import FIXTURE, FIXTURE_AS_OF

    base = tmp_path_factory.mktemp("benefit")
    src = base / "src"
    shutil.copytree(FIXTURE, src)
    with (src / "entitlements.csv").open("a", encoding="utf-8") as out:
        out.write("E-COM,P-A1,education,Community access,Community courses,benefit,seats,,\n")
    with (src / "enrollments.csv").open("a", encoding="utf-8") as out:
        out.write("N8,E-COM,Hal Lee,hal@acme.example,Community Day,2026-05-10,,enrolled\n")
    with (src / "entitlements.csv").open("a", encoding="utf-8") as out:
        out.write("E-CSM,P-A1,proactive,Customer success,Account management,benefit,hours,,\n")
    with (src / "deliveries.csv").open("a", encoding="utf-8") as out:
        out.write("D12,E-CSM,2026-05-20,Success review,4,3.5,delivered,K. Lee\n")
    import_dataset(src, base / "home", FIXTURE_AS_OF)
    return base / "home"


def test_enrollments_on_a_benefit_are_told_apart_from_the_seats_used(with_benefits, monkeypatch):
    from dashboard.ingest import data_home
    from tests.app.conftest import APP

    monkeypatch.setenv(data_home.ENV_VAR, str(with_benefits))
    at = AppTest.from_file(APP, default_timeout=30)
    at.query_params["as"], at.query_params["contract"] = "u-cadmin", "K-A"
    at.run().switch_page(EDUCATION).run()
    assert not at.exception
    # seats used: N1, N2 and N4 (N3 cancelled, N8 on the benefit); drawn: N1 to N4 and N8
    assert metrics(at)["Used (seats)"] == "3"
    assert ("Of these 5 enrollments, 1 is on a benefit (Community access) and not counted in "
            "the seats used.") in texts(at)  # fmt: skip
    by_course = at.dataframe[0].value
    assert dict(zip(by_course["course"], by_course["enrolled"], strict=True))["Community Day"] == 1


def test_deliveries_on_a_benefit_are_listed_and_not_counted_in_the_hours_delivered(
    with_benefits, monkeypatch
):
    from dashboard.ingest import data_home
    from tests.app.conftest import APP

    monkeypatch.setenv(data_home.ENV_VAR, str(with_benefits))
    at = AppTest.from_file(APP, default_timeout=30)
    at.query_params["as"] = "u-cadmin"
    at.run().switch_page(SUPPORT).run()
    assert not at.exception
    # D1 7.5 + D2 16 + D7 12, as without the benefit: D12's 3.5 hours are not summed
    [delivered] = [m for m in at.metric if m.label == "Proactive hours delivered"]
    assert delivered.value == "35.5"
    assert delivered.proto.help == (
        "3 deliveries made in the date range; 1 more on a benefit is listed below and not counted."
    )
    # listed with the others: D7 06-01, D12 05-20, D2 05-12, D1 02-10
    assert at.segmented_control(key="proactive-status").options[0] == "Delivered (4)"
    listed = at.dataframe[-1].value
    assert list(listed["title"]) == ["Workshop day 1", "Success review", "Health check",
                                     "Security workshop"]  # fmt: skip


def test_nothing_is_said_of_benefits_when_no_enrollment_is_on_one(app):
    at = view(app, EDUCATION, "u-cadmin")
    assert "benefit" not in texts(at)


def test_bars_are_told_apart_by_what_differs_among_the_bars_drawn():
    """Three contracts' "Seats" of "Enterprise", and "Open seats" with no limit, which is not
    drawn: the bars' labels start with the contract, not with the name they share."""

    def page() -> None:
        import polars as pl

        from dashboard.app.views.common import against_purchased, labelled

        against_purchased(labelled(pl.DataFrame({
            "name": ["Seats", "Seats", "Seats", "Open seats"],
            "package_name": ["Enterprise"] * 4, "contract_number": ["K-1", "K-2", "K-3", "K-1"],
            "category": ["education"] * 4, "kind": ["consumable"] * 4, "unit": ["seats"] * 4,
            "purchased": [5.0, 5.0, 5.0, None], "used": [1.0, 2.0, 3.0, 9.0],
            "scheduled": [0.0] * 4, "remaining": [4.0, 3.0, 2.0, None],
        })), "education seats")  # fmt: skip

    at = AppTest.from_function(page).run()
    assert not at.exception
    shown = set()
    for part in at.get("vega_lite_chart")[0].proto.datasets:
        rows = pa.ipc.open_stream(part.data.data).read_all()
        if "shown" in rows.column_names:
            shown |= set(rows["shown"].to_pylist())
    assert shown == {"K-1 · Seats · Enterprise", "K-2 · Seats · Enterprise",
                     "K-3 · Seats · Enterprise"}  # fmt: skip
