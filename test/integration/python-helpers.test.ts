// The helper programs are real Python: they compile, and every private Kitaru
// or ZenML name they rely on exists in the installed (pinned) kitaru. When an
// upgrade renames one, this fails before a user's run does.
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { test } from 'node:test';
import { helperSources } from '../../src/python/helper-sources.ts';

const python = path.resolve('.venv-ref/bin/python');
const helpersDir = path.resolve('src/python/helpers');

test('every helper compiles (py_compile) and is shipped', async () => {
  const files = fs.readdirSync(helpersDir).filter((f) => f.endsWith('.py'));
  assert.ok(files.length >= 6);
  // compile() is py_compile without writing a .pyc next to the sources.
  const script = 'import sys\nfor f in sys.argv[1:]:\n    compile(open(f, encoding="utf-8").read(), f, "exec")\n';
  execFileSync(python, ['-c', script, ...files.map((f) => path.join(helpersDir, f))], { stdio: 'pipe' });
  const sources = await helperSources();
  const shipped = new Set(['worker', ...Object.keys(sources.modules)]);
  for (const file of files) assert.ok(shipped.has(file.replace(/\.py$/, '')), `${file} is not in helper-sources.ts`);
});

/** module -> attributes the helpers use; private ones are the point. */
const CONTRACT: Record<string, string[]> = {
  'kitaru._flow_loading': ['_load_module_from_python_path', '_load_deployable_flow_target'],
  'kitaru._interface_executions': ['invoke_flow_target', 'ensure_inputs_object'],
  'kitaru.client': ['KitaruClient', '_restart_run_from_snapshot'],
  'kitaru.inspection': ['serialize_artifact_value', 'serialize_deployment', 'serialize_stack_create_result'],
  'kitaru._client._deployments': ['resolve_deployment_exclusive'],
  'kitaru._interface_deployments': ['build_deployment_deploy_kwargs', 'validate_deployment_selector'],
  'kitaru._interface_stacks': ['build_manage_stack_request', 'execute_stack_create_request'],
  'kitaru._cleanup': ['CleanScope', 'build_cleanup_plan', 'build_cleanup_preview_result', 'serialize_cleanup_result'],
  'kitaru._env': ['ZENML_DEFAULT_ANALYTICS_SOURCE_ENV', '_temporary_env'],
  'kitaru._local_server': [
    '_DEFAULT_LOCAL_SERVER_HOST',
    '_ensure_local_server_dependencies',
    '_existing_local_server_url',
    '_load_local_server_runtime',
    '_resolve_env_ui_dist_path',
    '_resolve_kitaru_ui_dir',
    '_local_server_start_error',
    '_local_server_ui_override_running_error',
  ],
  'kitaru.errors': ['KitaruBackendError'],
  'zenml.zen_stores.rest_zen_store': ['RestZenStore'],
  'zenml.zen_stores.sql_zen_store': ['SqlZenStore'],
  'zenml.config.global_config': ['GlobalConfiguration'],
  'zenml.enums': ['StoreType', 'ExecutionStatus', 'ServiceState'],
  'zenml.models': ['PipelineRunUpdate', 'ArtifactVersionResponse'],
  'zenml.services': ['HTTPEndpointHealthMonitor', 'LocalDaemonServiceEndpoint'],
  'zenml.zen_server.deploy.daemon.daemon_provider': ['DaemonServerProvider'],
  'zenml.zen_server.deploy.daemon.daemon_zen_server': ['DaemonZenServer'],
};

/** Method names on classes, checked the same way. */
const METHODS: [string, string, string][] = [
  // The flow helpers replace the final read-back (`self.get`) of these operations.
  ['kitaru.client', '_ExecutionsAPI', 'get'],
  ['kitaru.client', '_ExecutionsAPI', 'retry'],
  ['kitaru.client', '_ExecutionsAPI', 'resume'],
  ['kitaru.client', '_ExecutionsAPI', 'replay'],
  ['zenml.models', 'ArtifactVersionResponse', 'load'],
  ['zenml.zen_stores.rest_zen_store', 'RestZenStore', 'get_or_create_run'],
  ['zenml.zen_stores.rest_zen_store', 'RestZenStore', '_session'],
  ['zenml.zen_stores.sql_zen_store', 'SqlZenStore', 'get_or_create_run'],
  ['zenml.config.global_config', 'GlobalConfiguration', '_zen_store'],
  // A worker forgets its connection with these (helpers/warmup.py, forget_connection).
  ['zenml.config.global_config', 'GlobalConfiguration', '_global_config'],
  ['zenml.config.global_config', 'GlobalConfiguration', '_reset_instance'],
  ['zenml.client', 'Client', '_reset_instance'],
  ['zenml.zen_server.deploy.daemon.daemon_provider', 'DaemonServerProvider', '_get_service_configuration'],
  ['zenml.zen_server.deploy.daemon.daemon_zen_server', 'DaemonZenServer', '_get_daemon_cmd'],
];

test('every private Kitaru/ZenML name the helpers use exists in the installed kitaru', () => {
  // Each name must also appear in some helper, so the table cannot drift into checking nothing.
  const helperText = fs
    .readdirSync(helpersDir)
    .filter((f) => f.endsWith('.py'))
    .map((f) => fs.readFileSync(path.join(helpersDir, f), 'utf8'))
    .join('\n');
  for (const [module, names] of Object.entries(CONTRACT)) {
    for (const name of names) assert.ok(helperText.includes(name), `${module}.${name} is not used by any helper: drop it from the table`);
  }
  const script = `
import importlib, json, sys
contract, methods = json.loads(sys.argv[1]), json.loads(sys.argv[2])
missing = []
for module, names in contract.items():
    try:
        m = importlib.import_module(module)
    except Exception as exc:
        missing.append(f"{module} ({exc})"); continue
    missing += [f"{module}.{n}" for n in names if not hasattr(m, n)]
for module, cls, name in methods:
    c = getattr(importlib.import_module(module), cls)
    if not hasattr(c, name) and name not in getattr(c, "__annotations__", {}) and name not in getattr(c, "__private_attributes__", {}):
        missing.append(f"{module}.{cls}.{name}")
print(json.dumps(missing))
`;
  const out = execFileSync(python, ['-c', script, JSON.stringify(CONTRACT), JSON.stringify(METHODS)], { encoding: 'utf8' });
  assert.deepEqual(JSON.parse(out.trim().split('\n').pop()!), []);
});

test('a worker that forgets its connection reads the client config afresh', () => {
  // warmup.forget_connection on a warm Client and GlobalConfiguration, in a
  // config dir of its own: afterwards both are new objects, and nothing is
  // imported in a worker that never imported ZenML.
  const configDir = fs.mkdtempSync(path.join(os.tmpdir(), 'kitaru-forget-'));
  const script = `
import json, sys, types
warmup = types.ModuleType("warmup")
exec(compile(open(sys.argv[1], encoding="utf-8").read(), "warmup.py", "exec"), warmup.__dict__)
warmup.forget_connection()
untouched = "zenml" not in sys.modules
from zenml.client import Client
from zenml.config.global_config import GlobalConfiguration
config, client = GlobalConfiguration(), Client()
warmup.forget_connection()
print(json.dumps({
    "untouched": untouched,
    "config_reset": GlobalConfiguration._global_config is None and GlobalConfiguration() is not config,
    "client_reset": Client() is not client,
}))
`;
  try {
    const out = execFileSync(python, ['-c', script, path.join(helpersDir, 'warmup.py')], {
      encoding: 'utf8',
      env: { ...process.env, KITARU_CONFIG_PATH: configDir, ZENML_CONFIG_PATH: configDir, ZENML_ANALYTICS_OPT_IN: 'false' },
    });
    assert.deepEqual(JSON.parse(out.trim().split('\n').pop()!), { untouched: true, config_reset: true, client_reset: true });
  } finally {
    fs.rmSync(configDir, { recursive: true, force: true });
  }
});
