"""Imported first by the app, once per process: the libraries that other libraries import
lazily, from inside a page.

Streamlit runs each session's page in a thread of its own. When the first sessions of a fresh
server draw their first charts at the same time, several threads import pandas (which Altair
imports lazily) at once; Python's import locks then hand one of them the half-initialised
module ("partially initialized module 'pandas' has no attribute 'Timestamp'"), and that page
fails. Importing them here, under this module's lock, means the first session imports them
while the others wait.
"""

import altair  # noqa: F401
import pandas  # noqa: F401
import pyarrow  # noqa: F401
import pyarrow.compute  # noqa: F401
