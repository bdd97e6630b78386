"""What the server says over a page's WebSocket, read by the benchmark's browser."""

from __future__ import annotations


class FinishedRuns:
    """The script runs the server has said it finished, over the page's WebSocket: whole runs,
    and a fragment's runs (a chart's selection may rerun only its own section). A fast run can
    be over before the page ever shows it running, so the page's own state says nothing
    reliable about whether a click's run has been and gone. Also the size of every table the
    server sent since `tables` was last emptied: what a bare page of the same shape draws."""

    def __init__(self, page) -> None:
        self.whole = self.fragments = 0
        self.frames = 0  # binary frames received, counted as the page's hook counts them
        self.last_finished = -1  # the index of the frame that said the last run finished
        self.tables: list[tuple[int, int]] = []  # (rows, columns) of each table sent, in order
        page.on("websocket", lambda ws: ws.on("framereceived", self._received))

    @property
    def count(self) -> int:
        """The whole runs finished."""
        return self.whole

    def _received(self, payload: bytes | str) -> None:
        from streamlit.proto.ForwardMsg_pb2 import ForwardMsg

        if isinstance(payload, str):
            return
        self.frames += 1
        message = ForwardMsg()
        message.ParseFromString(payload)
        kind = message.WhichOneof("type")
        if kind == "delta" and message.delta.WhichOneof("type") == "new_element":
            element = message.delta.new_element
            if element.WhichOneof("type") == "dataframe":
                self.tables.append(_table_size(element.dataframe))
        if kind != "script_finished":
            return
        self.last_finished = self.frames - 1
        self.whole += message.script_finished == ForwardMsg.FINISHED_SUCCESSFULLY
        self.fragments += message.script_finished == ForwardMsg.FINISHED_FRAGMENT_RUN_SUCCESSFULLY


def _table_size(table) -> tuple[int, int]:
    """(rows, columns) of a table as sent: whole, or its first chunk with the rows it has."""
    import pyarrow as pa

    lazy = table.HasField("lazy_data") and table.lazy_data.row_count
    data = (table.lazy_data.initial_chunk if lazy else table.arrow_data).data
    if not data:
        return (0, 0)
    sent = pa.ipc.open_stream(data).read_all()
    return (table.lazy_data.row_count if lazy else sent.num_rows, sent.num_columns)
