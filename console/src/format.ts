/** Times with their zone (the admin's browser's), e.g. "2 Dec 2026, 14:03:11 CET". */
const TIME = new Intl.DateTimeFormat(undefined, {
  year: 'numeric',
  month: 'short',
  day: 'numeric',
  hour: '2-digit',
  minute: '2-digit',
  second: '2-digit',
  timeZoneName: 'short',
});

export const time = (ms: number | null | undefined) =>
  ms === null || ms === undefined ? '-' : TIME.format(new Date(ms));

/** A count with "10,000+" once the server stopped counting. */
export const count = (total: number, capped: boolean) =>
  `${total.toLocaleString()}${capped ? '+' : ''}`;

/**
 * A token's or user's state as a word and a colour class that agree: green only for a token
 * that works (active on a phone and not locked), red for locked, amber for waiting or expired.
 */
export function stateBadge(
  state: string | null,
  status: 'active' | 'lock' | null,
): { word: string; tone: string } {
  if (state === null) return { word: 'no token', tone: 'none' };
  if (status === 'lock' || state === 'locked') return { word: 'locked', tone: 'bad' };
  if (state === 'provisioned') return { word: 'active on a phone', tone: 'good' };
  if (state === 'provisioning') return { word: 'waiting for activation', tone: 'wait' };
  if (state === 'provision timeout') return { word: 'activation expired', tone: 'wait' };
  return { word: 'not assigned', tone: 'none' };
}
