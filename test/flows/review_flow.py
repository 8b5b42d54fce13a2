"""A flow that pauses at a wait whose schema is a pydantic model (an object form).

Run: python test/flows/review_flow.py
MCP target: test/flows/review_flow.py:review_flow

Like waiting_flow (see there), a short wait timeout leaves the run paused
(Kitaru status "waiting") and the process exits.
"""

from typing import Optional

import kitaru
from kitaru import checkpoint, flow
from pydantic import BaseModel

WAIT_NAME = "review"
WAIT_QUESTION = "Review the draft"


class Review(BaseModel):
    approved: bool
    score: int = 3
    note: Optional[str] = None


@checkpoint
def draft_text() -> str:
    return "a draft"


@flow
def review_flow() -> str:
    text = draft_text()
    review = kitaru.wait(schema=Review, name=WAIT_NAME, question=WAIT_QUESTION, timeout=1)
    return f"{text}: {review}"


if __name__ == "__main__":
    print(f"EXEC_ID {review_flow.run().exec_id}", flush=True)
