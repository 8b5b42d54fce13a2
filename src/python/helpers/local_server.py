"""Helpers for the local Kitaru server. Python prepares (dependency check,
database, registration files, the daemon's command line) and connects the
client config; the TypeScript supervisor spawns the daemon, decides readiness
by polling /health, and stops it. Plus the cleanup preview."""

def _start_error(action, exc):
    from kitaru._local_server import _local_server_start_error

    return _local_server_start_error(action=action, exc=exc)


def prepare_local_server(args, ctx):
    import os, shutil, sys
    from kitaru._env import ZENML_DEFAULT_ANALYTICS_SOURCE_ENV, _temporary_env
    from kitaru._local_server import (
        _DEFAULT_LOCAL_SERVER_HOST,
        _ensure_local_server_dependencies,
        _existing_local_server_url,
        _load_local_server_runtime,
        _resolve_env_ui_dist_path,
        _resolve_kitaru_ui_dir,
    )
    from kitaru.errors import KitaruBackendError

    _ensure_local_server_dependencies()
    deployer_cls, config_cls, provider_type, get_local_server = _load_local_server_runtime()
    deployer = deployer_cls()
    local_server = get_local_server()
    _resolve_env_ui_dist_path()
    port = args["port"]

    if local_server is not None:
        try:
            from zenml.config.global_config import GlobalConfiguration
            from zenml.enums import StoreType
            from zenml.zen_server.deploy.daemon.daemon_zen_server import DaemonZenServer
            existing_url = _existing_local_server_url(local_server)
            store = GlobalConfiguration().store_configuration
            if existing_url and store.type == StoreType.REST and store.url == existing_url:
                try:
                    deployer.disconnect_from_server()
                except Exception:
                    pass  # ZenML only warns here too
            shutil.rmtree(DaemonZenServer.config_path(), ignore_errors=True)
        except Exception as exc:
            raise KitaruBackendError(f"Failed to stop existing local server: {exc}") from exc

    action = "restarted" if args["port_given"] and local_server is not None else "started"
    env_overlay = {ZENML_DEFAULT_ANALYTICS_SOURCE_ENV: "kitaru-api"}
    ui_dir = _resolve_kitaru_ui_dir()
    if ui_dir:
        env_overlay["ZENML_SERVER_DASHBOARD_FILES_PATH"] = str(ui_dir)
    try:
        from uuid import uuid4
        from zenml.enums import ServiceState
        from zenml.services import HTTPEndpointHealthMonitor, LocalDaemonServiceEndpoint
        from zenml.zen_server.deploy.daemon.daemon_provider import DaemonServerProvider
        from zenml.zen_server.deploy.daemon.daemon_zen_server import DaemonZenServer

        with _temporary_env(env_overlay):
            deployer.initialize_local_database()
            config = config_cls(provider=provider_type.DAEMON, ip_address=_DEFAULT_LOCAL_SERVER_HOST, port=port)
            provider = deployer.get_provider(config.provider)
            server_config = provider._convert_config(config) if hasattr(provider, "_convert_config") else config
            service_config, endpoint_cfg, monitor_cfg = DaemonServerProvider._get_service_configuration(server_config)
            endpoint = LocalDaemonServiceEndpoint(config=endpoint_cfg, monitor=HTTPEndpointHealthMonitor(config=monitor_cfg))
            service = DaemonZenServer(uuid=uuid4(), config=service_config, endpoint=endpoint)
            service.admin_state = ServiceState.ACTIVE
            endpoint.prepare_for_start()  # raises "TCP port N is not available." as ZenML does
            command, env = service._get_daemon_cmd()
    except Exception as exc:
        raise _start_error(action, exc) from exc
    if sys.platform == "darwin":
        env.setdefault("OBJC_DISABLE_INITIALIZE_FORK_SAFETY", "YES")
    return {
        "action": action,
        "command": command,
        "env": dict(env),
        "config_file": service.status.config_file,
        "pid_file": service.status.pid_file,
        "log_file": service.status.log_file,
        "url": f"http://{_DEFAULT_LOCAL_SERVER_HOST}:{port}",
    }


def connect_local_server(args, ctx):
    from pathlib import Path
    from kitaru._local_server import (
        _ensure_local_server_dependencies,
        _existing_local_server_url,
        _load_local_server_runtime,
        _local_server_ui_override_running_error,
        _resolve_env_ui_dist_path,
    )
    from kitaru.errors import KitaruBackendError

    if args["existing"]:
        _ensure_local_server_dependencies()
    deployer_cls, _, _, get_local_server = _load_local_server_runtime()
    deployer = deployer_cls()
    if args["existing"]:
        local_server = get_local_server()
        existing_url = _existing_local_server_url(local_server) if local_server is not None else None
        ui_override_dir = _resolve_env_ui_dist_path()
        if ui_override_dir is not None and existing_url:
            raise _local_server_ui_override_running_error(existing_url=existing_url, ui_dir=ui_override_dir)
        try:
            deployer.connect_to_server()
        except Exception as exc:
            raise KitaruBackendError(f"Failed to connect to local server: {exc}") from exc
        return {"url": existing_url or args["url"]}
    try:
        deployer.connect_to_server()
        local_server = get_local_server()
    except Exception as exc:
        raise _start_error(args["action"], exc) from exc
    url = _existing_local_server_url(local_server) if local_server is not None else None
    return {"url": url or args["url"]}


def prepare_stop_local_server(args, ctx):
    try:
        from kitaru._local_server import _existing_local_server_url, _load_local_server_runtime
        deployer_cls, _, _, get_local_server = _load_local_server_runtime()
    except ImportError:
        return {"registered": False, "url": None}
    local_server = get_local_server()
    if local_server is None:
        return {"registered": False, "url": None}
    url = _existing_local_server_url(local_server)
    deployer = deployer_cls()
    try:
        # ZenML disconnects only from a server that still answers; a client
        # config left pointing at a dead local server also breaks the next
        # start (the new daemon refuses a REST store), so compare URLs too.
        from zenml.config.global_config import GlobalConfiguration
        from zenml.enums import StoreType
        store = GlobalConfiguration().store_configuration
        points_here = bool(url) and store.type == StoreType.REST and store.url == url
        if points_here or deployer.is_connected_to_server():
            deployer.disconnect_from_server()
    except Exception:
        pass  # ZenML's remove_server only warns when disconnecting fails
    return {"registered": True, "url": url}


def clean_preview(args, ctx):
    import kitaru._cleanup as cleanup
    clean_scope = cleanup.CleanScope(args["scope"])
    plan = cleanup.build_cleanup_plan(clean_scope)
    result = cleanup.build_cleanup_preview_result(plan)
    return cleanup.serialize_cleanup_result(result)
