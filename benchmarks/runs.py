"""What the server says over a page's WebSocket, read by the benchmark's browser."""

from __future__ import annotations


class FinishedRuns:
    """The script runs the server has said it finished, over the page's WebSocket: whole runs,
    and a fragment's runs (a chart's selection may rerun only its own section). A fast run can
    be over before the page ever shows it running, so the page's own state says nothing
    reliable about whether a click's run has been and gone."""

    def __init__(self, page) -> None:
        self.whole = self.fragments = 0
        self.frames = 0  # binary frames received, counted as the page's hook counts them
        self.last_finished = -1  # the index of the frame that said the last run finished
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
        if message.WhichOneof("type") != "script_finished":
            return
        self.last_finished = self.frames - 1
        self.whole += message.script_finished == ForwardMsg.FINISHED_SUCCESSFULLY
        self.fragments += message.script_finished == ForwardMsg.FINISHED_FRAGMENT_RUN_SUCCESSFULLY
