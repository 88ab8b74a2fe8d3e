import type { AuthLogEntry } from '../../store/repositories/auth-log-repository.js';

/** A login decision (the auth log's entry) or an admin change (the audit log's). */
export type SyslogEvent =
  | { readonly kind: 'login'; readonly entry: AuthLogEntry }
  | {
      readonly kind: 'audit';
      readonly entry: {
        readonly id: string;
        readonly at: number;
        readonly actor: string;
        readonly action: string;
        readonly subject: string | null;
        readonly outcome: 'success' | 'failure';
        /** JSON, never secrets. */
        readonly detail: string | null;
      };
    };

export type SyslogFormat = 'default' | 'cef' | 'json';

export interface MessageOptions {
  readonly format: SyslogFormat;
  /** RFC 5424 section 6.2.1 facility number (local7 is 23). */
  readonly facility: number;
  /** This node (its serial), as HOSTNAME. */
  readonly hostname: string;
  readonly procId: string;
  /** Tokenward's version, for CEF's header. */
  readonly version: string;
}

/**
 * The structured data's SD-ID: ours, under the example private enterprise number of RFC 5612
 * section 2 (32473) until Tokenward has its own (RFC 5424 section 7.2.2).
 */
const SD_ID_SUFFIX = '@32473';

/** One event as an RFC 5424 message (section 6), its body in the target's format. */
export function syslogMessage(event: SyslogEvent, options: MessageOptions): string {
  const fields = eventFields(event);
  const pri = options.facility * 8 + severity(event);
  const header = [
    `<${pri}>1`,
    new Date(event.entry.at).toISOString(),
    printable(options.hostname, 255),
    'tokenward',
    printable(options.procId, 128),
    event.kind,
  ].join(' ');
  switch (options.format) {
    case 'json':
      return `${header} - ${JSON.stringify({ type: event.kind, ...fields })}`;
    case 'cef':
      return `${header} - ${cef(event, fields, options.version)}`;
    default: {
      const params = Object.entries(fields)
        .filter(([, value]) => value !== null)
        .map(([name, value]) => `${name}="${sdValue(String(value))}"`);
      return `${header} [${event.kind}${SD_ID_SUFFIX} ${params.join(' ')}] ${summary(event)}`;
    }
  }
}

/**
 * A message as a TCP or TLS stream carries it: octet counting, the length in bytes, a space,
 * the message (RFC 6587 section 3.4.1; RFC 5425 section 4.3). UDP sends the message alone.
 */
export function octetCounted(message: string): Buffer {
  const body = Buffer.from(message);
  return Buffer.concat([Buffer.from(`${body.length} `), body]);
}

function eventFields(event: SyslogEvent): Record<string, string | number | null> {
  if (event.kind === 'login') {
    const e = event.entry;
    return {
      id: e.id,
      at: new Date(e.at).toISOString(),
      user: e.username,
      src: e.sourceIp,
      frontEnd: e.frontEnd,
      client: e.client,
      method: e.method,
      result: e.result,
      reason: e.reason,
      latencyMs: e.latencyMs,
      node: e.node,
    };
  }
  const e = event.entry;
  return {
    id: e.id,
    at: new Date(e.at).toISOString(),
    actor: e.actor,
    action: e.action,
    subject: e.subject,
    outcome: e.outcome,
    detail: e.detail,
  };
}

/** RFC 5424 section 6.2.1: informational for logins let in, notice for refusals and changes. */
function severity(event: SyslogEvent): number {
  if (event.kind === 'login') return event.entry.result === 'reject' ? 5 : 6;
  return event.entry.outcome === 'failure' ? 4 : 5;
}

function summary(event: SyslogEvent): string {
  if (event.kind === 'login') {
    const e = event.entry;
    return `login ${e.result} for ${e.username} from ${e.sourceIp ?? 'unknown'} via ${e.frontEnd}: ${e.reason}`;
  }
  const e = event.entry;
  return `${e.actor} ${e.action}${e.subject === null ? '' : ` ${e.subject}`}: ${e.outcome}`;
}

/** ArcSight CEF: a header of seven fields, then key=value pairs. */
function cef(event: SyslogEvent, fields: Record<string, unknown>, version: string): string {
  const signature =
    event.kind === 'login' ? `login-${event.entry.result}` : `audit-${event.entry.action}`;
  const name =
    event.kind === 'login'
      ? `Login ${event.entry.result}`
      : `${event.entry.action} ${event.entry.outcome}`;
  const level = event.kind === 'login' ? (event.entry.result === 'reject' ? 5 : 3) : 4;
  const extension =
    event.kind === 'login'
      ? {
          rt: event.entry.at,
          externalId: fields.id,
          suser: event.entry.username,
          src: event.entry.sourceIp,
          app: event.entry.frontEnd,
          cs1Label: 'method',
          cs1: event.entry.method,
          cs2Label: 'client',
          cs2: event.entry.client,
          outcome: event.entry.result,
          reason: event.entry.reason,
          dvchost: event.entry.node,
        }
      : {
          rt: event.entry.at,
          externalId: fields.id,
          suser: event.entry.actor,
          act: event.entry.action,
          duser: event.entry.subject,
          outcome: event.entry.outcome,
          msg: event.entry.detail,
        };
  const pairs = Object.entries(extension)
    .filter(([, value]) => value !== null && value !== undefined)
    .map(([key, value]) => `${key}=${cefValue(String(value))}`);
  return [
    'CEF:0',
    'Tokenward',
    'Tokenward',
    version,
    signature,
    name,
    String(level),
    pairs.join(' '),
  ]
    .map((part, index) => (index === 0 || index === 7 ? part : cefHeader(part)))
    .join('|');
}

/** RFC 5424 section 6.3.3: `"`, `\` and `]` escaped in a PARAM-VALUE. */
const sdValue = (text: string) => text.replace(/["\\\]]/g, (c) => `\\${c}`);
const cefHeader = (text: string) => text.replace(/[\\|]/g, (c) => `\\${c}`);
const cefValue = (text: string) => text.replace(/[\\=]/g, (c) => `\\${c}`).replace(/\r?\n/g, '\\n');
/** HOSTNAME and PROCID: printable US-ASCII, no spaces (RFC 5424 section 6.2), else `-`. */
const printable = (text: string, max: number) => {
  const cleaned = text.replace(/[^\x21-\x7e]/g, '').slice(0, max);
  return cleaned === '' ? '-' : cleaned;
};
