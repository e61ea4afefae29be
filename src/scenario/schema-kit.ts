/**
 * Building blocks for the zod schemas of scenario and trace files, and the one function that turns
 * a zod issue into the one-line message users see ("seg.seq: expected integer 0..4294967295, got -1").
 *
 * Every leaf schema here carries its own message, written to name what was expected and what was
 * found, so a message never needs zod's wording. Shared by `src/scenario/schema.ts` and
 * `src/trace/schema.ts`.
 */
import { z } from 'zod';

/** Short rendering of a JSON value for "got …" in messages. */
export function describeValue(v: unknown): string {
  if (v === undefined) return 'nothing';
  if (v === null) return 'null';
  if (typeof v === 'string') return JSON.stringify(v.length > 40 ? `${v.slice(0, 40)}…` : v);
  if (typeof v === 'number' || typeof v === 'boolean') return String(v);
  if (Array.isArray(v)) return 'an array';
  if (typeof v === 'object') return 'an object';
  return typeof v;
}

/** Integer in [lo, hi], message "expected integer lo..hi, got X". */
export function intIn(lo: number, hi: number): z.ZodNumber {
  const error = (iss: { input?: unknown }): string =>
    iss.input === undefined ? 'missing field' : `expected integer ${lo}..${hi}, got ${describeValue(iss.input)}`;
  return z.number({ error }).int({ error }).min(lo, { error }).max(hi, { error });
}

export const UINT32_MAX = 4294967295;
export const uint32 = (): z.ZodNumber => intIn(0, UINT32_MAX);
export const uint16 = (): z.ZodNumber => intIn(0, 65535);
export const uint8 = (): z.ZodNumber => intIn(0, 255);

/** Finite number ≥ 0 (scenario times in seconds, ratios). */
export function nonNegative(unit: string): z.ZodNumber {
  const error = (iss: { input?: unknown }): string =>
    iss.input === undefined ? 'missing field' : `expected a finite number ≥ 0${unit === '' ? '' : ` (${unit})`}, got ${describeValue(iss.input)}`;
  return z.number({ error }).min(0, { error }).refine(Number.isFinite, { error });
}

export function str(what = 'a string'): z.ZodString {
  const error = (iss: { input?: unknown }): string =>
    iss.input === undefined ? 'missing field' : `expected ${what}, got ${describeValue(iss.input)}`;
  return z.string({ error });
}

export function nonEmptyStr(): z.ZodString {
  const error = (iss: { input?: unknown }): string =>
    iss.input === undefined ? 'missing field' : `expected a non-empty string, got ${describeValue(iss.input)}`;
  return z.string({ error }).min(1, { error });
}

export function oneOf<const T extends readonly [string, ...string[]]>(values: T, what: string): z.ZodEnum<{ [K in T[number]]: K }> {
  return z.enum(values, {
    error: (iss) =>
      iss.input === undefined ? 'missing field' : `expected ${what} (${values.join(', ')}), got ${describeValue(iss.input)}`,
  });
}

export function literal<const T extends string | number | boolean>(value: T): z.ZodLiteral<T> {
  return z.literal(value, {
    error: (iss) => (iss.input === undefined ? 'missing field' : `expected ${JSON.stringify(value)}, got ${describeValue(iss.input)}`),
  });
}

export function arrayOf<T extends z.ZodType>(item: T): z.ZodArray<T> {
  return z.array(item, {
    error: (iss) => (iss.input === undefined ? 'missing field' : `expected an array, got ${describeValue(iss.input)}`),
  });
}

/** The message for a missing discriminator or one with no matching variant, e.g. `unknown step kind "jump"`. */
export function unknownTagError(tag: string, what: string): (iss: { code?: string; input?: unknown }) => string | undefined {
  return (iss) => {
    if (iss.code !== 'invalid_union' && iss.code !== 'invalid_type') return undefined;
    const input = iss.input;
    if (input === undefined) return 'missing field';
    if (typeof input !== 'object' || input === null || Array.isArray(input)) {
      return `expected an object, got ${describeValue(input)}`;
    }
    const value = (input as Record<string, unknown>)[tag];
    if (value === undefined) return `missing field "${tag}"`;
    return `unknown ${what} ${describeValue(value)}`;
  };
}

/** Render a path as `steps[3].seg.seq`. */
export function formatPath(path: readonly PropertyKey[]): string {
  let out = '';
  for (const key of path) {
    if (typeof key === 'number') out += `[${key}]`;
    else out += out === '' ? String(key) : `.${String(key)}`;
  }
  return out;
}

/** One issue as `path: message` (or just `message` at the root). */
export function formatIssue(issue: z.core.$ZodIssue): string {
  const path = issue.path.filter((k): k is string | number => typeof k === 'string' || typeof k === 'number');
  let message = issue.message;
  let where = path;
  if (issue.code === 'unrecognized_keys') {
    message = issue.keys.length === 1 ? `unknown field "${issue.keys[0]}"` : `unknown fields ${issue.keys.map((k) => `"${k}"`).join(', ')}`;
  } else if (issue.code === 'invalid_union' && (issue as { note?: string }).note === 'No matching discriminator') {
    // zod points at the discriminator key; the message already names it, so report at the object.
    where = path.slice(0, -1);
  } else if (issue.code === 'invalid_type' && message.startsWith('Invalid input')) {
    // A container (object, record) without its own message.
    message = `expected ${issue.expected === 'record' ? 'an object' : issue.expected}${'input' in issue ? `, got ${describeValue(issue.input)}` : ''}`;
  }
  const p = formatPath(where);
  return p === '' ? message : `${p}: ${message}`;
}

/** The first issue of a failed parse, formatted (zod reports issues in input order). */
export function firstIssue(error: z.ZodError): string {
  const issue = error.issues[0];
  return issue === undefined ? 'invalid value' : formatIssue(issue);
}

/** A strict object: unknown keys are rejected (reported as `unknown field "x"`). */
export function obj<S extends z.core.$ZodLooseShape>(shape: S): z.ZodObject<S, z.core.$strict> {
  return z.strictObject(shape, {
    error: (iss) =>
      iss.code === 'invalid_type'
        ? iss.input === undefined
          ? 'missing field'
          : `expected an object, got ${describeValue(iss.input)}`
        : undefined,
  });
}
