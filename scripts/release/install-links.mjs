#!/usr/bin/env node
// The one-click install links the README shows for VS Code and Cursor. A link
// cannot know where a binary was installed, so it names the npm package
// through npx (Node 20+ needed); the binary routes are in the README.
// `node scripts/release/install-links.mjs` prints them; a test checks the
// README carries exactly these and that they decode to each client's shape.
import path from 'node:path';
import { fileURLToPath } from 'node:url';

export const NPX_ENTRY = { command: 'npx', args: ['-y', 'kitaru-mcp'] };

/** VS Code: its mcp/install handler through the vscode.dev redirect (GitHub markdown cannot link vscode:). */
export const vscodeLink = () =>
  `https://insiders.vscode.dev/redirect/mcp/install?name=kitaru&config=${encodeURIComponent(JSON.stringify({ type: 'stdio', ...NPX_ENTRY }))}`;

/** Cursor: its install-mcp page, config as base64 JSON. */
export const cursorLink = () =>
  `https://cursor.com/en/install-mcp?name=kitaru&config=${Buffer.from(JSON.stringify(NPX_ENTRY)).toString('base64')}`;

const isMain = process.argv[1] && path.resolve(process.argv[1]) === fileURLToPath(import.meta.url);
if (isMain) console.log(`${vscodeLink()}\n${cursorLink()}`);
