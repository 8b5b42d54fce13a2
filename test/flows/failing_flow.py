"""A flow that fails inside its second checkpoint.

Run: python test/flows/failing_flow.py   (exits non-zero)
MCP target: test/flows/failing_flow.py:failing_flow
"""

from kitaru import checkpoint, flow

@checkpoint
def prepare(n: int) -> int:
    print(f"failing_flow: preparing {n}")
    return n * 2


@checkpoint
def explode(n: int) -> int:
    print(f"failing_flow: about to raise for n={n}")
    # Kitaru records the failing *source line* as failure.message (not str(exc)),
    # so the text is kept literal on this line for tests to match.
    raise ValueError("boom: failing_flow exploded on purpose")


@flow(retries=0)
def failing_flow(n: int = 21) -> int:
    return explode(prepare(n))


if __name__ == "__main__":
    failing_flow.run().wait()
