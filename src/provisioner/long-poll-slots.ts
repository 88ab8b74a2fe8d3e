/**
 * How many long polls one holder (a phone, a gateway) may keep waiting on this node at once. A
 * poll beyond that is answered at once with what there is, so one client cannot tie up the
 * node's connections with waits.
 */
export function createLongPollSlots(limitFor: (holder: string) => number) {
  const held = new Map<string, number>();
  return {
    /** A release function, or undefined when the holder has no slot left (do not wait). */
    take(holder: string): (() => void) | undefined {
      const count = held.get(holder) ?? 0;
      if (count >= limitFor(holder)) return undefined;
      held.set(holder, count + 1);
      let released = false;
      return () => {
        if (released) return;
        released = true;
        const left = (held.get(holder) ?? 1) - 1;
        if (left === 0) held.delete(holder);
        else held.set(holder, left);
      };
    },
  };
}

export type LongPollSlots = ReturnType<typeof createLongPollSlots>;

/** A phone needs one push poll; two allow a reconnect to overlap the old one. */
export const LONG_POLLS_PER_DEVICE = 2;
/** A gateway cluster node waits on one PushStatus per login it is pushing for. */
export const LONG_POLLS_PER_GATEWAY = 256;
