// The command line: flags, then MCP over stdio. stdout carries the protocol
// and nothing else; every diagnostic goes to stderr.
import { parseArgs } from 'node:util';
import { StdioTransport, maxMessageBytes } from './mcp/stdio-transport.ts';
import { prewarmPython } from './kitaru/python.ts';
import { stopAllWorkers } from './python/run.ts';
import { createServer } from './server.ts';
import { VERSION } from './version.ts';

const HELP = `kitaru-mcp ${VERSION}: an MCP server for Kitaru (stdio).

Usage: kitaru-mcp [options]
       kitaru-mcp install <client> [--python PATH] [--config FILE]

Options:
  --python PATH      the Python interpreter that has kitaru installed
                     (default: KITARU_PYTHON, the active or project virtualenv,
                     the interpreter behind \`kitaru\` on PATH, then python3)
  --read-only        offer only tools (and prompts) that do not change anything
                     (also KITARU_MCP_READ_ONLY=1)
  --prewarm          start the Python worker (and import kitaru) right away,
                     so the first run/replay/retry is warm (KITARU_MCP_PREWARM=1)
  --print-config C   print client C's config file content for this server (claude,
                     claude-desktop, cursor, vscode, codex, gemini, windsurf)
  --version          print the version and exit
  --help             print this help and exit

Environment: KITARU_SERVER_URL, KITARU_AUTH_TOKEN, KITARU_PROJECT, KITARU_CONFIG_PATH,
ZENML_STORE_URL, ZENML_STORE_API_KEY, ZENML_CONFIG_PATH, KITARU_PYTHON,
KITARU_MCP_MAX_MESSAGE_BYTES, KITARU_MCP_READ_ONLY, KITARU_MCP_ASK_TIMEOUT_SECONDS (see README).
`;

interface Flags {
  python?: string | undefined;
  readOnly: boolean;
  prewarm: boolean;
  printConfig?: string | undefined;
}

function fail(message: string): never {
  process.stderr.write(`kitaru-mcp: ${message}\n${'Run `kitaru-mcp --help` for usage.'}\n`);
  process.exit(2);
}

const OPTIONS = {
  help: { type: 'boolean', short: 'h' },
  version: { type: 'boolean', short: 'V' },
  python: { type: 'string' },
  'read-only': { type: 'boolean' },
  prewarm: { type: 'boolean' },
  'print-config': { type: 'string' },
} as const;

/** node's parseArgs, with its errors said in our words (exit 2, a pointer to --help). */
function parseFlags(argv: string[]): Flags {
  let values: ReturnType<typeof parseArgs<{ args: string[]; options: typeof OPTIONS; strict: true }>>['values'];
  try {
    ({ values } = parseArgs({ args: argv, options: OPTIONS, strict: true, allowPositionals: false }));
  } catch (error) {
    const code = (error as { code?: string }).code;
    if (code === 'ERR_PARSE_ARGS_INVALID_OPTION_VALUE') {
      const message = (error as Error).message;
      const name = /'(--[\w-]+)/.exec(message)?.[1] ?? 'an option';
      fail(message.includes('does not take') ? `${name} takes no value.` : `${name} needs a value.`);
    }
    const offending = /'([^']+)'/.exec((error as Error).message)?.[1] ?? String(error);
    fail(`unknown option ${offending}.`);
  }
  if (values.help) {
    process.stdout.write(HELP);
    return process.exit(0);
  }
  if (values.version) {
    process.stdout.write(`kitaru-mcp ${VERSION} (node ${process.versions.node})\n`);
    return process.exit(0);
  }
  for (const name of ['python', 'print-config'] as const) {
    if (values[name] === '') fail(`--${name} needs a value.`);
  }
  return {
    python: values.python,
    readOnly: values['read-only'] === true,
    prewarm: values.prewarm === true || process.env.KITARU_MCP_PREWARM === '1',
    printConfig: values['print-config'],
  };
}

async function main(): Promise<void> {
  if (process.argv[2] === 'install') {
    const { runInstall } = await import('./cli/install.ts');
    process.exitCode = runInstall(process.argv.slice(3));
    return;
  }
  const flags = parseFlags(process.argv.slice(2));
  if (flags.printConfig !== undefined) {
    const { runPrintConfig } = await import('./cli/print-config.ts');
    process.exitCode = runPrintConfig(flags.printConfig, flags.python);
    return;
  }

  const { server, runtime } = createServer({
    env: process.env,
    cwd: process.cwd(),
    python: flags.python,
    readOnly: flags.readOnly,
  });

  let closing = false;
  const shutdown = (code: number) => {
    if (closing) return;
    closing = true;
    stopAllWorkers();
    // Give the transport a moment to flush, but never hang on it.
    void server.close().finally(() => process.exit(code));
    setTimeout(() => process.exit(code), 500).unref();
  };

  // The client went away: exit promptly, leaving no helper processes behind.
  process.stdin.on('end', () => shutdown(0));
  process.stdin.on('close', () => shutdown(0));
  process.on('SIGINT', () => shutdown(130));
  process.on('SIGTERM', () => shutdown(143));
  process.stdout.on('error', () => shutdown(0)); // EPIPE: nobody is reading

  await server.connect(new StdioTransport({ maxMessageBytes: maxMessageBytes(process.env) }));
  if (flags.prewarm) void prewarmPython(runtime);
}

main().catch((error: unknown) => {
  process.stderr.write(`kitaru-mcp: ${(error as Error).stack ?? String(error)}\n`);
  process.exit(1);
});
