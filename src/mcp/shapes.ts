// Zod building blocks for tool declarations. Optional arguments are nullable
// with a null default, as in Python's signatures (`str | None = None`).
import { z } from 'zod';

export const optionalString = () => z.string().nullable().default(null);
export const optionalInt = () => z.number().int().nullable().default(null);
export const optionalBool = () => z.boolean().nullable().default(null);
export const optionalObject = () => z.record(z.string(), z.unknown()).nullable().default(null);

/**
 * `_meta` for tools whose results can be large (logs, artifact values): Claude Code
 * otherwise moves results past its default limit to a file. 500,000 characters is its
 * ceiling, and what our bounds need: an artifact value is cut at 200,000 characters
 * of JSON, which escaping and indenting in the result text can roughly double.
 */
export const LARGE_RESULT_META = { 'anthropic/maxResultSizeChars': 500_000 };
