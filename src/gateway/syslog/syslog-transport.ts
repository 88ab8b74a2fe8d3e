import { createSocket, type Socket as UdpSocket } from 'node:dgram';
import { isIP, connect as netConnect, type Socket } from 'node:net';
import { setImmediate as yieldToEvents } from 'node:timers/promises';
import { connect as tlsConnect } from 'node:tls';
import { TokenwardError } from '../../core/errors.js';
import { octetCounted } from './syslog-message.js';

/** Where one syslog server is and how it is reached. */
export interface SyslogDestination {
  readonly transport: 'udp' | 'tcp' | 'tls';
  readonly host: string;
  readonly port: number;
  /** PEM of the CA the TLS server's certificate must chain to (else the system's CAs). */
  readonly ca?: string | undefined;
}

/** A connection to one syslog server, made again when it breaks. */
export interface SyslogTransport {
  /**
   * Sends the messages in order; resolves once the system took them all on one connection,
   * rejects (TW_SYSLOG_UNREACHABLE) when the server cannot be reached or the connection broke.
   */
  send(messages: readonly string[]): Promise<void>;
  close(): void;
}

const CONNECT_TIMEOUT_MS = 5_000;

export function createSyslogTransport(destination: SyslogDestination): SyslogTransport {
  return destination.transport === 'udp' ? udpTransport(destination) : streamTransport(destination);
}

const unreachable = (destination: SyslogDestination, error: unknown) =>
  new TokenwardError('TW_SYSLOG_UNREACHABLE', {
    message: `The syslog server ${destination.transport}://${destination.host}:${destination.port} cannot be reached; events wait in the logs until it can.`,
    detail: error instanceof Error ? error.message : String(error),
    cause: error,
  });

/** TCP or TLS (RFC 6587, RFC 5425): octet-counted frames on one long-lived connection. */
function streamTransport(destination: SyslogDestination): SyslogTransport {
  let socket: Socket | undefined;
  const usable = (s: Socket) => !s.destroyed && s.writable && !s.readableEnded;

  const open = () =>
    new Promise<Socket>((resolve, reject) => {
      const options = { host: destination.host, port: destination.port };
      const made =
        destination.transport === 'tls'
          ? tlsConnect({
              ...options,
              ...(destination.ca === undefined ? {} : { ca: destination.ca }),
              // A name is checked against the certificate; an IP address by its SAN.
              ...(isIP(destination.host) === 0 ? { servername: destination.host } : {}),
            })
          : netConnect(options);
      const timer = setTimeout(
        () => made.destroy(new Error('connect timed out')),
        CONNECT_TIMEOUT_MS,
      );
      made.once(destination.transport === 'tls' ? 'secureConnect' : 'connect', () => {
        clearTimeout(timer);
        resolve(made);
      });
      made.once('error', (error) => {
        clearTimeout(timer);
        reject(error);
      });
      // The server never talks; its FIN or RST ends the connection, the next send makes another.
      made.on('data', () => undefined);
      made.on('end', () => made.destroy());
      made.on('error', () => made.destroy());
    });

  return {
    async send(messages) {
      // Let a FIN that has arrived be seen first: never write into a connection already closed.
      await yieldToEvents();
      try {
        let current = socket;
        if (current === undefined || !usable(current)) {
          current?.destroy();
          current = await open();
          socket = current;
        }
        await new Promise<void>((resolve, reject) =>
          current.write(Buffer.concat(messages.map(octetCounted)), (error) =>
            error ? reject(error) : resolve(),
          ),
        );
      } catch (error) {
        socket?.destroy();
        socket = undefined;
        throw unreachable(destination, error);
      }
    },
    close() {
      socket?.end();
      socket = undefined;
    },
  };
}

/** UDP (RFC 5426): one message per datagram; a server that is away loses what is sent meanwhile. */
function udpTransport(destination: SyslogDestination): SyslogTransport {
  let socket: UdpSocket | undefined;
  return {
    async send(messages) {
      try {
        if (socket === undefined) {
          const made = createSocket(isIP(destination.host) === 6 ? 'udp6' : 'udp4');
          made.on('error', () => undefined);
          made.unref();
          socket = made;
        }
        const current = socket;
        for (const message of messages) {
          await new Promise<void>((resolve, reject) =>
            current.send(message, destination.port, destination.host, (error) =>
              error ? reject(error) : resolve(),
            ),
          );
        }
      } catch (error) {
        socket?.close();
        socket = undefined;
        throw unreachable(destination, error);
      }
    },
    close() {
      socket?.close();
      socket = undefined;
    },
  };
}
