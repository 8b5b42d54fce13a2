// Secret tools. Only creation, on purpose: no tool reads values back or
// deletes a secret, and creation answers with metadata alone.
import { z } from 'zod';
import { createSecret } from '../kitaru/secrets.ts';
import { secretCreatedSchema } from '../kitaru/payloads/environment.ts';
import { type KitaruTool, defineTool } from './kitaru-tool.ts';

const create = defineTool({
  name: 'kitaru_secrets_create',
  title: 'Create a secret',
  description: 'Create a Kitaru secret and return metadata without raw values.',
  input: z.object({
    name: z.string(),
    values: z.record(z.string(), z.unknown()),
    private: z.boolean().default(false),
  }),
  output: secretCreatedSchema,
  annotations: { readOnlyHint: false, destructiveHint: false, idempotentHint: false, openWorldHint: false },
  secretInputs: ['values'],
  handler: (args, { runtime, signal }) => createSecret(runtime, args, { signal }),
});

export const TOOLS: KitaruTool[] = [create];
