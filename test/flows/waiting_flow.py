"""A flow that pauses at kitaru.wait() for a boolean approval.

Run: python test/flows/waiting_flow.py
MCP target: test/flows/waiting_flow.py:waiting_flow

How a wait behaves on the local orchestrator (kitaru 0.15.0 / zenml 0.94.6,
observed against a real local server):

* `.run()` executes the flow synchronously in the calling process. At
  `kitaru.wait()` it creates a run wait condition and polls it; with stdin not
  a TTY nothing prompts. Polling happens every 5s (poll_interval is not exposed
  by kitaru.wait), so with timeout=1 the first check is after ~5s. When the
  timeout has passed the run is set to ZenML status `paused` (Kitaru status
  `waiting`, `pending_wait` filled in), `.run()` returns the handle and the
  process can exit. Do not call `handle.wait()` on it: that polls forever.
* Giving input (`KitaruClient().executions.input(id, wait=WAIT_NAME,
  value=True)`, `kitaru executions input ID --value true`, or the MCP tool
  kitaru_executions_input) only resolves the wait condition. Nothing restarts
  the run: it stays `paused` with status_reason "Waiting for manual resume."
  (Kitaru status still `waiting`, `pending_wait` now null).
* Resuming (`kitaru executions resume ID` / `KitaruClient().executions.resume`)
  re-runs the flow in the *calling* process, replaying finished checkpoints,
  and returns once it completes. That process must be able to import the
  flow's module as recorded at submission (here `waiting_flow`, with
  test/flows as the source root), e.g. `PYTHONPATH=test/flows kitaru executions
  resume ID`. If the import fails the resume fails AND the run is marked
  `failed`.
* With an interactive terminal (stdin a TTY) the wait prompts inline instead.
"""

import kitaru
from kitaru import checkpoint, flow

WAIT_NAME = "approve_draft"
WAIT_QUESTION = "Publish the draft?"


@checkpoint
def draft(topic: str) -> str:
    print(f"waiting_flow: drafting {topic!r}")
    return f"Draft about {topic}"


@checkpoint
def publish(text: str, approved: bool) -> str:
    print(f"waiting_flow: approved={approved}")
    return f"published: {text}" if approved else f"rejected: {text}"


@flow
def waiting_flow(topic: str = "kitaru", wait_timeout: int = 1) -> str:
    text = draft(topic)
    approved = kitaru.wait(
        schema=bool,
        name=WAIT_NAME,
        question=WAIT_QUESTION,
        timeout=wait_timeout,
        metadata={"purpose": "test"},
    )
    return publish(text, approved)


if __name__ == "__main__":
    handle = waiting_flow.run()
    print(handle.exec_id, handle.status)
