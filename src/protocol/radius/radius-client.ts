import { randomBytes, randomInt } from 'node:crypto';
import { createSocket } from 'node:dgram';
import { TokenwardError } from '../../core/errors.js';
import { encodeAccessRequest, verifyResponse } from './authenticators.js';
import { Attribute, decodePacket, type RadiusAttribute, RadiusCode } from './packet.js';
import { hideUserPassword } from './user-password.js';

export interface RadiusAnswer {
  readonly result: 'accept' | 'reject' | 'challenge';
  readonly replyMessage: string;
  readonly state?: Buffer;
}

/**
 * A PAP Access-Request (RFC 2865 section 4.1) with a random Request Authenticator, the password
 * hidden (section 5.2) and Message-Authenticator first (RFC 3579).
 */
export function buildAccessRequest(input: {
  identifier: number;
  secret: string;
  username: string;
  password: string;
  state?: Buffer;
}): { datagram: Buffer; authenticator: Buffer } {
  const secret = Buffer.from(input.secret);
  const authenticator = randomBytes(16);
  const attributes: RadiusAttribute[] = [
    { type: Attribute.UserName, value: Buffer.from(input.username) },
    {
      type: Attribute.UserPassword,
      value: hideUserPassword(Buffer.from(input.password), secret, authenticator),
    },
    ...(input.state === undefined ? [] : [{ type: Attribute.State, value: input.state }]),
  ];
  return {
    datagram: encodeAccessRequest(input.identifier, authenticator, attributes, secret),
    authenticator,
  };
}

/**
 * Sends one PAP Access-Request (with Message-Authenticator) and waits for the answer, checking
 * its Response Authenticator. What `tokenward demo` logs in with; a NAS in miniature.
 */
export async function radiusAccessRequest(input: {
  host: string;
  port: number;
  secret: string;
  username: string;
  password: string;
  state?: Buffer;
  timeoutMs?: number;
}): Promise<RadiusAnswer> {
  const secret = Buffer.from(input.secret);
  const { datagram: request, authenticator } = buildAccessRequest({
    ...input,
    identifier: randomInt(256),
  });
  const socket = createSocket('udp4');
  try {
    const reply = await new Promise<Buffer>((resolve, reject) => {
      const timer = setTimeout(
        () =>
          reject(
            new TokenwardError('TW_RADIUS_UNANSWERED', {
              detail: `${input.host}:${input.port}`,
            }),
          ),
        input.timeoutMs ?? 90_000,
      );
      socket.once('message', (message) => {
        clearTimeout(timer);
        resolve(message);
      });
      socket.send(request, input.port, input.host);
    });
    if (!verifyResponse(reply, authenticator, secret)) {
      throw new TokenwardError('TW_RADIUS_ANSWER_INVALID');
    }
    const packet = decodePacket(reply);
    const text = (type: number) =>
      Buffer.concat(packet.attributes.filter((a) => a.type === type).map((a) => a.value)).toString(
        'utf8',
      );
    const state = packet.attributes.find((a) => a.type === Attribute.State)?.value;
    return {
      result:
        packet.code === RadiusCode.AccessAccept
          ? 'accept'
          : packet.code === RadiusCode.AccessChallenge
            ? 'challenge'
            : 'reject',
      replyMessage: text(Attribute.ReplyMessage),
      ...(state === undefined ? {} : { state }),
    };
  } finally {
    socket.close();
  }
}
