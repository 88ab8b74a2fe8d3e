import type { FastifyReply } from 'fastify';

/** A signal that aborts if the client disconnects before the answer is sent (ends long waits). */
export function abortedWhenGone(reply: FastifyReply): AbortSignal {
  const controller = new AbortController();
  reply.raw.once('close', () => {
    if (!reply.raw.writableFinished) controller.abort();
  });
  return controller.signal;
}
