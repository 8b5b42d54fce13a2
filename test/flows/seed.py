"""Runs completed_flow, failing_flow and waiting_flow once each, in one process.

Used by test/helpers/kitaru-server.ts (seedExecutions). The last stdout line is
`SEED_RESULT {"completed": id, "failed": id, "waiting": id}`; everything else
on stdout/stderr is Kitaru's own chatter.
"""

import json
import sys

from completed_flow import completed_flow
from failing_flow import failing_flow
from waiting_flow import waiting_flow

from kitaru import KitaruClient


def run_for_id(flow_def, name: str) -> str:
    # On the local orchestrator .run() executes the whole flow in-process.
    # A failing flow may raise from .run() itself, leaving no handle to ask.
    try:
        handle = flow_def.run()
    except Exception as exc:  # noqa: BLE001
        print(f"seed: {name} raised {type(exc).__name__}", file=sys.stderr)
        return KitaruClient().executions.latest(flow=name).exec_id
    try:
        handle.wait()
    except Exception as exc:  # noqa: BLE001
        print(f"seed: {name} wait raised {type(exc).__name__}", file=sys.stderr)
    return handle.exec_id


def main() -> None:
    result = {
        "completed": run_for_id(completed_flow, "completed_flow"),
        "failed": run_for_id(failing_flow, "failing_flow"),
    }
    # .wait() on a paused run would poll forever, so only take the id.
    result["waiting"] = waiting_flow.run().exec_id
    print("SEED_RESULT " + json.dumps(result), flush=True)


if __name__ == "__main__":
    main()
