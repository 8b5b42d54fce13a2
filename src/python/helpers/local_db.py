"""Local-database mode: Kitaru keeps its runs in a SQLite file and no server
answers REST. Python's kitaru-mcp opens that store in-process; so do we, by
calling the installed kitaru's own MCP tool function in a forked child of the
warm worker. Payloads and errors are then Python's on the same store.

The arguments were already validated in TypeScript with pydantic's rules.
The function is called unwrapped (``__wrapped__``): the wrapper only sends
the Python server's analytics events, which are not ours to send.
Loaded by the worker like any helper module (as `local_db`)."""

import sys
import types


def _stub_fastmcp():
    """kitaru.mcp.server builds a FastMCP at import time. Without the `mcp`
    package (kitaru installed without its [mcp] extra) a stand-in whose
    decorator returns the function unchanged lets the tool functions import."""
    try:
        import mcp.server.fastmcp  # noqa: F401

        return
    except ImportError:
        pass

    class FastMCP:
        def __init__(self, *args, **kwargs):
            pass

        def tool(self, *args, **kwargs):
            return lambda fn: fn

    for name in ("mcp", "mcp.server", "mcp.server.fastmcp"):
        sys.modules[name] = types.ModuleType(name)
    sys.modules["mcp.server.fastmcp"].FastMCP = FastMCP


def _jsonable(value):
    """What FastMCP puts in structuredContent: pydantic's JSON mode (datetimes as ISO text, UUIDs as strings)."""
    try:
        from pydantic_core import to_jsonable_python
    except ImportError:
        return value
    return to_jsonable_python(value, fallback=str)


def call_tool(args, ctx):
    _stub_fastmcp()
    import kitaru.mcp.server as server

    function = getattr(server, args["tool"])
    function = getattr(function, "__wrapped__", function)
    return _jsonable(function(**args["arguments"]))
