"""Helpers that run user flow code: run, replay, retry/resume, deploy.

Each does what the Python kitaru-mcp tool body does (same Kitaru calls, same
payload), plus ctx.announce(exec_id) as soon as the execution exists, so a
long flow can be followed, and handed off, before it ends. They run in a
forked child of the worker, so the patches they apply die with the call.
"""

import importlib.util
import sys


def _track_flow_modules(ctx, known_modules):
    """Flow files load under generated module names, which replay, retry and
    resume import again later. Python's kitaru-mcp finds them among its own
    loaded modules; each of our calls runs in its own child process, so every
    loaded file is published and later calls get a finder for all of them."""
    from kitaru import _flow_loading

    known = dict(known_modules or {})

    class _KnownFlowModules:
        @staticmethod
        def find_spec(name, path=None, target=None):
            file = known.get(name)
            return importlib.util.spec_from_file_location(name, file) if file else None

    sys.meta_path.append(_KnownFlowModules)
    original = _flow_loading._load_module_from_python_path

    def _load_module_from_python_path(module_path, *, module_name_prefix):
        module = original(module_path, module_name_prefix=module_name_prefix)
        known[module.__name__] = module.__file__
        ctx.publish(modules=known)
        return module

    _flow_loading._load_module_from_python_path = _load_module_from_python_path


def _watch_new_runs(ctx):
    """Announce the first pipeline run this call creates, the moment the store returns it."""
    classes = []
    try:
        from zenml.zen_stores.rest_zen_store import RestZenStore

        classes.append(RestZenStore)
    except Exception:
        pass
    try:
        from zenml.zen_stores.sql_zen_store import SqlZenStore

        classes.append(SqlZenStore)
    except Exception:
        pass
    for cls in classes:
        original = cls.get_or_create_run

        def get_or_create_run(self, *a, __original=original, **kw):
            result = __original(self, *a, **kw)
            try:
                ctx.announce(str(result[0].id))
            except Exception:
                pass
            return result

        cls.get_or_create_run = get_or_create_run


class _ReadLater:
    """Stands in for the execution Kitaru reads back at the end of an operation."""

    def __init__(self, exec_id):
        self.exec_id = str(exec_id)


def _read_later(executions):
    """Kitaru ends run, replay, retry and resume by reading the execution back
    (`self.get(exec_id)`, about ten requests). Our caller reads the same
    payload over REST in three, so the helper returns the id instead: the
    operation itself runs unchanged."""
    executions.get = _ReadLater
    return executions


def _deferred(result):
    if isinstance(result, _ReadLater):
        return {"read_later": result.exec_id}
    raise TypeError(f"expected the execution read back at the end, got {type(result).__name__}")


def run_flow(args, ctx):
    import kitaru._interface_executions as execution_interface
    import kitaru.client as client_api

    _track_flow_modules(ctx, args.get("known_modules"))
    _watch_new_runs(ctx)
    client_api.KitaruClient()  # as Python's tool: a missing project fails before the flow runs
    result = execution_interface.invoke_flow_target(
        target=args["target"],
        args=args["args"],
        stack=args["stack"],
        module_name_prefix="_kitaru_mcp_run_target_",
    )
    ctx.announce(result.exec_id)
    # Python's tool then reads the execution back (best effort): our caller does.
    return {"read_later": str(result.exec_id)}


def replay_execution(args, ctx):
    import kitaru._interface_executions as execution_interface
    import kitaru.client as client_api

    _track_flow_modules(ctx, args.get("known_modules"))
    _watch_new_runs(ctx)
    replay_inputs = execution_interface.ensure_inputs_object(args["flow_inputs"], input_label="`flow_inputs`")
    executions = _read_later(client_api.KitaruClient().executions)
    return _deferred(
        executions.replay(
            args["exec_id"],
            from_=args["from_"],
            overrides=args["overrides"],
            **replay_inputs,
        )
    )


def restart_execution(args, ctx):
    """Retry and resume continue the same execution. Its id is announced only
    once Kitaru's checks have passed and the run really restarts."""
    import kitaru.client as client_api

    _track_flow_modules(ctx, args.get("known_modules"))
    original_restart = client_api._restart_run_from_snapshot

    def _restart_run_from_snapshot(*, run, **kw):
        ctx.announce(str(run.id))
        return original_restart(run=run, **kw)

    client_api._restart_run_from_snapshot = _restart_run_from_snapshot
    executions = _read_later(client_api.KitaruClient().executions)
    return _deferred(getattr(executions, args["operation"])(args["exec_id"]))


def deploy_flow(args, ctx):
    import kitaru._interface_executions as execution_interface
    import kitaru.inspection as inspection
    from kitaru._client._deployments import resolve_deployment_exclusive
    from kitaru._flow_loading import _load_deployable_flow_target
    from kitaru._interface_deployments import build_deployment_deploy_kwargs, validate_deployment_selector

    _track_flow_modules(ctx, args.get("known_modules"))
    flow_inputs = execution_interface.ensure_inputs_object(args["inputs"])
    _, normalized_tag = validate_deployment_selector(tag=args["tag"], require_one=True)
    resolved_tags = {normalized_tag: resolve_deployment_exclusive(normalized_tag, args["exclusive"])}
    deploy_kwargs = build_deployment_deploy_kwargs(
        stack=args["stack"],
        image=args["image"],
        cache=args["cache"],
        retries=args["retries"],
        tags=resolved_tags,
        inputs=flow_inputs,
        image_label="`image`",
    )
    flow_target = _load_deployable_flow_target(args["target"], module_name_prefix="_kitaru_mcp_deploy_target_")
    deployment = flow_target.deploy(**deploy_kwargs)
    return inspection.serialize_deployment(deployment)
