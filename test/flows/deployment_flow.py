"""Deploys test flows on the local test server (deployment tool tests).

Usage: python test/flows/deployment_flow.py '<json: [[flow_name, tags or null, stack or null], ...]>'

The deployments are made in order, in this one process (one kitaru import).

The local server's default stack is local, and Python's flow.deploy() refuses
stacks the server cannot run remotely. The deployment records themselves
(snapshot names, versions, native tags) are what the tests need, so only that
guard is bypassed here; kitaru_deployments_invoke still meets the real check.
Two flows with identical bodies let the Python and the TypeScript servers each
mutate their own flow and still be compared field by field.
"""

import importlib
import json
import sys

_flow_module = importlib.import_module("kitaru.flow")
_flow_module.ensure_stack_is_server_runnable = lambda **_: None

from kitaru import checkpoint, flow  # noqa: E402


@checkpoint
def double(x: int) -> int:
    return x * 2


@flow
def dep_flow_py(x: int = 1) -> int:
    return double(x)


@flow
def dep_flow_ts(x: int = 1) -> int:
    return double(x)


@flow
def dep_flow_shared(x: int = 1) -> int:
    return double(x)


if __name__ == "__main__":
    flows = {"dep_flow_py": dep_flow_py, "dep_flow_ts": dep_flow_ts, "dep_flow_shared": dep_flow_shared}
    for name, tags, stack in json.loads(sys.argv[1]):
        deployment = flows[name].deploy(x=3, tags=tags, stack=stack)
        print("DEPLOYED " + json.dumps({"flow": deployment.flow, "version": deployment.version, "tags": deployment.tags}), flush=True)
