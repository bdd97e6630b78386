"""On-demand education: seats against purchased, enrollments over time and by course, and the
training report for those who may see learners."""

from __future__ import annotations

import polars as pl
import streamlit as st

from dashboard import export
from dashboard.app import charts
from dashboard.app.results import Context, page_context
from dashboard.app.tables import download, download_document, grid
from dashboard.app.views.common import against_purchased, entitlements_of, scope_line, totals
from dashboard.formats import number
from dashboard.language import _, ngettext
from dashboard.text import inert


def render(ctx: Context) -> None:
    st.title(_("On-demand education"))
    scope_line(ctx)
    seats = entitlements_of(ctx, "education")
    totals(seats, "seats")
    against_purchased(seats, _("No education seats with a purchased quantity in this selection."))
    enrollments_over_time(ctx)
    by_course(ctx)
    learners(ctx)


def enrollments_over_time(ctx: Context) -> None:
    st.subheader(_("Enrollments by month"))
    monthly = ctx.run("enrollments_by_month")
    if monthly.is_empty():
        st.info(_("No enrollment in this date range."))
        return
    named = export.named(monthly)  # statuses in words, as the learners list below names them
    chart = charts.monthly_by_status(named, "enrollments", _("enrollments"))
    charts.draw(chart, width="stretch")
    on_benefits(ctx.run("enrollments_by_course"))


def on_benefits(courses: pl.DataFrame) -> None:
    """Say how many of the enrollments drawn are on benefits, which count against no seats:
    otherwise the seats used above and the enrollments drawn do not add up."""
    benefits = courses.filter(pl.col("kind") == "benefit")
    if benefits.is_empty():
        return
    names = ", ".join(sorted(benefits.get_column("entitlement").unique()))
    on = int(benefits.get_column("enrollments").sum())
    every = int(courses.get_column("enrollments").sum())
    of = ngettext("Of these {n} enrollment", "Of these {n} enrollments", every)
    if benefits.get_column("entitlement").n_unique() == 1:
        said = ngettext(
            "{of_these}, {n} is on a benefit ({names}) and not counted in the seats used.",
            "{of_these}, {n} are on a benefit ({names}) and not counted in the seats used.",
            on,
        )
    else:
        said = ngettext(
            "{of_these}, {n} is on benefits ({names}) and not counted in the seats used.",
            "{of_these}, {n} are on benefits ({names}) and not counted in the seats used.",
            on,
        )
    of_these = of.format(n=number(every))
    st.caption(inert(said.format(of_these=of_these, n=number(on), names=names)))


def by_course(ctx: Context) -> None:
    st.subheader(_("Enrollments by course"))
    courses = ctx.run("enrollments_by_course")
    if courses.is_empty():
        return
    per_status = courses.group_by("course", "status", maintain_order=True).agg(
        pl.col("enrollments").sum()
    )
    shown = per_status.pivot("status", index="course", values="enrollments").fill_null(0)
    grid(shown)
    download(shown, "enrollments_by_course", ctx)


def learners(ctx: Context) -> None:
    st.subheader(_("Learners"))
    report = ctx.run("training_report")
    if report.is_empty():
        enrollments = ctx.run("enrollments")
        st.caption(
            _(
                "Learner names and e-mails are shown to customer admins, workspace admins and "
                "training managers of the workspace; you see the counts above."
            )
        )
        if enrollments.height:
            st.write(in_selection(enrollments.height))
        return
    if report.height < ctx.run("enrollments").height:
        st.caption(_("Only the learners of the workspaces where you may see learners are listed."))
    grid(report)
    left, right = st.columns([1, 4])
    with left:
        download(report, "training_report", ctx, label=_("Training report (CSV)"))
    with right:
        download_document(
            lambda: export.xlsx_bytes(report, sheet=_("training report")),
            "training_report",
            ctx,
            _("Training report (xlsx)"),
        )


def in_selection(enrollments: int) -> str:
    """How many enrollments the selection holds, for one who may not see them listed."""
    return ngettext(
        "{n} enrollment in this selection.", "{n} enrollments in this selection.", enrollments
    ).format(n=number(enrollments))


render(page_context())
