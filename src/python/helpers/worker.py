"""kitaru-mcp's warm worker: one long-lived process in the user's Python.

It imports kitaru once, then forks a child per call (a fork server), so each
call starts warm yet keeps its own process: a flow that prints, calls
os._exit, or crashes takes only its child down, and cancelling a call kills
that child's process group (the flow's own subprocesses included).

Channel: fd 3, a socket pair from the parent, newline-delimited JSON both
ways. stdout is /dev/null and stderr is for diagnostics, so nothing a flow
prints can reach the MCP stream. stdin is never read for data: its EOF means
the parent is gone (even if it was SIGKILLed), and the worker ends.

Without fork (Windows) the worker runs exactly one call in-process and exits;
the parent starts one per call.
"""

import json
import os
import selectors
import signal
import sys
import threading
import time
import types

CHANNEL_FD = 3
STDERR_TAIL = 16 * 1024
LINE_LIMIT = 256 * 1024 * 1024
CAN_FORK = hasattr(os, "fork")


def _prepare_main_module():
    # As inside Python's `kitaru-mcp` console script: ZenML takes its source
    # root from the main module's file, and sys.path starts with the script's
    # directory (not the working directory), so `module:flow` targets resolve
    # the same way.
    script = os.path.join(os.path.dirname(sys.executable), "kitaru-mcp")
    sys.modules["__main__"].__file__ = script
    if sys.path and sys.path[0] == "":
        sys.path[0] = os.path.dirname(script)


def _failure(exc):
    return {
        "type": type(exc).__name__,
        "mro": [c.__name__ for c in type(exc).__mro__],
        "message": str(exc),
    }


def _dump(message):
    return (json.dumps(message, default=repr) + "\n").encode("utf-8")


def _write_all(fd, data):
    view = memoryview(data)
    while view:
        written = os.write(fd, view)
        view = view[written:]


class Worker:
    def __init__(self):
        self.helpers = {}
        self.children = {}  # pid -> Child
        self.by_call = {}  # call id -> Child
        self.stopping = False
        self.selector = selectors.DefaultSelector()
        self.inbox = b""
        self.warm_modules = set()
        self.to_learn = []  # what finished calls taught us, done when the worker is idle
        self.warmed_tools = set()
        self.generation = 0  # bumped when the connection changes (reconnect)

    # --- channel ---------------------------------------------------------

    def send(self, message):
        try:
            _write_all(CHANNEL_FD, _dump(message))
        except OSError:
            self.stopping = True

    def read_channel(self):
        try:
            chunk = os.read(CHANNEL_FD, 1 << 16)
        except OSError:
            chunk = b""
        if not chunk:
            self.stopping = True
            return []
        self.inbox += chunk
        if len(self.inbox) > LINE_LIMIT:
            self.stopping = True
            return []
        *lines, self.inbox = self.inbox.split(b"\n")
        return [json.loads(line) for line in lines if line.strip()]

    # --- start-up --------------------------------------------------------

    def load_helpers(self, sources):
        for name, source in sources.items():
            module = types.ModuleType(f"kitaru_mcp_helpers.{name}")
            module.__file__ = f"<kitaru-mcp>/{name}.py"
            exec(compile(source, module.__file__, "exec"), module.__dict__)
            self.helpers[name] = module

    def warm(self, connect):
        """Imports what every call needs once, so forks start warm. Never fatal."""
        self.helpers["warmup"].warm(connect, self.helpers["support"].answers)
        self.warm_modules = set(sys.modules)

    # --- calls -----------------------------------------------------------

    def resolve(self, helper):
        module_name, _, function = helper.partition(".")
        return getattr(self.helpers[module_name], function)

    def run_in_process(self, request, send):
        ctx = self.helpers["support"].Context(send)
        try:
            value = self.resolve(request["helper"])(request["args"], ctx)
            message = {"type": "result", "ok": True, "value": value}
        except BaseException as exc:  # a flow's SystemExit is a failure too
            message = {"type": "result", "ok": False, "error": _failure(exc)}
        send(message)

    def spawn(self, request):
        call_id = request["id"]
        out_r, out_w = os.pipe()
        err_r, err_w = os.pipe()
        sys.stdout.flush()
        sys.stderr.flush()
        pid = os.fork()
        if pid == 0:
            self.child_main(request, out_w, err_w, (out_r, err_r))
        os.close(out_w)
        os.close(err_w)
        try:
            os.setpgid(pid, pid)
        except OSError:
            pass  # the child did it first
        child = self.helpers["support"].Child(call_id, pid, out_r, err_r)
        child.request = request
        child.generation = self.generation
        self.children[pid] = child
        self.by_call[call_id] = child
        for fd in (out_r, err_r):
            os.set_blocking(fd, False)
            self.selector.register(fd, selectors.EVENT_READ, ("child", child))

    def child_main(self, request, out_w, err_w, parent_ends):
        try:
            os.setpgid(0, 0)
            for fd in parent_ends:
                os.close(fd)
            self.selector.close()
            for fd in list(self.by_call.values()):
                fd.close_fds()
            devnull = os.open(os.devnull, os.O_RDWR)
            os.dup2(devnull, 0)
            os.dup2(devnull, 1)
            os.dup2(err_w, 2)
            os.close(CHANNEL_FD)
            for sig in (signal.SIGTERM, signal.SIGINT, signal.SIGCHLD):
                signal.signal(sig, signal.SIG_DFL)
            signal.set_wakeup_fd(-1)
            worker_pid = os.getppid()

            def watch_parent():
                # The worker is gone (killed): take this call's whole group down.
                while True:
                    time.sleep(0.5)
                    if os.getppid() != worker_pid:
                        os.killpg(0, signal.SIGKILL)

            threading.Thread(target=watch_parent, daemon=True).start()
            self.helpers["support"].reset_forked_state()

            def send(message):
                _write_all(out_w, _dump(message))

            self.run_in_process(request, send)
            new = [name for name in sys.modules if name not in self.warm_modules]
            send({"type": "imports", "names": new})
        finally:
            os._exit(0)

    def repeat_to_warm(self, request):
        """A call once more in the worker itself, its result dropped (see warmup.lessons)."""
        try:
            self.resolve(request["helper"])(request["args"], self.helpers["support"].Context(lambda _message: None))
        except BaseException:
            pass

    def cancel(self, call_id):
        child = self.by_call.get(call_id)
        if child is not None and not child.done:
            child.cancelled = True
            _kill_group(child.pid)

    # --- child output and exits -----------------------------------------

    def drain(self, child, fd):
        while True:
            try:
                chunk = os.read(fd, 1 << 16)
            except BlockingIOError:
                return
            except OSError:
                chunk = b""
            if not chunk:
                self.selector.unregister(fd)
                child.closed.add(fd)
                return
            if fd == child.err_fd:
                child.stderr = (child.stderr + chunk)[-STDERR_TAIL:]
                continue
            child.inbox += chunk
            *lines, child.inbox = child.inbox.split(b"\n")
            for line in lines:
                if line.strip():
                    self.from_child(child, json.loads(line))

    def from_child(self, child, message):
        kind = message.get("type")
        if kind == "imports":
            child.imports = message.get("names") or []
            return
        if kind == "event":
            exec_id = (message.get("data") or {}).get("exec_id")
            if exec_id:
                child.exec_id = exec_id
        if kind == "result":
            child.result_sent = True
            child.ok = bool(message.get("ok"))
        self.send({**message, "id": child.call_id})

    def reap(self):
        while self.children:
            try:
                pid, status = os.waitpid(-1, os.WNOHANG)
            except ChildProcessError:
                return
            if pid == 0:
                return
            child = self.children.pop(pid, None)
            if child is not None:
                self.finish(child, status)

    def finish(self, child, status):
        for fd in (child.out_fd, child.err_fd):
            if fd not in child.closed:
                self.drain(child, fd)
        child.close_fds(self.selector)
        child.done = True
        self.by_call.pop(child.call_id, None)
        # Whatever the flow left running in its group goes with it.
        _kill_group(child.pid)
        if not child.result_sent:
            if child.exec_id:
                self.helpers["support"].mark_stopped([child.exec_id], "cancelled" if child.cancelled else "crashed")
            self.send(
                {
                    "type": "exit",
                    "id": child.call_id,
                    "code": os.WEXITSTATUS(status) if os.WIFEXITED(status) else None,
                    "signal": os.WTERMSIG(status) if os.WIFSIGNALED(status) else None,
                    "cancelled": child.cancelled,
                    "stderr": child.stderr.decode("utf-8", "replace"),
                }
            )
        elif child.generation == self.generation:
            # (A call made for an earlier connection teaches nothing about this one.)
            warmup = self.helpers["warmup"]
            self.to_learn += warmup.lessons(child.request, child.ok, child.imports, self.warmed_tools, self.repeat_to_warm)

    # --- the loop --------------------------------------------------------

    def serve(self):
        wake_r, wake_w = os.pipe()
        os.set_blocking(wake_r, False)
        os.set_blocking(wake_w, False)
        signal.set_wakeup_fd(wake_w)
        signal.signal(signal.SIGCHLD, lambda *_: None)
        signal.signal(signal.SIGTERM, self.on_stop_signal)
        signal.signal(signal.SIGINT, self.on_stop_signal)
        self.selector.register(CHANNEL_FD, selectors.EVENT_READ, ("channel", None))
        self.selector.register(0, selectors.EVENT_READ, ("stdin", None))
        self.selector.register(wake_r, selectors.EVENT_READ, ("wake", None))
        while not self.stopping:
            events = self.selector.select(timeout=0.2 if self.to_learn else 1.0)
            if not events and self.to_learn:
                # Learning blocks this loop (imports, opening a store): only
                # when nothing has happened for a moment, one step at a time.
                self.to_learn.pop(0)()
            for key, _ in events:
                kind, child = key.data
                if kind == "channel":
                    for request in self.read_channel():
                        self.handle(request)
                elif kind == "stdin":
                    try:
                        if not os.read(0, 4096):
                            self.stopping = True
                    except OSError:
                        self.stopping = True
                elif kind == "wake":
                    try:
                        while os.read(wake_r, 4096):
                            pass
                    except OSError:
                        pass
                elif kind == "child" and not child.done:
                    self.drain(child, key.fd)
            self.reap()
        self.shutdown()

    def on_stop_signal(self, *_):
        self.stopping = True

    def handle(self, request):
        op = request.get("op")
        if op == "call":
            self.spawn(request)
        elif op == "cancel":
            self.cancel(request.get("id"))
        elif op == "warm":
            import_error = None
            try:
                self.warm(connect=request.get("connect", True))
            except BaseException as exc:
                import_error = _failure(exc)
            self.send({"type": "ready", "import_error": import_error})
        elif op == "reconnect":
            self.reconnect()
        elif op == "stop":
            self.stopping = True

    def reconnect(self):
        """The client config now names another connection (a server, project or
        stack): forget the warm client state, as kitaru's own cleanup does, so
        the next "warm" connects afresh. Cheaper than a new interpreter
        importing kitaru again; the parent only asks while no call runs."""
        self.generation += 1
        self.to_learn = []
        self.warmed_tools = set()
        self.helpers["warmup"].forget_connection()

    def shutdown(self):
        """Our parent left: no call outlives it, and no execution stays 'running'."""
        abandoned = []
        for child in list(self.children.values()):
            _kill_group(child.pid)
            if child.exec_id and not child.result_sent:
                abandoned.append(child.exec_id)
        deadline = time.monotonic() + 5
        while self.children and time.monotonic() < deadline:
            try:
                pid, _ = os.waitpid(-1, os.WNOHANG)
            except ChildProcessError:
                break
            if pid == 0:
                time.sleep(0.05)
            else:
                self.children.pop(pid, None)
        self.helpers["support"].mark_stopped(abandoned, "client-gone")
        os._exit(0)


def _kill_group(pid):
    try:
        os.killpg(pid, signal.SIGKILL)
    except (ProcessLookupError, PermissionError, OSError):
        pass


def _read_init():
    """The first line on the channel: helper sources and what to warm."""
    data = b""
    while b"\n" not in data:
        chunk = os.read(CHANNEL_FD, 1 << 16)
        if not chunk:
            os._exit(0)
        data += chunk
    line, _, rest = data.partition(b"\n")
    return json.loads(line), rest


def main():
    _prepare_main_module()
    worker = Worker()
    init, rest = _read_init()
    worker.inbox = rest
    worker.load_helpers(init["helpers"])
    info = worker.helpers["warmup"].versions()
    # The parent checks the versions and answers with "warm" (or never does).
    worker.send({"type": "hello", "pid": os.getpid(), "can_fork": CAN_FORK, **info})
    if CAN_FORK and not init.get("one_shot"):
        worker.serve()
        return
    # One call in this process, then exit (no fork here).
    requests = []
    while not requests:
        requests = [r for r in worker.read_channel() if r.get("op") == "call"]
        if worker.stopping:
            os._exit(0)
    request = requests[0]
    worker.run_in_process(request, lambda message: worker.send({**message, "id": request["id"]}))
    os._exit(0)


if __name__ == "__main__":
    main()
