import { createSocket, type Socket } from 'node:dgram';
import { decodePacket, RadiusCode } from '../src/protocol/radius/packet.js';

export interface LoadResult {
  readonly logins: number;
  readonly perSecond: number;
  readonly p50: number;
  readonly p99: number;
}

/**
 * `concurrency` clients, each with its own UDP socket bound to `from`, each sending one request
 * and waiting for its answer before the next, for `seconds` or until requests run out. Every
 * answer must be an Access-Accept when `expectAccept` (a refused benchmark login is a bug).
 */
export async function drive(input: {
  readonly port: number;
  readonly from: string;
  readonly concurrency: number;
  readonly seconds: number;
  readonly nextRequest: (identifier: number) => Buffer | undefined;
  readonly expectAccept: boolean;
}): Promise<LoadResult> {
  const latencies: number[] = [];
  const deadline = performance.now() + input.seconds * 1000;
  const started = performance.now();
  const client = async () => {
    const socket = createSocket('udp4');
    await new Promise<void>((resolve) => socket.bind(0, input.from, resolve));
    try {
      for (let identifier = 0; performance.now() < deadline; identifier = (identifier + 1) % 256) {
        const request = input.nextRequest(identifier);
        if (request === undefined) break;
        const sent = performance.now();
        const answer = await exchange(socket, request, input.port);
        latencies.push(performance.now() - sent);
        if (input.expectAccept && decodePacket(answer).code !== RadiusCode.AccessAccept) {
          throw new Error(`a benchmark login was not accepted (code ${decodePacket(answer).code})`);
        }
      }
    } finally {
      socket.close();
    }
  };
  await Promise.all(Array.from({ length: input.concurrency }, client));
  const elapsed = (performance.now() - started) / 1000;
  latencies.sort((a, b) => a - b);
  const at = (q: number) =>
    latencies[Math.min(latencies.length - 1, Math.floor(q * latencies.length))] ?? 0;
  return {
    logins: latencies.length,
    perSecond: latencies.length / elapsed,
    p50: at(0.5),
    p99: at(0.99),
  };
}

/** No answer within 10 s fails the benchmark: every system here must answer every request. */
function exchange(socket: Socket, request: Buffer, port: number): Promise<Buffer> {
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error('no answer within 10 s')), 10_000);
    socket.once('message', (message) => {
      clearTimeout(timer);
      resolve(message);
    });
    socket.send(request, port, '127.0.0.1');
  });
}
