// A bounded, seeded fuzzer of tools/call arguments, spoken as raw JSON-RPC
// lines over the stdio of one server process. It counts calls, crashes (the
// process exits), hangs (no reply within a bound), invalid arguments accepted
// (a definitely-invalid value that is not refused as a validation error naming
// the field), non-protocol bytes on stdout, and the process's peak memory.
import { type ChildProcessWithoutNullStreams, spawn } from 'node:child_process';
import fs from 'node:fs';

export interface FuzzReport {
  seed: number;
  calls: number;
  invalidSent: number;
  crashes: number;
  hangs: number;
  invalidAccepted: string[];
  unnamedField: string[];
  stdoutNoise: number;
  peakRssMiB: number | null;
}

type Schema = {
  type?: string | string[];
  anyOf?: Schema[];
  enum?: string[];
  items?: Schema;
  properties?: Record<string, Schema>;
  required?: string[];
};
interface Tool {
  name: string;
  inputSchema: Schema;
}

/** mulberry32: small, seeded, reproducible. */
function rng(seed: number) {
  let a = seed >>> 0;
  const next = () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
  const int = (n: number) => Math.floor(next() * n);
  const pick = <T>(list: readonly T[]): T => list[int(list.length)] as T;
  return { next, int, pick };
}
type Rng = ReturnType<typeof rng>;

const NASTY = [
  '',
  ' ',
  '../../../../etc/passwd',
  '\u0000',
  'ü🦀\u202e',
  // biome-ignore lint/suspicious/noTemplateCurlyInString: a literal ${HOME} is one of the hostile inputs.
  '${HOME}',
  '$(touch /tmp/pwned)',
  '%s%n',
  "'; DROP TABLE",
  'a'.repeat(70_000),
  '-1',
  'null',
];

function kinds(schema: Schema): string[] {
  if (schema.enum) return ['enum'];
  const types = schema.anyOf
    ? schema.anyOf.flatMap(kinds)
    : Array.isArray(schema.type)
      ? schema.type
      : schema.type
        ? [schema.type]
        : ['any'];
  return types;
}

function validValue(schema: Schema, r: Rng): unknown {
  if (schema.enum) return r.pick(schema.enum);
  const kind = r.pick(kinds(schema));
  switch (kind) {
    case 'string':
      return r.next() < 0.5 ? r.pick(NASTY) : Array.from({ length: r.int(40) }, () => String.fromCodePoint(32 + r.int(0x2000))).join('');
    case 'integer':
      return r.pick([0, 1, -1, 7, 2 ** 31, -(2 ** 53) + 1, 2 ** 53 - 1]);
    case 'boolean':
      return r.next() < 0.5;
    case 'null':
      return null;
    case 'array':
      return Array.from({ length: r.int(5) }, () => validValue(schema.items ?? { type: 'string' }, r));
    case 'object':
      return Object.fromEntries(Array.from({ length: r.int(4) }, (_, i) => [`k${i}`, r.pick([1, 'v', null, [1], { a: 1 }])]));
    default:
      return r.pick([1, 'x', null, [], {}]);
  }
}

function deep(depth: number): unknown {
  let value: unknown = 'leaf';
  for (let i = 0; i < depth; i += 1) value = { d: value };
  return value;
}

/** A value no lax (pydantic-style) coercion turns into something of `schema`'s type. */
function invalidValue(schema: Schema, r: Rng): unknown | undefined {
  const accepted = new Set(kinds(schema));
  if (accepted.has('any')) return undefined;
  const candidates: unknown[] = [];
  if (schema.enum) candidates.push('zzz-not-an-option', 42);
  if (!accepted.has('string') && !accepted.has('enum')) candidates.push('not a number or flag');
  if (!accepted.has('integer') && !accepted.has('boolean') && !accepted.has('string')) candidates.push(12.5);
  if (accepted.has('integer')) candidates.push(1.5, 'abc');
  if (accepted.has('boolean')) candidates.push(2, 'maybe');
  if (!accepted.has('object')) candidates.push({ nested: deep(r.pick([1, 50, 3000])) });
  if (!accepted.has('array')) candidates.push([1, 2]);
  if (accepted.has('array')) candidates.push([{ not: 'a string' }]);
  return r.pick(candidates);
}

function validArgs(tool: Tool, r: Rng): Record<string, unknown> {
  const args: Record<string, unknown> = {};
  for (const [name, schema] of Object.entries(tool.inputSchema.properties ?? {})) {
    if ((tool.inputSchema.required ?? []).includes(name) || r.next() < 0.5) args[name] = validValue(schema, r);
  }
  if (r.next() < 0.1) args.unexpected_extra = 'ignored like pydantic';
  return args;
}

/** Invalid arguments and the field a refusal must name; null when this tool gives no such chance. */
function invalidArgs(tool: Tool, r: Rng): { args: Record<string, unknown>; field: string } | null {
  const args = validArgs(tool, r);
  const required = tool.inputSchema.required ?? [];
  if (required.length > 0 && r.next() < 0.25) {
    const field = r.pick(required);
    delete args[field];
    return { args, field };
  }
  const fields = Object.entries(tool.inputSchema.properties ?? {});
  for (let tries = 0; tries < 5 && fields.length > 0; tries += 1) {
    const [field, schema] = r.pick(fields);
    const value = invalidValue(schema, r);
    if (value !== undefined) return { args: { ...args, [field]: value }, field };
  }
  return null;
}

export interface FuzzOptions {
  command: string;
  args: string[];
  env: Record<string, string>;
  cwd: string;
  seed: number;
  maxCalls: number;
  /** Tools that run Python or start processes when their arguments are valid: they only get invalid ones. */
  invalidOnly: ReadonlySet<string>;
  hangMs: number;
  concurrency: number;
}

export async function fuzzTools(options: FuzzOptions): Promise<FuzzReport> {
  const r = rng(options.seed);
  const child: ChildProcessWithoutNullStreams = spawn(options.command, options.args, { env: options.env, cwd: options.cwd, stdio: 'pipe' });
  const report: FuzzReport = {
    seed: options.seed,
    calls: 0,
    invalidSent: 0,
    crashes: 0,
    hangs: 0,
    invalidAccepted: [],
    unnamedField: [],
    stdoutNoise: 0,
    peakRssMiB: null,
  };
  const waiting = new Map<number, (message: { result?: { isError?: boolean; content?: { text?: string }[] }; error?: unknown }) => void>();
  let exited = false;
  child.on('exit', () => {
    exited = true;
    for (const resolve of waiting.values()) resolve({ error: 'exited' });
  });
  child.stderr.resume();
  let buffer = '';
  child.stdout.on('data', (chunk: Buffer) => {
    buffer += chunk.toString('utf8');
    for (let newline = buffer.indexOf('\n'); newline >= 0; newline = buffer.indexOf('\n')) {
      const line = buffer.slice(0, newline);
      buffer = buffer.slice(newline + 1);
      let message: { id?: number };
      try {
        message = JSON.parse(line);
      } catch {
        report.stdoutNoise += 1;
        continue;
      }
      if (typeof message.id === 'number') waiting.get(message.id)?.(message as never);
    }
  });
  let nextId = 1;
  const rpc = (method: string, params: unknown) =>
    new Promise<{ result?: { isError?: boolean; content?: { text?: string }[] }; error?: unknown } | 'hang'>((resolve) => {
      const id = nextId++;
      const timer = setTimeout(() => {
        waiting.delete(id);
        resolve('hang');
      }, options.hangMs);
      waiting.set(id, (message) => {
        clearTimeout(timer);
        waiting.delete(id);
        resolve(message);
      });
      child.stdin.write(`${JSON.stringify({ jsonrpc: '2.0', id, method, params })}\n`);
    });

  const init = await rpc('initialize', { protocolVersion: '2025-06-18', capabilities: {}, clientInfo: { name: 'fuzz', version: '0' } });
  if (init === 'hang' || init.error) throw new Error(`initialize failed: ${JSON.stringify(init)}`);
  child.stdin.write(`${JSON.stringify({ jsonrpc: '2.0', method: 'notifications/initialized' })}\n`);
  const listed = await rpc('tools/list', {});
  if (listed === 'hang' || listed.error) throw new Error('tools/list failed');
  const tools = (listed.result as unknown as { tools: Tool[] }).tools;

  const one = async () => {
    const tool = r.pick(tools);
    const wantInvalid = options.invalidOnly.has(tool.name) || r.next() < 0.6;
    const invalid = wantInvalid ? invalidArgs(tool, r) : null;
    if (wantInvalid && invalid === null && options.invalidOnly.has(tool.name)) return;
    const args = invalid?.args ?? validArgs(tool, r);
    report.calls += 1;
    if (invalid !== null) report.invalidSent += 1;
    const answer = await rpc('tools/call', { name: tool.name, arguments: args });
    if (answer === 'hang') {
      report.hangs += 1;
      return;
    }
    if (invalid === null || answer.error !== undefined) return;
    const text = (answer.result?.content ?? []).map((c) => c.text ?? '').join('\n');
    if (answer.result?.isError !== true || !/validation error/.test(text)) {
      report.invalidAccepted.push(`${tool.name} ${JSON.stringify(args).slice(0, 200)} -> ${text.slice(0, 200)}`);
    } else if (!text.includes(invalid.field)) {
      report.unnamedField.push(`${tool.name}.${invalid.field}: ${text.slice(0, 200)}`);
    }
  };

  let started = 0;
  const worker = async () => {
    while (started < options.maxCalls && !exited) {
      started += 1;
      await one();
    }
  };
  await Promise.all(Array.from({ length: options.concurrency }, worker));
  if (exited) report.crashes += 1;
  report.peakRssMiB = peakRss(child.pid);
  child.stdin.end();
  await new Promise<void>((resolve) => {
    if (exited) resolve();
    else child.once('exit', () => resolve());
    setTimeout(() => {
      child.kill('SIGKILL');
      resolve();
    }, 5000).unref();
  });
  return report;
}

/** VmHWM: the highest resident set the process reached (Linux). */
function peakRss(pid: number | undefined): number | null {
  try {
    const status = fs.readFileSync(`/proc/${pid}/status`, 'utf8');
    const kib = Number(/VmHWM:\s+(\d+) kB/.exec(status)?.[1]);
    return Number.isFinite(kib) ? Math.round(kib / 1024) : null;
  } catch {
    return null;
  }
}
