"""A chart's drill-down kept in the link: what clicks on a chart's bars picked is
`pick-<name>=value` in the URL, so that a copied link opens the same list under the chart, and
a button clears it.

A chart opened from a link is drawn with the link's picks selected. Streamlit reports a chart's
selection only once it is clicked, so the picks stay the link's until then."""

from __future__ import annotations

from collections.abc import Iterable

import streamlit as st

PREFIX = "pick-"
_LINK = "drill_down_link"  # what the link the session opened with picked, by drill-down


def remember_link_picks() -> None:
    """Keep what the link a session opens with picks, before the sidebar writes the link afresh
    (each drill-down takes its own the first time it is drawn)."""
    if _LINK not in st.session_state:
        st.session_state[_LINK] = {
            key.removeprefix(PREFIX): tuple(st.query_params.get_all(key))
            for key in st.query_params
            if key.startswith(PREFIX)
        }


def linked_picks(name: str) -> tuple[str, ...]:
    """What the session's link picked for `name`, once (a picker drawn again keeps its own)."""
    return st.session_state.get(_LINK, {}).pop(name, ())


def keep_in_link(name: str, values: list[str]) -> None:
    """`values` as what `name` picks in the link; none: not in the link."""
    if values:
        st.query_params[PREFIX + name] = values
    else:
        st.query_params.pop(PREFIX + name, None)


class DrillDown:
    """The picks of the charts named `name` on a page: `charts` chart keys, each of which may
    pick among `allowed` values (values a link names that are not among them are dropped)."""

    def __init__(self, name: str, allowed: Iterable[str]) -> None:
        self.name = name
        self.state = st.session_state.setdefault(f"drill_down_{name}", {"version": 0})
        if "picks" not in self.state:  # the first time on this page: the link's picks
            linked = linked_picks(name)
            allowed = set(allowed)
            self.state["picks"] = {"": tuple(sorted(v for v in linked if v in allowed))}
            self.state["initial"] = self.state["picks"][""]
            self.state["seen"] = {}

    def key(self, part: str = "") -> str:
        """The widget key of one of the drill-down's charts (a new one after each clear)."""
        return f"{self.name}_{self.state['version']}_{part}"

    @property
    def initial(self) -> tuple[str, ...]:
        """The picks a chart is drawn with, selected, before it is clicked."""
        return self.state["initial"]

    def clicked(self, part: str, values: Iterable[str]) -> None:
        """What Streamlit reports one of the charts (`part`) selects now."""
        values = tuple(sorted(values))
        seen = self.state["seen"].get(part)
        self.state["seen"][part] = values
        if seen is None and not values:
            return  # drawn, not clicked yet: the link's picks stand
        if seen != values:  # clicked: its picks replace what the link (or it) picked
            self.state["picks"].pop("", None)
            self.state["picks"][part] = values

    @property
    def picks(self) -> list[str]:
        """Every value picked on the page's charts, in the link too."""
        every = sorted({v for values in self.state["picks"].values() for v in values})
        keep_in_link(self.name, every)
        return every

    def clear(self) -> None:
        """Forget every pick: new, unclicked charts, and none in the link."""
        self.state["version"] += 1
        self.state["picks"], self.state["seen"], self.state["initial"] = {}, {}, ()
        keep_in_link(self.name, [])
