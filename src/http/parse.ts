// What the server says is checked, not believed: a response is parsed against a
// zod model of what ZenML returns (unknown fields kept, so a newer server still
// fits), and one that does not fit fails here, naming the endpoint and the field,
// instead of turning into a made-up payload further on.
import type { z } from 'zod';

/** A response whose shape is not what the Kitaru (ZenML) API returns. */
export class ZenmlResponseShapeError extends Error {
  override name = 'ZenmlResponseShapeError';
  constructor(
    readonly endpoint: string,
    readonly field: string,
    readonly expected: string,
  ) {
    super(
      `The server answered ${endpoint} with a response the Kitaru API does not give: ` +
        `${field === '' ? 'the body' : `field '${field}'`} ${expected}. Is the configured URL a Kitaru server of a supported version?`,
    );
  }
}

/** Parses `body` with `model`; on a mismatch throws ZenmlResponseShapeError for its first issue. */
export function parseResponse<T extends z.ZodType>(model: T, body: unknown, endpoint: string): z.output<T> {
  const result = model.safeParse(body);
  if (result.success) return result.data;
  const issue = result.error.issues[0];
  const field = issue === undefined ? '' : issue.path.map(String).join('.');
  const expected = issue === undefined ? 'is malformed' : issue.message.replace(/^Invalid input: /, '').replace(/^expected/, 'expected');
  throw new ZenmlResponseShapeError(endpoint, field, expected);
}
