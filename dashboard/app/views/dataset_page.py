"""The dataset page: what the app is reading, and as of when. How big each table is stays off
it: the sizes are of every customer's data together, which is for the dataset's operators
(`python -m dashboard check` says them), not for any one customer or account manager."""

import streamlit as st

from dashboard.app.live_dataset import live_dataset
from dashboard.app.views.common import figure_row
from dashboard.formats import day, moment
from dashboard.language import _
from dashboard.text import inert


def missing(problem: str) -> None:
    """What is wrong with the dataset, and the commands (`quoted` in `problem`) that fix it,
    ready to copy."""
    st.title(_("Customer Activity"))
    parts = problem.split("`")
    said = _("No dataset to show: {problem}.").format(problem="".join(parts))
    st.error(inert(said), icon=":material/error:")
    commands = parts[1::2]
    if commands:
        st.caption(_("To put it right, run one of these where the app is installed:"))
        for command in commands:
            st.code(command, language="bash")


def built(created_at: object, zone: str | None = None) -> str:
    """When the dataset was written, as a reader says it: 29 Nov 2026, 10:54 CET (in `zone`,
    the reader's; UTC when it is not known)."""
    try:
        return moment(str(created_at), zone)
    except ValueError:  # not a time: shown as it is written
        return inert(str(created_at))


def render() -> None:
    st.title(_("About the data"))
    dataset = live_dataset()
    manifest = dataset.manifest
    made = built(manifest["created_at"], st.context.timezone)
    st.caption(_("Data as of **{day}**, built {made}").format(day=day(dataset.as_of), made=made))
    row = figure_row()
    row.metric(_("As of"), day(dataset.as_of))
    # a long id in small type: as a figure it was cut short on a phone
    st.caption(_("Version: `{version}`").format(version=dataset.version))
    st.write(
        _(
            "Every figure in the app is worked out from this one dataset, as it stood on the "
            "as-of day: entitlements, deliveries and support requests after that day are not in "
            "it yet. A new dataset is picked up at the next click, once it has been imported "
            "whole."
        )
    )


if __name__ == "__main__":
    render()
