// Artifact tools: metadata over REST; values from the server or the user's Python.
import { z } from 'zod';
import { getArtifactWithValue, listArtifacts } from '../kitaru/artifacts.ts';
import { artifactRefSchema, artifactWithValueSchema } from '../kitaru/payloads/executions.ts';
import { LARGE_RESULT_META, optionalInt, optionalString } from '../mcp/shapes.ts';
import { READ_ONLY, defineTool } from './kitaru-tool.ts';

export const kitaruArtifactsList = defineTool({
  name: 'kitaru_artifacts_list',
  title: 'List artifacts',
  description: 'List artifact metadata for one execution.',
  input: z.object({
    exec_id: z.string(),
    name: optionalString(),
    kind: optionalString(),
    producing_call: optionalString(),
    limit: optionalInt(),
  }),
  output: z.array(artifactRefSchema),
  annotations: READ_ONLY,
  handler: (args, { runtime, signal }) =>
    listArtifacts(
      runtime,
      { execId: args.exec_id, name: args.name, kind: args.kind, producingCall: args.producing_call, limit: args.limit },
      { signal },
    ),
});

export const kitaruArtifactsGet = defineTool({
  name: 'kitaru_artifacts_get',
  title: 'Get artifact',
  description: "Get one artifact's metadata and loaded value.",
  input: z.object({ artifact_id: z.string() }),
  output: artifactWithValueSchema,
  annotations: READ_ONLY,
  meta: LARGE_RESULT_META,
  handler: (args, { runtime, signal }) => getArtifactWithValue(runtime, args.artifact_id, { signal }),
});

export const TOOLS = [kitaruArtifactsList, kitaruArtifactsGet];
