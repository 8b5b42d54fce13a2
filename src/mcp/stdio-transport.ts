// Our stdio transport for the MCP SDK's Server. The SDK's own one reads lines
// with JSON.parse (so 2.0 arrives as 2 and big integers lose digits) and gives
// up silently when a line passes 10 MiB. This one reads every message with the
// lossless reader (src/compat/json.ts), answers what it cannot take with a
// JSON-RPC error and keeps serving:
// - a line that is not JSON: -32700 Parse error, id null (JSON-RPC 2.0, 5.1);
// - a line above the size limit: -32600, naming the limit and its setting;
// - nesting deeper than the depth limit: -32600, naming the limit;
// - valid JSON that is no JSON-RPC message: -32600.
// The id of a refused request is recovered from the line's start or end when it
// can be, so the client's pending request ends instead of waiting forever.
import type { Readable, Writable } from 'node:stream';
import type { Transport } from '@modelcontextprotocol/sdk/shared/transport.js';
import { type JSONRPCMessage, JSONRPCMessageSchema } from '@modelcontextprotocol/sdk/types.js';
import { JsonSyntaxError, parseJson, stringifyJson } from '../compat/json.ts';

/** 64 MiB: far above any real tool call, small enough that one line cannot exhaust memory. */
export const DEFAULT_MAX_MESSAGE_BYTES = 64 * 1024 * 1024;
/** pydantic's JSON parser (what Python's MCP server reads with) stops at 200 levels too. */
export const MAX_MESSAGE_DEPTH = 200;
export const MAX_MESSAGE_BYTES_SETTING = 'KITARU_MCP_MAX_MESSAGE_BYTES';

const HEAD_BYTES = 64 * 1024;
const TAIL_BYTES = 4 * 1024;

type Id = string | number | null;

/** The message size limit: KITARU_MCP_MAX_MESSAGE_BYTES when it is a positive integer, else the default. */
export function maxMessageBytes(env: NodeJS.ProcessEnv): number {
  const raw = env[MAX_MESSAGE_BYTES_SETTING]?.trim();
  if (raw !== undefined && /^\d+$/.test(raw) && Number(raw) > 0) return Number(raw);
  return DEFAULT_MAX_MESSAGE_BYTES;
}

const ID_VALUE = String.raw`(-?\d+|"(?:[^"\\]|\\.)*")`;
const ID_AT_START = new RegExp(String.raw`^\s*\{\s*(?:"jsonrpc"\s*:\s*"2\.0"\s*,\s*)?"id"\s*:\s*${ID_VALUE}`);
const ID_AT_END = new RegExp(String.raw`,\s*"id"\s*:\s*${ID_VALUE}\s*\}\s*$`);

/** A request's id from the first or last bytes of its line (clients put it at one end). */
export function recoverId(head: string, tail: string): Id {
  const match = ID_AT_START.exec(head) ?? ID_AT_END.exec(tail);
  if (match?.[1] === undefined) return null;
  try {
    return JSON.parse(match[1]) as string | number;
  } catch {
    return null;
  }
}

export interface StdioTransportOptions {
  input?: Readable;
  output?: Writable;
  maxMessageBytes?: number;
  /**
   * Answer a refused line with a JSON-RPC error (a server does). A client must
   * not: a peer that prints non-JSON would get an answer, print again, and so on.
   * Without it, refusals go to onerror.
   */
  answerRefusals?: boolean;
}

export class StdioTransport implements Transport {
  onclose?: () => void;
  onerror?: (error: Error) => void;
  onmessage?: (message: JSONRPCMessage) => void;

  private readonly input: Readable;
  private readonly output: Writable;
  private readonly limit: number;
  private readonly answerRefusals: boolean;
  private chunks: Buffer[] = [];
  private size = 0;
  /** Set while a line is past the limit: its first and last bytes only. */
  private overflow: { head: Buffer; tail: Buffer } | null = null;
  private started = false;
  private drained: Promise<void> | null = null;

  constructor(options: StdioTransportOptions = {}) {
    this.input = options.input ?? process.stdin;
    this.output = options.output ?? process.stdout;
    this.limit = options.maxMessageBytes ?? DEFAULT_MAX_MESSAGE_BYTES;
    this.answerRefusals = options.answerRefusals ?? true;
  }

  private readonly onData = (chunk: Buffer) => {
    let start = 0;
    for (;;) {
      const newline = chunk.indexOf(10, start);
      if (newline === -1) {
        this.append(chunk.subarray(start));
        return;
      }
      this.append(chunk.subarray(start, newline));
      this.finishLine();
      start = newline + 1;
    }
  };

  private readonly onError = (error: Error) => this.onerror?.(error);

  async start(): Promise<void> {
    if (this.started) throw new Error('StdioTransport already started');
    this.started = true;
    this.input.on('data', this.onData);
    this.input.on('error', this.onError);
  }

  private append(part: Buffer): void {
    if (part.length === 0) return;
    this.size += part.length;
    if (this.overflow !== null) {
      this.overflow.tail = Buffer.concat([this.overflow.tail, part]).subarray(-TAIL_BYTES);
      return;
    }
    this.chunks.push(part);
    if (this.size > this.limit) {
      const all = Buffer.concat(this.chunks);
      this.overflow = { head: Buffer.from(all.subarray(0, HEAD_BYTES)), tail: Buffer.from(all.subarray(-TAIL_BYTES)) };
      this.chunks = [];
    }
  }

  private finishLine(): void {
    const size = this.size;
    const overflow = this.overflow;
    const line = overflow === null ? Buffer.concat(this.chunks).toString('utf8') : '';
    this.chunks = [];
    this.size = 0;
    this.overflow = null;
    if (overflow !== null) {
      const id = recoverId(overflow.head.toString('utf8'), overflow.tail.toString('utf8'));
      this.refuse(
        id,
        -32600,
        `Invalid Request: the message is ${size} bytes, above the limit of ${this.limit} bytes (set ${MAX_MESSAGE_BYTES_SETTING} to change it)`,
      );
      return;
    }
    if (line.trim() === '') return;
    let value: unknown;
    try {
      value = parseJson(line, { maxDepth: MAX_MESSAGE_DEPTH });
    } catch (error) {
      if (error instanceof JsonSyntaxError && error.tooDeep) {
        const id = recoverId(line.slice(0, HEAD_BYTES), line.slice(-TAIL_BYTES));
        this.refuse(id, -32600, `Invalid Request: the message is nested deeper than ${MAX_MESSAGE_DEPTH} levels`);
      } else {
        this.refuse(null, -32700, `Parse error: ${(error as Error).message}`);
      }
      return;
    }
    const parsed = JSONRPCMessageSchema.safeParse(value);
    if (!parsed.success) {
      const raw = value !== null && typeof value === 'object' ? (value as { id?: unknown }).id : undefined;
      const id = typeof raw === 'string' || typeof raw === 'number' ? raw : null;
      this.refuse(id, -32600, 'Invalid Request: not a JSON-RPC 2.0 message');
      return;
    }
    try {
      this.onmessage?.(parsed.data);
    } catch (error) {
      this.onerror?.(error as Error);
    }
  }

  private refuse(id: Id, code: number, message: string): void {
    if (!this.answerRefusals) {
      this.onerror?.(new Error(message));
      return;
    }
    void this.send({ jsonrpc: '2.0', id, error: { code, message } } as unknown as JSONRPCMessage).catch((error: unknown) =>
      this.onerror?.(error as Error),
    );
  }

  async close(): Promise<void> {
    this.input.off('data', this.onData);
    this.input.off('error', this.onError);
    if (this.input.listenerCount('data') === 0) this.input.pause();
    this.chunks = [];
    this.overflow = null;
    this.onclose?.();
  }

  send(message: JSONRPCMessage): Promise<void> {
    // NaN and Infinity go out as null, as pydantic writes them on Python's side: JSON has no such tokens.
    const text = `${stringifyJson(message, { nonFinite: 'null' })}\n`;
    if (this.output.write(text)) return Promise.resolve();
    // Every sender waiting on a full pipe shares one 'drain' listener.
    this.drained ??= new Promise((resolve) =>
      this.output.once('drain', () => {
        this.drained = null;
        resolve();
      }),
    );
    return this.drained;
  }
}
