import { Counter, collectDefaultMetrics, Gauge, Histogram, Registry } from 'prom-client';
import type { AuthResult, FrontEnd } from '../core/login-terms.js';
import { TOKEN_STATES } from '../core/token-state.js';
import type { AuthReason } from './auth/auth-reason.js';

/** What the scrape reads from the store: token counts and seats, and whether it answers. */
export interface GatewayGaugeSource {
  tokensByState(): Promise<Record<string, number>>;
  /** Per licence: its tokens, and those held by a user. */
  seats(): Promise<{ licence: string; tokens: number; used: number }[]>;
  /** 1 when the store answers a read, 0 when not. */
  storeUp(): Promise<number>;
  /** LDAP hosts backed off after failing, per LDAP server. */
  directoryHostsDown(): Record<string, number>;
}

/** One login decision, as the auth log writes it. */
export interface LoginObservation {
  readonly result: AuthResult;
  readonly frontEnd: FrontEnd;
  readonly method: string;
  /** The auth log's reason word, without its `:detail` and `,effect` parts (bounded labels). */
  readonly reason: AuthReason;
  readonly seconds: number;
}

/** Why the RADIUS listener dropped a datagram (RFC 2865 section 3: silently discarded). */
export type RadiusDrop =
  | 'unknown-client'
  | 'malformed'
  | 'not-access-request'
  | 'message-authenticator-missing'
  | 'message-authenticator-invalid';

/**
 * The gateway's Prometheus metrics (docs/metrics.md), on a registry of its own: what the auth
 * engine decides, the RADIUS listener sees, the poll loop does, and, read at each scrape, the
 * tokens, seats, store and directory. Names follow Prometheus conventions (`tokenward_` prefix,
 * `_total` counters, `_seconds`).
 */
export function createGatewayMetrics(source?: GatewayGaugeSource) {
  const registry = new Registry();
  collectDefaultMetrics({ register: registry, prefix: 'tokenward_' });
  const registers = [registry];
  const logins = new Counter({
    name: 'tokenward_logins_total',
    help: 'Login decisions, as in the auth log: by result, front end, method and reason.',
    labelNames: ['result', 'front_end', 'method', 'reason'] as const,
    registers,
  });
  const loginSeconds = new Histogram({
    name: 'tokenward_login_duration_seconds',
    help: 'Time from a login request to its decision (a push waits for the phone), by front end and result.',
    labelNames: ['front_end', 'result'] as const,
    buckets: [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 10, 60],
    registers,
  });
  const radiusRequests = new Counter({
    name: 'tokenward_radius_requests_total',
    help: 'RADIUS datagrams received.',
    registers,
  });
  const radiusDropped = new Counter({
    name: 'tokenward_radius_dropped_total',
    help: 'RADIUS datagrams dropped unanswered (RFC 2865 section 3), by reason.',
    labelNames: ['reason'] as const,
    registers,
  });
  const radiusRetransmissions = new Counter({
    name: 'tokenward_radius_retransmissions_total',
    help: 'Retransmitted RADIUS requests answered from the response cache (RFC 5080 section 2.2.2).',
    registers,
  });
  const radiusUnanswered = new Counter({
    name: 'tokenward_radius_unanswered_total',
    help: 'RADIUS requests left unanswered so the NAS fails over (database or directory away, queue full), by code.',
    labelNames: ['code'] as const,
    registers,
  });
  const pushes = new Counter({
    name: 'tokenward_pushes_total',
    help: 'Push notifications: sent to the phone, then approved, denied or expired.',
    labelNames: ['outcome'] as const,
    registers,
  });
  const pollRounds = new Counter({
    name: 'tokenward_poll_rounds_total',
    help: 'Rounds of the poll loop (polling the token server, sweeping records), by result.',
    labelNames: ['result'] as const,
    registers,
  });
  const pollLastError = new Gauge({
    name: 'tokenward_poll_last_error_info',
    help: 'The code of the last failed poll round (1), until a round succeeds.',
    labelNames: ['code'] as const,
    registers,
  });
  const pollLastSuccess = new Gauge({
    name: 'tokenward_poll_last_success_timestamp_seconds',
    help: 'When the last poll round succeeded (Unix time).',
    registers,
  });
  const syslogSent = new Counter({
    name: 'tokenward_syslog_events_sent_total',
    help: 'Auth and audit events a syslog server took, by server (transport://host:port).',
    labelNames: ['server'] as const,
    registers,
  });
  const syslogFailures = new Counter({
    name: 'tokenward_syslog_failures_total',
    help: 'Rounds in which a syslog server could not be reached (its events wait), by server.',
    labelNames: ['server'] as const,
    registers,
  });
  const syslogUp = new Gauge({
    name: 'tokenward_syslog_up',
    help: 'Whether the last round reached the syslog server (1) or not (0), by server.',
    labelNames: ['server'] as const,
    registers,
  });
  if (source !== undefined) readAtScrape(registers, source);

  return {
    registry,
    login(observed: LoginObservation): void {
      const { reason } = observed;
      logins.inc({
        result: observed.result,
        front_end: observed.frontEnd,
        method: observed.method,
        reason,
      });
      loginSeconds.observe(
        { front_end: observed.frontEnd, result: observed.result },
        observed.seconds,
      );
      const push = PUSH_OUTCOMES[reason];
      if (push !== undefined) pushes.inc({ outcome: push });
    },
    pushSent: () => pushes.inc({ outcome: 'sent' }),
    syslogSent: (server: string, events: number) => syslogSent.inc({ server }, events),
    syslogUp(server: string, up: boolean): void {
      syslogUp.set({ server }, up ? 1 : 0);
      if (!up) syslogFailures.inc({ server });
    },
    radiusRequest: () => radiusRequests.inc(),
    radiusDropped: (reason: RadiusDrop) => radiusDropped.inc({ reason }),
    radiusRetransmission: () => radiusRetransmissions.inc(),
    radiusUnanswered: (code: string) => radiusUnanswered.inc({ code }),
    pollRound(failedCode: string | undefined, now: number): void {
      pollRounds.inc({ result: failedCode === undefined ? 'ok' : 'failed' });
      if (failedCode === undefined) {
        pollLastError.reset();
        pollLastSuccess.set(Math.floor(now / 1000));
      } else {
        pollLastError.reset();
        pollLastError.set({ code: failedCode }, 1);
      }
    },
  };
}

/** The auth log reasons that end a push, and the outcome each one counts. */
const PUSH_OUTCOMES: Partial<Record<AuthReason, string>> = {
  'push-approved': 'approved',
  'push-denied': 'denied',
  'push-timeout': 'expired',
};

export type GatewayMetrics = ReturnType<typeof createGatewayMetrics>;

/** The gauges read from the store and the directory at each scrape. */
function readAtScrape(registers: Registry[], source: GatewayGaugeSource): void {
  new Gauge({
    name: 'tokenward_tokens',
    help: 'Tokens of the gateway, by state.',
    labelNames: ['state'] as const,
    registers,
    async collect() {
      // The store away: the last counts stay (tokenward_store_up says why).
      const counts = await source.tokensByState().catch(() => undefined);
      if (counts === undefined) return;
      for (const state of TOKEN_STATES) this.set({ state }, counts[state] ?? 0);
    },
  });
  new Gauge({
    name: 'tokenward_licence_seats',
    help: 'Seats of each licence: used (a user holds the token) and free.',
    labelNames: ['licence', 'seat'] as const,
    registers,
    async collect() {
      const seats = await source.seats().catch(() => undefined);
      if (seats === undefined) return;
      this.reset();
      for (const { licence, tokens, used } of seats) {
        this.set({ licence, seat: 'used' }, used);
        this.set({ licence, seat: 'free' }, tokens - used);
      }
    },
  });
  new Gauge({
    name: 'tokenward_store_up',
    help: 'Whether the database answers (1) or not (0).',
    registers,
    async collect() {
      this.set(await source.storeUp());
    },
  });
  new Gauge({
    name: 'tokenward_directory_hosts_down',
    help: 'LDAP hosts backed off after failing, by LDAP server (0: every host answers).',
    labelNames: ['server'] as const,
    registers,
    collect() {
      this.reset();
      for (const [server, down] of Object.entries(source.directoryHostsDown())) {
        this.set({ server }, down);
      }
    },
  });
}
