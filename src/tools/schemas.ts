// Zod building blocks shared by tool declarations. Optional arguments are
// nullable with a null default, as in Python's signatures (`str | None = None`).
import { z } from 'zod';

export const optionalString = () => z.string().nullable().default(null);
export const optionalInt = () => z.number().int().nullable().default(null);
export const optionalBool = () => z.boolean().nullable().default(null);
export const optionalObject = () => z.record(z.string(), z.unknown()).nullable().default(null);

export const nullableString = z.string().nullable();
export const jsonObject = z.record(z.string(), z.unknown());
