"""The worker's ZenML-facing chores, kept apart from its process plumbing:
the context a helper gets, a quick health look, resetting state a fork
inherits, marking executions whose process was killed as stopped, and the
worker's record of one running call.
Loaded by the worker like any helper module (as `support`)."""

import os
import sys


class Context:
    """What a helper gets besides its arguments: a way to tell the parent things early."""

    def __init__(self, send):
        self._send = send
        self.events = {}

    def publish(self, **updates):
        """Side news while the helper runs (the execution id, flow modules loaded)."""
        self.events.update(updates)
        self._send({"type": "event", "data": dict(self.events)})

    def announce(self, exec_id):
        """Tells the parent which execution this call drives (first call wins)."""
        if "exec_id" not in self.events and exec_id:
            self.publish(exec_id=str(exec_id))


def answers(url):
    """A quick look first: ZenML retries a dead server for a long time."""
    import urllib.request

    try:
        with urllib.request.urlopen(url.rstrip("/") + "/health", timeout=2) as response:
            return response.status == 200
    except Exception:
        return False


def reset_forked_state():
    """A forked child must not share the worker's HTTP or database connections."""
    # What the worker never imported or made, the child did not inherit:
    # looking must not import ZenML or read the config (a cold call needs neither).
    module = sys.modules.get("zenml.config.global_config")
    if module is None:
        return
    try:
        store = getattr(module.GlobalConfiguration._global_config, "_zen_store", None)
        if store is not None and hasattr(store, "_session"):
            store._session = None
        # A SQL store's pooled connections belong to the worker: the child
        # drops them without closing them and opens its own (SQLAlchemy's fork recipe).
        engine = getattr(store, "_engine", None)
        if engine is not None:
            engine.dispose(close=False)
    except Exception:
        pass


_REASONS = {
    "cancelled": "kitaru-mcp stopped this execution: the MCP call that ran it was cancelled.",
    "crashed": "kitaru-mcp stopped this execution: the process running the flow ended without finishing it.",
    "client-gone": "kitaru-mcp stopped this execution: its MCP client went away while the flow ran.",
}


def mark_stopped(exec_ids, reason):
    """A flow whose process was killed would otherwise stay 'running' on the server forever."""
    if not exec_ids:
        return
    try:
        from uuid import UUID

        from zenml.client import Client
        from zenml.enums import ExecutionStatus
        from zenml.models import PipelineRunUpdate

        store = Client().zen_store
        for exec_id in exec_ids:
            try:
                run = store.get_run(UUID(exec_id), hydrate=False)
                if ExecutionStatus(run.status).is_finished:
                    continue
                fields = {"status": ExecutionStatus.STOPPED}
                if "status_reason" in getattr(PipelineRunUpdate, "model_fields", {}):
                    fields["status_reason"] = _REASONS[reason]
                store.update_run(UUID(exec_id), PipelineRunUpdate(**fields))
            except Exception as exc:
                sys.stderr.write(f"kitaru-mcp worker: could not mark {exec_id} stopped: {exc}\n")
    except Exception as exc:
        sys.stderr.write(f"kitaru-mcp worker: could not mark executions stopped: {exc}\n")


class Child:
    def __init__(self, call_id, pid, out_fd, err_fd):
        self.call_id = call_id
        self.pid = pid
        self.out_fd = out_fd
        self.err_fd = err_fd
        self.closed = set()
        self.inbox = b""
        self.stderr = b""
        self.exec_id = None
        self.result_sent = False
        self.cancelled = False
        self.done = False
        self.imports = []
        self.request = {}
        self.ok = False
        self.generation = 0  # the worker's, when this call started

    def close_fds(self, selector=None):
        for fd in (self.out_fd, self.err_fd):
            if selector is not None and fd not in self.closed:
                try:
                    selector.unregister(fd)
                except (KeyError, ValueError):
                    pass
            try:
                os.close(fd)
            except OSError:
                pass
            self.closed.add(fd)
