import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { createSocket, type Socket } from 'node:dgram';
import { once } from 'node:events';
import { after, before, describe, it } from 'node:test';
import { newRadiusClient } from '../../src/gateway/new-radius-client.js';
import type { RadiusServer } from '../../src/gateway/radius/radius-server.js';
import { Attribute, decodePacket, RadiusCode } from '../../src/protocol/radius/packet.js';
import { buildAccessRequest } from '../../src/protocol/radius/radius-client.js';
import type { RadiusClient } from '../../src/store/repositories/radius-client-repository.js';
import {
  type GatewayHarness,
  startGatewayHarness,
  type TokenUser,
} from '../helpers/gateway-harness.js';
import { pendingPushes } from '../helpers/pushes.js';
import { radclient, radclientComponent, unquoted } from '../helpers/radclient.js';

const SECRET = 'radius-shared-secret-1';

describe('RADIUS front end, black-box with radclient', { skip: radclientComponent.skip }, () => {
  let g: GatewayHarness;
  let alice: TokenUser;
  let server: RadiusServer;
  let port: number;

  const configureClient = async (
    change: Partial<Pick<RadiusClient, 'otpMode' | 'messageAuthenticator' | 'address'>> = {},
  ) => {
    await g.store.radiusClients.remove('vpn');
    await g.store.radiusClients.add(
      newRadiusClient(
        { name: 'vpn', address: '127.0.0.1', secret: SECRET, ...change },
        g.cipher,
        g.clock.now,
      ),
    );
    server.clientsChanged();
  };
  const send = (attributes: readonly string[], options = {}) =>
    radclient(port, SECRET, [...attributes, 'Message-Authenticator = 0x00'], options);
  const lastLog = async () => (await g.store.authLog.list({ limit: 1 }))[0];
  const nextStep = () => {
    g.clock.advance(60_000);
    alice.phoneClock.advance(60_000);
  };

  before(async () => {
    g = await startGatewayHarness('sqlite');
    alice = await g.tokenUser('alice');
    await g.gateway.addUser({ name: 'carol', password: 'battery-staple-9', twoFactor: 'disable' });
    ({ server, port } = await g.radius());
    await configureClient();
  });
  after(async () => {
    await g?.close();
  });

  it('accepts a user without two-factor: Message-Authenticator first, Reply-Message, Class', async () => {
    const reply = await send(['User-Name = "carol"', 'User-Password = "battery-staple-9"']);
    assert.equal(reply.type, 'Access-Accept');
    assert.equal([...reply.attributes.keys()][0], 'Message-Authenticator');
    assert.equal(unquoted(reply.attributes.get('Reply-Message')), 'Welcome, carol');
    assert.match(reply.attributes.get('Class') ?? '', /^0x[0-9a-f]+$/);
    const entry = await lastLog();
    assert.deepEqual([entry?.frontEnd, entry?.client], ['radius', 'vpn']);
  });

  it('rejects a wrong password with Access-Reject', async () => {
    const reply = await send(['User-Name = "carol"', 'User-Password = "wrong"']);
    assert.equal(reply.type, 'Access-Reject');
    assert.equal(unquoted(reply.attributes.get('Reply-Message')), 'Authentication failed.');
    await g.gateway.unlockUser('carol');
  });

  it('challenges for the token code with State, then accepts the code', async () => {
    const challenge = await send(['User-Name = "alice"', `User-Password = "${alice.password}"`]);
    assert.equal(challenge.type, 'Access-Challenge');
    assert.equal(
      unquoted(challenge.attributes.get('Reply-Message')),
      'Enter token code or no code to send a notification to your mobile token',
    );
    const state = challenge.attributes.get('State') ?? '';
    assert.match(state, /^0x[0-9a-f]+$/);
    const answered = await send([
      'User-Name = "alice"',
      `User-Password = "${await alice.code()}"`,
      `State = ${state}`,
    ]);
    assert.equal(answered.type, 'Access-Accept');
  });

  it('sends a push for an empty answer and accepts when the phone approves', async () => {
    const challenge = await send(['User-Name = "alice"', `User-Password = "${alice.password}"`]);
    const state = challenge.attributes.get('State') ?? '';
    const waiting = send(['User-Name = "alice"', 'User-Password = ""', `State = ${state}`], {
      timeoutSeconds: 20,
    });
    const [push] = await pendingPushes(alice.phone);
    assert.equal(push.context.user_agent, 'RADIUS vpn');
    await alice.phone.answerPush(push.pushId, 'approve');
    assert.equal((await waiting).type, 'Access-Accept');
    assert.equal((await lastLog())?.reason, 'push-approved');
  });

  it('append mode: password and code in one User-Password; the password alone is refused', async () => {
    await configureClient({ otpMode: 'append' });
    nextStep();
    const accepted = await send([
      'User-Name = "alice"',
      `User-Password = "${alice.password}${await alice.code()}"`,
    ]);
    assert.equal(accepted.type, 'Access-Accept');
    const alone = await send(['User-Name = "alice"', `User-Password = "${alice.password}"`]);
    assert.equal(alone.type, 'Access-Reject');
    assert.equal((await lastLog())?.reason, 'code-missing');
    await configureClient();
  });

  it('both mode: takes the appended code too', async () => {
    nextStep();
    const accepted = await send([
      'User-Name = "alice"',
      `User-Password = "${alice.password}${await alice.code()}"`,
    ]);
    assert.equal(accepted.type, 'Access-Accept');
  });

  it('says "Please wait" for a replayed code in an Access-Reject', async () => {
    const code = await alice.code();
    const replayed = await send([
      'User-Name = "alice"',
      `User-Password = "${alice.password}${code}"`,
    ]);
    assert.equal(replayed.type, 'Access-Reject');
    assert.match(
      unquoted(replayed.attributes.get('Reply-Message')) ?? '',
      /^Please wait \d+ seconds to login again$/,
    );
  });

  it('drops requests without Message-Authenticator by default, and answers them when relaxed', async () => {
    const bare = () =>
      radclient(port, SECRET, ['User-Name = "carol"', 'User-Password = "battery-staple-9"'], {
        timeoutSeconds: 1,
      });
    assert.equal((await bare()).type, undefined, 'no answer at all');
    await configureClient({ messageAuthenticator: 'optional' });
    assert.equal((await bare()).type, 'Access-Accept');
    await configureClient();
  });

  it('drops a wrong secret and an unknown client (radclient times out)', async () => {
    const wrong = await radclient(
      port,
      'not-the-secret',
      ['User-Name = "carol"', 'User-Password = "battery-staple-9"', 'Message-Authenticator = 0x00'],
      { timeoutSeconds: 1 },
    );
    assert.equal(wrong.type, undefined);
    await configureClient({ address: '10.9.9.0/24' });
    const unknown = await send(['User-Name = "carol"', 'User-Password = "battery-staple-9"'], {
      timeoutSeconds: 1,
    });
    assert.equal(unknown.type, undefined);
    await configureClient();
  });

  describe('retransmissions (RFC 5080 section 2.2.2) and garbage', () => {
    let socket: Socket;
    const replies: Buffer[] = [];
    before(async () => {
      socket = createSocket('udp4');
      socket.on('message', (message) => replies.push(message));
      await new Promise<void>((resolve) => socket.bind(0, '127.0.0.1', resolve));
    });
    after(() => socket?.close());

    const request = (identifier: number, username: string, password: string, state?: Buffer) =>
      buildAccessRequest({
        identifier,
        secret: SECRET,
        username,
        password,
        ...(state === undefined ? {} : { state }),
      }).datagram;
    /** Resolves once `count` replies came; fails after 20 s instead of hanging the suite. */
    const waitForReplies = async (count: number) => {
      const deadline = AbortSignal.timeout(20_000);
      while (replies.length < count) await once(socket, 'message', { signal: deadline });
    };

    it('answers a retransmitted request with the identical bytes and uses the code once', async () => {
      nextStep();
      const datagram = request(77, 'alice', `${alice.password}${await alice.code()}`);
      const before = (await g.store.authLog.list({ username: 'alice', limit: 1000 })).length;
      socket.send(datagram, port, '127.0.0.1');
      await waitForReplies(1);
      socket.send(datagram, port, '127.0.0.1');
      await waitForReplies(2);
      assert.equal(decodePacket(replies[0] ?? Buffer.alloc(0)).code, RadiusCode.AccessAccept);
      assert.deepEqual(replies[1], replies[0]);
      const decided = await g.store.authLog.list({ username: 'alice', limit: 1000 });
      assert.equal(decided.length, before + 1, 'one decision, not two');
    });

    it('sends one push for a push request retransmitted while it waits', async () => {
      replies.length = 0;
      const challenge = decodePacket(
        await (async () => {
          socket.send(request(80, 'alice', alice.password), port, '127.0.0.1');
          await waitForReplies(1);
          return replies[0] ?? Buffer.alloc(0);
        })(),
      );
      const state = challenge.attributes.find((a) => a.type === Attribute.State)?.value;
      assert.ok(state !== undefined);
      const pushRequest = request(81, 'alice', '', state);
      socket.send(pushRequest, port, '127.0.0.1');
      const pending = await pendingPushes(alice.phone);
      socket.send(pushRequest, port, '127.0.0.1');
      socket.send(pushRequest, port, '127.0.0.1');
      await new Promise((resolve) => setTimeout(resolve, 300));
      assert.equal((await alice.phone.pendingPushes(0)).length, 1, 'one push, not three');
      await alice.phone.answerPush(pending[0]?.pushId ?? '', 'deny');
      await waitForReplies(2);
      await new Promise((resolve) => setTimeout(resolve, 200));
      assert.equal(replies.length, 2, 'one answer for the three copies');
      assert.equal(decodePacket(replies[1] ?? Buffer.alloc(0)).code, RadiusCode.AccessReject);
    });

    it('survives 20,000 malformed datagrams without answering one, then still answers', async () => {
      replies.length = 0;
      const valid = request(1, 'carol', 'battery-staple-9');
      const garbage: (() => Buffer)[] = [
        () => randomBytes(Math.floor(Math.random() * 4200)),
        () => randomBytes(Math.floor(Math.random() * 20)),
        () => {
          const lying = Buffer.from(valid);
          lying.writeUInt16BE(valid.length + 1 + Math.floor(Math.random() * 4000), 2);
          return lying;
        },
        () => {
          const short = Buffer.from(valid);
          short.writeUInt16BE(Math.floor(Math.random() * 20), 2);
          return short;
        },
        () => {
          const overrun = Buffer.from(valid);
          overrun.writeUInt8(200 + Math.floor(Math.random() * 55), 21);
          return overrun;
        },
        () => {
          // As many 2-byte attributes as fit in 4096 bytes.
          const many = Buffer.alloc(4096, 0);
          valid.copy(many, 0, 0, 20);
          many.writeUInt16BE(4096, 2);
          for (let offset = 20; offset < 4096; offset += 2) many.writeUInt8(2, offset + 1);
          return many;
        },
        () => {
          // Well formed, but the Message-Authenticator does not verify.
          const forged = Buffer.from(valid);
          forged[25] = (forged[25] ?? 0) ^ 0xff;
          return forged;
        },
        () => {
          const accounting = Buffer.from(valid);
          accounting.writeUInt8(4, 0);
          return accounting;
        },
      ];
      for (let sent = 0; sent < 20_000; sent++) {
        const make = garbage[sent % garbage.length];
        if (make !== undefined) socket.send(make(), port, '127.0.0.1');
        if (sent % 200 === 199) await new Promise((resolve) => setTimeout(resolve, 2));
      }
      await new Promise((resolve) => setTimeout(resolve, 500));
      assert.equal(replies.length, 0, 'no reply to garbage');
      const still = await send(['User-Name = "carol"', 'User-Password = "battery-staple-9"']);
      assert.equal(still.type, 'Access-Accept');
    });
  });
});
