"""Imported first by the app, once per process: the libraries that other libraries import
lazily, from inside a page.

Streamlit runs each session's page in a thread of its own. When the first sessions of a fresh
server draw their first charts at the same time, several threads may import the same library
at once; Python's import locks then hand one of them the half-initialised module (it was seen
as "partially initialized module 'pandas' has no attribute 'Timestamp'"), and that page fails.
Importing them here, under this module's lock, means the first session imports them while the
others wait.

pandas is not among them: the pages hand Streamlit Arrow tables (`chart_specs._table`,
`tables.grid`), so the app does not import it at all: a server holds less memory and starts
sooner. tests/e2e/test_no_pandas.py checks that.
"""

import altair  # noqa: F401
import pyarrow  # noqa: F401
import pyarrow.compute  # noqa: F401
