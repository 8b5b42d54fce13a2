// The error policy, in one place. Every failure becomes an isError result whose
// text is "Error executing tool <name>: <message>", as in Python's kitaru-mcp:
// the kitaru layer says what its failures read as (describeKitaruError), and
// anything else is our bug: the message is shown and the stack goes to stderr.
import { describeKitaruError } from '../kitaru/errors.ts';
import { toolErrorText } from '../mcp/errors.ts';

export function errorText(error: unknown, toolName: string): string {
  return toolErrorText(error, toolName, describeKitaruError);
}

export { protocolError } from '../mcp/errors.ts';
