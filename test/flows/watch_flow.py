"""A flow that runs for several seconds, for kitaru_executions_watch tests.

Run: python test/flows/watch_flow.py
MCP target: test/flows/watch_flow.py:watch_flow

Two checkpoints of a few seconds each, so a watcher that starts while it runs
sees it running for several polls before it completes.
"""

import time

from kitaru import checkpoint, flow

STEP_SECONDS = 4


@checkpoint
def first_half(seconds: int) -> int:
    print(f"watch_flow: first half, {seconds}s")
    time.sleep(seconds)
    return seconds


@checkpoint
def second_half(seconds: int) -> int:
    print(f"watch_flow: second half, {seconds}s")
    time.sleep(seconds)
    return seconds * 2


@flow
def watch_flow(seconds: int = STEP_SECONDS) -> int:
    return second_half(first_half(seconds))


if __name__ == "__main__":
    handle = watch_flow.run()
    print(f"EXEC_ID {handle.exec_id}", flush=True)
    handle.wait()
