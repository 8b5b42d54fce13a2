// Every tool, listed in the order Python's kitaru-mcp registers them, so
// tools/list reads the same; tools Python lacks come last. Each domain file
// owns its tools; this file only puts them in order.
import { TOOLS as artifacts } from './artifacts.ts';
import { TOOLS as deployments } from './deployments.ts';
import { TOOLS as executionInteraction } from './executions/interaction.ts';
import { TOOLS as executionQueries } from './executions/queries.ts';
import { TOOLS as executionRuns } from './executions/runs.ts';
import type { KitaruTool } from './kitaru-tool.ts';
import { TOOLS as localServer } from './local-server.ts';
import { TOOLS as secrets } from './secrets.ts';
import { TOOLS as stacks } from './stacks.ts';
import { TOOLS as status } from './status.ts';

export const PYTHON_ORDER = [
  'kitaru_executions_list',
  'kitaru_executions_get',
  'kitaru_executions_latest',
  'get_execution_logs',
  'kitaru_executions_run',
  'kitaru_deployments_deploy',
  'kitaru_deployments_invoke',
  'kitaru_deployments_list',
  'kitaru_deployments_get',
  'kitaru_deployments_delete',
  'kitaru_deployments_tag',
  'kitaru_deployments_untag',
  'kitaru_executions_cancel',
  'kitaru_executions_input',
  'kitaru_executions_retry',
  'kitaru_executions_replay',
  'kitaru_secrets_create',
  'kitaru_artifacts_list',
  'kitaru_artifacts_get',
  'kitaru_start_local_server',
  'kitaru_stop_local_server',
  'kitaru_status',
  'kitaru_stacks_list',
  'manage_stack',
  'kitaru_info',
  'kitaru_clean_preview',
] as const;

function rank(tool: KitaruTool): number {
  const index = (PYTHON_ORDER as readonly string[]).indexOf(tool.name);
  return index === -1 ? PYTHON_ORDER.length : index;
}

export const ALL_TOOLS: KitaruTool[] = [
  ...status,
  ...executionQueries,
  ...executionRuns,
  ...executionInteraction,
  ...artifacts,
  ...deployments,
  ...secrets,
  ...stacks,
  ...localServer,
].sort((a, b) => rank(a) - rank(b));
