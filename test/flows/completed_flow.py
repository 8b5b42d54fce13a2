"""A flow that succeeds: three checkpoints, JSON and non-JSON artifacts, logs.

Run: python test/flows/completed_flow.py
MCP target: test/flows/completed_flow.py:completed_flow
"""

import logging

import kitaru
from kitaru import checkpoint, flow

logger = logging.getLogger("kitaru_test_flows")

LOG_LINE = "completed_flow: fetched topic"


@checkpoint
def fetch(topic: str) -> dict:
    print(f"{LOG_LINE} {topic!r}")
    logger.info("completed_flow: logging-module line for %s", topic)
    kitaru.log(source="unit-test", items=3)
    # A named artifact next to the checkpoint's own output.
    kitaru.save("notes", {"topic": topic, "ok": True}, type="context", tags=["seed"])
    return {"topic": topic, "items": [1, 2, 3]}


@checkpoint
def summarize(data: dict) -> str:
    print("completed_flow: summarizing")
    return f"{data['topic']} has {len(data['items'])} items"


@checkpoint
def raw_bytes(summary: str) -> bytes:
    # bytes is not JSON-able, so kitaru_artifacts_get reports value_format "repr".
    return summary.encode()


@checkpoint
def count_words(raw: bytes) -> int:
    # Consumes raw_bytes so the flow has a single sink and .wait() has a result.
    return len(raw.split())


@flow
def completed_flow(topic: str = "kitaru") -> int:
    data = fetch(topic)
    summary = summarize(data)
    kitaru.log(stage="done")
    return count_words(raw_bytes(summary))


if __name__ == "__main__":
    print(completed_flow.run().wait())
