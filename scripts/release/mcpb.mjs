// The Claude Desktop bundle (MCPB) manifest: one manifest for every platform
// (the Windows binary is named by platform_overrides), each .mcpb carrying the
// one binary for its platform. Binary bundles, not node ones: Claude Desktop's
// built-in Node has its own bugs and its Code tab needs a system node, while
// our SEA binary needs nothing. user_config feeds our environment variables;
// every optional value defaults to "", which the server reads as unset.
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { repoUrl, root } from './base-url.mjs';

/** The @anthropic-ai/mcpb CLI used to validate and pack (run through npx). */
export const MCPB_VERSION = '2.1.2';

const pkg = JSON.parse(readFileSync(path.join(root, 'package.json'), 'utf8'));

const OS = { linux: 'linux', darwin: 'darwin', win: 'win32' };

/** Manifest for the bundle of `target` (e.g. "darwin-arm64", "win-x64"). */
export function manifestFor(target) {
  const os = OS[target.split('-')[0]];
  if (!os) throw new Error(`no MCPB platform for target ${target}`);
  const exe = os === 'win32' ? '.exe' : '';
  return {
    manifest_version: '0.3',
    name: 'kitaru-mcp',
    display_name: 'Kitaru',
    version: pkg.version,
    description: 'Run, inspect, replay and deploy Kitaru flows from Claude: executions, logs, artifacts, deployments, stacks.',
    long_description:
      'A standalone MCP server for Kitaru (the same tools as the Python kitaru-mcp). It talks to your Kitaru server over REST and calls your Python only where flow code must run. Set the Python that has kitaru installed to run, replay and deploy flows.',
    author: { name: 'kitaru-mcp contributors', url: repoUrl() },
    repository: { type: 'git', url: repoUrl() },
    homepage: repoUrl(),
    support: `${repoUrl()}/issues`,
    license: pkg.license,
    keywords: ['kitaru', 'zenml', 'workflows', 'mlops'],
    server: {
      type: 'binary',
      entry_point: `server/kitaru-mcp${exe}`,
      mcp_config: {
        command: '${__dirname}/server/kitaru-mcp',
        args: [],
        env: {
          KITARU_PYTHON: '${user_config.python}',
          KITARU_SERVER_URL: '${user_config.server_url}',
          KITARU_AUTH_TOKEN: '${user_config.api_key}',
          KITARU_PROJECT: '${user_config.project}',
        },
        platform_overrides: { win32: { command: '${__dirname}/server/kitaru-mcp.exe' } },
      },
    },
    tools_generated: true,
    compatibility: { platforms: [os] },
    user_config: {
      python: {
        type: 'file',
        title: 'Python interpreter with kitaru',
        description:
          "The python of the environment where kitaru is installed (for example your project's .venv/bin/python). Needed to run, replay and deploy flows and to start the local Kitaru server. Leave empty to look on PATH.",
        required: false,
        default: '',
      },
      server_url: {
        type: 'string',
        title: 'Kitaru server URL',
        description:
          'A remote Kitaru server (needs the API key and project below). Leave empty to use the server from `kitaru login`, or the local one.',
        required: false,
        default: '',
      },
      api_key: {
        type: 'string',
        title: 'Kitaru API key',
        description: 'The API key for the server URL above.',
        required: false,
        sensitive: true,
        default: '',
      },
      project: {
        type: 'string',
        title: 'Kitaru project',
        description: 'The project on the server URL above.',
        required: false,
        default: '',
      },
    },
  };
}
