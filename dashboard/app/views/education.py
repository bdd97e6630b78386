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
from dashboard.formats import count
from dashboard.text import inert


def render(ctx: Context) -> None:
    st.title("On-demand education")
    scope_line(ctx)
    seats = entitlements_of(ctx, "education")
    totals(seats, "seats")
    against_purchased(seats, "education seats")
    enrollments_over_time(ctx)
    by_course(ctx)
    learners(ctx)


def enrollments_over_time(ctx: Context) -> None:
    st.subheader("Enrollments by month")
    monthly = ctx.run("enrollments_by_month")
    if monthly.is_empty():
        st.info("No enrollment in this date range.")
        return
    named = export.named(monthly)  # statuses in words, as the learners list below names them
    charts.draw(charts.monthly_by_status(named, "enrollments", "enrollments"), width="stretch")
    on_benefits(ctx.run("enrollments_by_course"))


def on_benefits(courses: pl.DataFrame) -> None:
    """Say how many of the enrollments drawn are on benefits, which count against no seats:
    otherwise the seats used above and the enrollments drawn do not add up."""
    benefits = courses.filter(pl.col("kind") == "benefit")
    if benefits.is_empty():
        return
    names = ", ".join(sorted(benefits.get_column("entitlement").unique()))
    on = benefits.get_column("enrollments").sum()
    of = count(courses.get_column("enrollments").sum(), "enrollment")
    which = "a benefit" if benefits.get_column("entitlement").n_unique() == 1 else "benefits"
    verb = "is" if on == 1 else "are"
    said = f"Of these {of}, {on:,} {verb} on {which} ({names}) and not counted in the seats used."
    st.caption(inert(said))


def by_course(ctx: Context) -> None:
    st.subheader("Enrollments by course")
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
    st.subheader("Learners")
    report = ctx.run("training_report")
    if report.is_empty():
        enrollments = ctx.run("enrollments")
        st.caption(
            "Learner names and e-mails are shown to customer admins, workspace admins and "
            "training managers of the workspace; you see the counts above."
        )
        if enrollments.height:
            st.write(f"{enrollments.height} enrollments in this selection.")
        return
    if report.height < ctx.run("enrollments").height:
        st.caption("Only the learners of the workspaces where you may see learners are listed.")
    grid(report)
    left, right = st.columns([1, 4])
    with left:
        download(report, "training_report", ctx, label="Training report (CSV)")
    with right:
        download_document(
            lambda: export.xlsx_bytes(report, sheet="training report"),
            "training_report",
            ctx,
            "Training report (xlsx)",
        )


render(page_context())
