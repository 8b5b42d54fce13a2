"""A flow that floods stdout, to prove an MCP server's stdout stays clean.

Run: python test/flows/printing_flow.py
MCP target: test/flows/printing_flow.py:printing_flow
"""

import sys

from kitaru import checkpoint, flow


@checkpoint
def shout(lines: int) -> int:
    for i in range(lines):
        print(f"printing_flow: stdout line {i} {{\"jsonrpc\": \"2.0\"}}")
    print("printing_flow: stderr line", file=sys.stderr)
    return lines


@flow
def printing_flow(lines: int = 500) -> int:
    print("printing_flow: flow-scope print")
    return shout(lines)


if __name__ == "__main__":
    print(printing_flow.run().wait())
