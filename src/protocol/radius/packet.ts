/**
 * RADIUS packets (RFC 2865 section 3): a 20-byte header (code, identifier, length,
 * authenticator) and attributes as type-length-value. Decoding is strict about lengths, so a
 * datagram that lies about them is refused before anything reads it.
 */

export const RadiusCode = {
  AccessRequest: 1,
  AccessAccept: 2,
  AccessReject: 3,
  AccessChallenge: 11,
} as const;

export type RadiusCodeValue = (typeof RadiusCode)[keyof typeof RadiusCode];

/** Attribute types Tokenward reads or writes (RFC 2865 section 5, RFC 3579 section 3.2). */
export const Attribute = {
  UserName: 1,
  UserPassword: 2,
  NasIpAddress: 4,
  FilterId: 11,
  ReplyMessage: 18,
  State: 24,
  Class: 25,
  CallingStationId: 31,
  NasIdentifier: 32,
  ProxyState: 33,
  MessageAuthenticator: 80,
} as const;

export interface RadiusAttribute {
  readonly type: number;
  readonly value: Buffer;
}

export interface RadiusPacket {
  readonly code: number;
  readonly identifier: number;
  readonly authenticator: Buffer;
  readonly attributes: readonly RadiusAttribute[];
}

export const HEADER_LENGTH = 20;
/** RFC 2865 section 3: the largest packet. */
export const MAX_PACKET_LENGTH = 4096;
const MAX_ATTRIBUTE_VALUE = 253;

export class RadiusFormatError extends Error {
  override readonly name = 'RadiusFormatError';
}

/**
 * Decodes one datagram. Octets beyond the header's Length are padding and ignored (RFC 2865
 * section 3); a Length below 20, above 4096 or beyond the datagram, and an attribute shorter than
 * 2 or running past the end, are errors.
 */
export function decodePacket(datagram: Buffer): RadiusPacket {
  if (datagram.length < HEADER_LENGTH) throw new RadiusFormatError('shorter than a header');
  const length = datagram.readUInt16BE(2);
  if (length < HEADER_LENGTH || length > MAX_PACKET_LENGTH) {
    throw new RadiusFormatError(`length ${length} out of range`);
  }
  if (length > datagram.length) throw new RadiusFormatError('length beyond the datagram');
  const attributes: RadiusAttribute[] = [];
  let offset = HEADER_LENGTH;
  while (offset < length) {
    if (offset + 2 > length) throw new RadiusFormatError('truncated attribute header');
    const type = datagram.readUInt8(offset);
    const attributeLength = datagram.readUInt8(offset + 1);
    if (attributeLength < 2)
      throw new RadiusFormatError(`attribute ${type} length ${attributeLength}`);
    if (offset + attributeLength > length) {
      throw new RadiusFormatError(`attribute ${type} overruns the packet`);
    }
    attributes.push({
      type,
      value: Buffer.from(datagram.subarray(offset + 2, offset + attributeLength)),
    });
    offset += attributeLength;
  }
  return {
    code: datagram.readUInt8(0),
    identifier: datagram.readUInt8(1),
    authenticator: Buffer.from(datagram.subarray(4, HEADER_LENGTH)),
    attributes,
  };
}

/** Encodes a packet as given (authenticators are the caller's: see authenticators.ts). */
export function encodePacket(packet: RadiusPacket): Buffer {
  if (packet.authenticator.length !== 16) throw new RadiusFormatError('authenticator is 16 bytes');
  const parts: Buffer[] = [];
  let length = HEADER_LENGTH;
  for (const { type, value } of packet.attributes) {
    if (value.length > MAX_ATTRIBUTE_VALUE) {
      throw new RadiusFormatError(`attribute ${type} value longer than ${MAX_ATTRIBUTE_VALUE}`);
    }
    parts.push(Buffer.from([type, value.length + 2]), value);
    length += value.length + 2;
  }
  if (length > MAX_PACKET_LENGTH) throw new RadiusFormatError(`packet of ${length} bytes`);
  const header = Buffer.alloc(4);
  header.writeUInt8(packet.code, 0);
  header.writeUInt8(packet.identifier, 1);
  header.writeUInt16BE(length, 2);
  return Buffer.concat([header, packet.authenticator, ...parts], length);
}

/** The first attribute of a type, if any. */
export function attributeValue(packet: RadiusPacket, type: number): Buffer | undefined {
  return packet.attributes.find((attribute) => attribute.type === type)?.value;
}

/** Long text split over several attributes of one type (e.g. Reply-Message, RFC 2865 5.18). */
export function textAttributes(type: number, text: string): RadiusAttribute[] {
  const bytes = Buffer.from(text, 'utf8');
  const attributes: RadiusAttribute[] = [];
  for (let start = 0; start < bytes.length; start += MAX_ATTRIBUTE_VALUE) {
    attributes.push({ type, value: bytes.subarray(start, start + MAX_ATTRIBUTE_VALUE) });
  }
  return attributes;
}
