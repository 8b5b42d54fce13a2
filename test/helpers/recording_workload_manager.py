"""A test-only ZenML workload manager: records workloads instead of running them.

The Kitaru/ZenML server runs a snapshot (what `kitaru_deployments_invoke` asks
for) through the workload manager named by
ZENML_SERVER_WORKLOAD_MANAGER_IMPLEMENTATION_SOURCE. Production managers build a
runner image and start it on Kubernetes; this one appends one JSON line per call
to the file in KITARU_TEST_WORKLOAD_LOG, so a test can see that the server
submitted the run, and starts nothing. The execution the server created for the
invocation stays `initializing`, as a real run does until its runner starts.
Environment values are never written: they hold the run's API token.
"""

import json
import os
import threading
from typing import Dict, List, Optional
from uuid import UUID

from zenml.zen_server.pipeline_execution.workload_manager_interface import (
    WorkloadManagerInterface,
    WorkloadType,
)

_LOCK = threading.Lock()


def _record(event: str, **fields: object) -> None:
    path = os.environ.get("KITARU_TEST_WORKLOAD_LOG")
    if not path:
        return
    line = json.dumps({"event": event, **fields}, default=str)
    with _LOCK, open(path, "a", encoding="utf-8") as handle:
        handle.write(line + "\n")


class RecordingWorkloadManager(WorkloadManagerInterface):
    """Records build and run requests; runs nothing."""

    def run(
        self,
        workload_id: UUID,
        image: str,
        command: List[str],
        arguments: List[str],
        environment: Optional[Dict[str, str]] = None,
        sync: bool = True,
        timeout_in_seconds: int = 0,
    ) -> None:
        _record(
            "run",
            workload_id=workload_id,
            image=image,
            command=command,
            arguments=arguments,
            environment_keys=sorted((environment or {}).keys()),
        )

    def build_and_push_image(
        self,
        workload_id: UUID,
        workload_type: WorkloadType,
        dockerfile: str,
        image_name: str,
        sync: bool = True,
        timeout_in_seconds: int = 0,
    ) -> str:
        _record("build", workload_id=workload_id, workload_type=workload_type.value, image_name=image_name)
        return image_name

    def delete_workload(self, workload_id: UUID) -> None:
        _record("delete", workload_id=workload_id)

    def get_logs(self, workload_id: UUID) -> str:
        return ""

    def log(self, workload_id: UUID, message: str) -> None:
        _record("log", workload_id=workload_id, message=message)
