"""The dataset page: what the app is reading, and as of when. How big each table is stays off
it: the sizes are of every customer's data together, which is for the dataset's operators
(`python -m dashboard check` says them), not for any one customer or account manager."""

import streamlit as st

from dashboard.app.live_dataset import live_dataset
from dashboard.app.views.common import figure_row
from dashboard.formats import day, moment
from dashboard.text import inert


def missing(problem: str) -> None:
    """What is wrong with the dataset, and the commands (`quoted` in `problem`) that fix it,
    ready to copy."""
    st.title("Customer Activity")
    parts = problem.split("`")
    st.error(inert(f"No dataset to show: {''.join(parts)}."), icon=":material/error:")
    commands = parts[1::2]
    if commands:
        st.caption("To put it right, run one of these where the app is installed:")
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
    st.title("About the data")
    dataset = live_dataset()
    manifest = dataset.manifest
    made = built(manifest["created_at"], st.context.timezone)
    st.caption(f"Data as of **{day(dataset.as_of)}**, built {made}")
    row = figure_row()
    row.metric("As of", day(dataset.as_of))
    row.metric("Version", dataset.version)
    st.write(
        "Every figure in the app is worked out from this one dataset, as it stood on the as-of "
        "day: entitlements, deliveries and support requests after that day are not in it yet. "
        "A new dataset is picked up at the next click, once it has been imported whole."
    )


if __name__ == "__main__":
    render()
