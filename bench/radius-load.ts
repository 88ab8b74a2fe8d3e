import type { ChildProcess } from 'node:child_process';
import { createSocket, type Socket } from 'node:dgram';
import { generateTotp } from '../src/core/totp.js';
import { decodePacket, RadiusCode } from '../src/protocol/radius/packet.js';
import { buildAccessRequest } from '../src/protocol/radius/radius-client.js';
import { BENCH_OTP, BENCH_SECRET } from './gateway-process.js';
import { latencySummary } from './measure.js';
import { cpuSeconds } from './process-usage.js';

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
  return latencySummary(latencies, (performance.now() - started) / 1000);
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

export interface Measured extends LoadResult {
  /** Server CPU (user + system, all its threads) per answered request, in ms. */
  readonly cpuMs: number;
}

export async function measure(
  server: ChildProcess,
  load: Parameters<typeof drive>[0],
): Promise<Measured> {
  const pid = server.pid ?? 0;
  const before = cpuSeconds(pid);
  const result = await drive(load);
  const cpuMs = ((cpuSeconds(pid) - before) * 1000) / Math.max(1, result.logins);
  return { ...result, cpuMs };
}

/**
 * Users by index: `fresh` hands each out once, with its code at the current step (one user's
 * step is spent by its login, and the run is shorter than there are users); `any` for PAP.
 */
export function userPool(seeds: readonly Buffer[]) {
  let next = 0;
  return {
    fresh(request: (name: string, code: string) => Buffer): Buffer | undefined {
      if (next >= seeds.length) return undefined;
      const index = next++;
      const seed = seeds[index] ?? Buffer.alloc(20);
      return request(`user${index}`, generateTotp({ seed, now: Date.now(), ...BENCH_OTP }));
    },
    any: (() => {
      let at = 0;
      return () => (at = (at + 1) % seeds.length);
    })(),
  };
}

export function accessRequest(identifier: number, username: string, password: string): Buffer {
  return buildAccessRequest({ identifier, secret: BENCH_SECRET, username, password }).datagram;
}

export function describe(result: Measured): string {
  const rate = Math.round(result.perSecond).toLocaleString('en-US');
  return `${rate}/s p50 ${result.p50.toFixed(2)} ms p99 ${result.p99.toFixed(2)} ms, server CPU ${result.cpuMs.toFixed(3)} ms/login`;
}
