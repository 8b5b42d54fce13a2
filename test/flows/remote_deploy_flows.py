"""Twin flows the deployment conformance cases deploy to the remote test stack.

The Python kitaru-mcp deploys conf_deploy_py and ours conf_deploy_ts, so each
side gets its own version history (1, 2, 3...) on the one shared server; the
comparison maps the two names onto one (test/conformance/compare.ts).
"""

from kitaru import checkpoint, flow


@checkpoint
def triple(x: int) -> int:
    return x * 3


@flow
def conf_deploy_py(x: int = 1) -> int:
    return triple(x)


@flow
def conf_deploy_ts(x: int = 1) -> int:
    return triple(x)
