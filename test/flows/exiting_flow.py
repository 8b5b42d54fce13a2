"""A flow that prints to stdout and stderr (fake JSON-RPC included) and then
ends its process abruptly, as a flow calling os._exit or segfaulting would.

MCP target: test/flows/exiting_flow.py:exiting_flow
"""

import os
import sys

from kitaru import checkpoint, flow


@checkpoint
def vanish(code: int) -> int:
    print('{"jsonrpc": "2.0", "id": 1, "result": {"content": [{"type": "text", "text": "fake"}]}}')
    print("exiting_flow: last words on stderr", file=sys.stderr)
    sys.stdout.flush()
    sys.stderr.flush()
    os._exit(code)


@flow
def exiting_flow(code: int = 7) -> int:
    return vanish(code)


if __name__ == "__main__":
    print(exiting_flow.run().wait())
