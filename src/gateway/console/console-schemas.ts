/** JSON Schema pieces the console's routes share. */

/** A query string number: query strings are text and the listener does not coerce types. */
export const QUERY_INTEGER = { type: 'string', pattern: '^[0-9]{1,13}$' } as const;

export const text = (maxLength: number, minLength = 0) =>
  ({ type: 'string', minLength, maxLength }) as const;

/** Paging and order of a table. */
export const PAGING = {
  offset: QUERY_INTEGER,
  limit: QUERY_INTEGER,
  order: { enum: ['asc', 'desc'] },
} as const;

/** A page's size: 1 to 200 rows, 50 unless asked. */
export function pageOf(query: { offset?: number | string; limit?: number | string }) {
  const limit = Math.min(200, Math.max(1, Number(query.limit ?? 50)));
  return { offset: Number(query.offset ?? 0), limit };
}

/** `{ confirm: true }`, the body every destructive action needs. */
export const CONFIRM_BODY = {
  type: 'object',
  additionalProperties: false,
  properties: { confirm: { type: 'boolean' } },
} as const;
