"""A flow that runs for a while and starts a subprocess of its own, to check
that calls do not queue behind it and that nothing outlives a client that leaves.

MCP target: test/flows/slow_flow.py:slow_flow
"""

import subprocess
import time

from kitaru import checkpoint, flow


@checkpoint
def linger(seconds: int) -> int:
    # A subprocess of the flow's own: it must die with the call.
    subprocess.Popen(["sleep", "600"])
    time.sleep(seconds)
    return seconds


@flow
def slow_flow(seconds: int = 30) -> int:
    return linger(seconds)


if __name__ == "__main__":
    print(slow_flow.run().wait())
