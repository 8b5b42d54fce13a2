"""Long-lived executions for the cancel and answer-a-wait tests.

Run: python test/flows/lifecycle_flows.py sleep   -> a checkpoint sleeps for minutes (cancel it)
     python test/flows/lifecycle_flows.py wait    -> waiting_flow with a long wait timeout, so the
                                                    runner is still polling when the wait is answered
     python test/flows/lifecycle_flows.py waits N -> N more paused waiting_flow runs, then exit
Prints `EXEC_ID <id>` as soon as the execution exists.
"""

import sys
import time

import kitaru
from kitaru import checkpoint, flow

from waiting_flow import waiting_flow


@checkpoint
def sleep_for(seconds: int) -> int:
    print(f"lifecycle_flows: sleeping {seconds}s")
    time.sleep(seconds)
    return seconds


@flow
def sleeping_flow(seconds: int = 300) -> int:
    return sleep_for(seconds)


def main() -> None:
    mode = sys.argv[1] if len(sys.argv) > 1 else "sleep"
    if mode == "waits":
        for _ in range(int(sys.argv[2])):
            print(f"EXEC_ID {waiting_flow.run().exec_id}", flush=True)
        return
    if mode == "sleep":
        handle = sleeping_flow.run()
    else:
        handle = waiting_flow.run(wait_timeout=600)
    print(f"EXEC_ID {handle.exec_id}", flush=True)
    try:
        handle.wait()
    except Exception as exc:  # noqa: BLE001 - a cancelled run ends with an error, as intended
        print(f"lifecycle_flows: wait ended with {type(exc).__name__}", file=sys.stderr)


if __name__ == "__main__":
    main()
