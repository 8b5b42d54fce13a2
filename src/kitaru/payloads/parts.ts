// Building blocks of the payload schemas: the JSON shapes Python's serializers
// write over and over.
import { z } from 'zod';

export const nullableString = z.string().nullable();
/** A JSON object (Python `dict[str, Any]`). */
export const jsonObject = z.record(z.string(), z.unknown());
