// Where the active stack and project came from (environment, repo-local or
// global config), as Python's kitaru_info(all=True) reports it, and the
// warning Python gives when a saved id silently resolved to something else.
import path from 'node:path';
import type { Connection } from '../config/connection.ts';
import type { Env } from '../config/paths.ts';
import { readYamlMap } from '../config/yaml-files.ts';

export interface SelectionProvenance {
  resource: 'active_stack' | 'active_project';
  effective_source: 'environment' | 'repo-local config' | 'global config' | 'unset' | 'unknown';
  effective_source_detail: string | null;
  effective_id: string | null;
  resolved_id: string | null;
  resolved_name: string | null;
  environment_variable: string | null;
  environment_id: string | null;
  repository_root: string | null;
  repository_config_path: string | null;
  repository_id: string | null;
  global_config_path: string | null;
  global_id: string | null;
  notes: string[];
}

function configId(value: unknown): string | null {
  if (value === null || value === undefined) return null;
  const text = String(value).trim();
  return text === '' ? null : text;
}

function readRaw(file: string, notes: string[]): Record<string, unknown> {
  try {
    return readYamlMap(file);
  } catch (error) {
    notes.push(`Could not read config file ${file} (${(error as Error).name}): ${(error as Error).message}`);
    return {};
  }
}

function build(
  resource: SelectionProvenance['resource'],
  candidates: {
    environmentVariable: string;
    environmentId: string | null;
    repositoryRoot: string | null;
    repositoryConfigPath: string | null;
    repositoryId: string | null;
    globalConfigPath: string;
    globalId: string | null;
  },
  notes: string[],
): SelectionProvenance {
  const c = candidates;
  const [source, detail, id]: [SelectionProvenance['effective_source'], string | null, string | null] =
    c.environmentId !== null
      ? ['environment', c.environmentVariable, c.environmentId]
      : c.repositoryId !== null
        ? ['repo-local config', c.repositoryConfigPath, c.repositoryId]
        : c.globalId !== null
          ? ['global config', c.globalConfigPath, c.globalId]
          : ['unset', null, null];
  return {
    resource,
    effective_source: source,
    effective_source_detail: detail,
    effective_id: id,
    resolved_id: null,
    resolved_name: null,
    environment_variable: c.environmentVariable,
    environment_id: c.environmentId,
    repository_root: c.repositoryRoot,
    repository_config_path: c.repositoryConfigPath,
    repository_id: c.repositoryId,
    global_config_path: c.globalConfigPath,
    global_id: c.globalId,
    notes: [...notes],
  };
}

export function collectProvenance(connection: Connection, env: Env): { stack: SelectionProvenance; project: SelectionProvenance } {
  const notes: string[] = [];
  const repoConfigPath = connection.repositoryRoot === null ? null : path.join(connection.repositoryRoot, '.kitaru', 'config.yaml');
  const repoConfig = repoConfigPath === null ? {} : readRaw(repoConfigPath, notes);
  const globalConfig = readRaw(connection.configFile, notes);

  const stackNotes = [...notes];
  if (env.KITARU_STACK) stackNotes.push("KITARU_STACK is an execution default and does not set ZenML's active stack.");

  const kitaruProject = configId(env.KITARU_PROJECT);
  const zenmlProject = configId(env.ZENML_ACTIVE_PROJECT_ID);
  const projectNotes = [...notes];
  if (kitaruProject !== null && zenmlProject !== null && zenmlProject !== kitaruProject) {
    projectNotes.push(
      "Both KITARU_PROJECT and ZENML_ACTIVE_PROJECT_ID are set with different values; KITARU_PROJECT takes precedence via Kitaru's init-hook translation.",
    );
  }
  const shared = {
    repositoryRoot: connection.repositoryRoot,
    repositoryConfigPath: repoConfigPath,
    globalConfigPath: connection.configFile,
  };
  return {
    stack: build(
      'active_stack',
      {
        ...shared,
        environmentVariable: 'ZENML_ACTIVE_STACK_ID',
        environmentId: configId(env.ZENML_ACTIVE_STACK_ID),
        repositoryId: configId(repoConfig.active_stack_id),
        globalId: configId(globalConfig.active_stack_id),
      },
      stackNotes,
    ),
    project: build(
      'active_project',
      {
        ...shared,
        environmentVariable: kitaruProject !== null ? 'KITARU_PROJECT -> ZENML_ACTIVE_PROJECT_ID' : 'ZENML_ACTIVE_PROJECT_ID',
        environmentId: kitaruProject ?? zenmlProject,
        repositoryId: configId(repoConfig.active_project_id),
        globalId: configId(globalConfig.active_project_id),
      },
      projectNotes,
    ),
  };
}

function resolvedViaFallback(p: SelectionProvenance): boolean {
  if (p.effective_source !== 'repo-local config' && p.effective_source !== 'global config') return false;
  return p.effective_id !== null && p.resolved_id !== null && p.effective_id !== p.resolved_id;
}

/** Python's active_context_fallback_warning, word for word. */
export function fallbackWarning(stack: SelectionProvenance, project: SelectionProvenance): string | null {
  const lines: string[] = [];
  for (const [label, selection] of [
    ['active stack', stack],
    ['active project', project],
  ] as const) {
    if (!resolvedViaFallback(selection)) continue;
    const source = selection.effective_source_detail
      ? `${selection.effective_source} (${selection.effective_source_detail})`
      : selection.effective_source;
    const resolvedId = selection.resolved_id ?? 'unknown';
    const resolved = selection.resolved_name ? `${selection.resolved_name} (${resolvedId})` : resolvedId;
    lines.push(`Configured ${label} from ${source} points to ID '${selection.effective_id}', but Kitaru loaded ${resolved}.`);
  }
  if (lines.length === 0) return null;
  return [
    'Kitaru detected that the saved active context changed while loading.',
    ...lines,
    'This usually means the saved stack or project no longer exists, or your current credentials cannot access it.',
    'Choose the intended stack/project explicitly before running workflows to avoid accidentally using a fallback context.',
  ].join('\n');
}
