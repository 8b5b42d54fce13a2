// Status tools: the current connection (kitaru_status) and environment
// diagnostics (kitaru_info), one snapshot shape for both.
import { z } from 'zod';
import { runtimeSnapshotSchema } from '../kitaru/payloads/environment.ts';
import { buildRuntimeSnapshot } from '../kitaru/status.ts';
import { READ_ONLY, defineTool } from './kitaru-tool.ts';

export const kitaruStatus = defineTool({
  name: 'kitaru_status',
  title: 'Kitaru status',
  description: 'Return structured status details for the current Kitaru connection.',
  input: z.object({}),
  output: runtimeSnapshotSchema,
  annotations: READ_ONLY,
  handler: (_args, { runtime }) => buildRuntimeSnapshot(runtime),
});

export const kitaruInfo = defineTool({
  name: 'kitaru_info',
  title: 'Kitaru environment diagnostics',
  description:
    'Return detailed environment diagnostics for the current Kitaru setup.\n\n' +
    '    Equivalent to `kitaru info --output json`. Use `all=True` for the full\n' +
    '    diagnostic including all packages and environment type.\n    ',
  input: z.object({
    all: z.boolean().default(false),
    all_packages: z.boolean().default(false),
    packages: z.array(z.string()).nullable().default(null),
  }),
  output: runtimeSnapshotSchema,
  annotations: READ_ONLY,
  handler: ({ all, all_packages, packages }, { runtime }) => {
    const includePackages = all || all_packages;
    return buildRuntimeSnapshot(runtime, {
      includePackages,
      packageNames: includePackages ? null : packages && packages.length > 0 ? packages : null,
      includeEnvironmentType: all,
      includeProvenanceDetails: all,
    });
  },
});

export const TOOLS = [kitaruStatus, kitaruInfo];
