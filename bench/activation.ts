import { randomBytes } from 'node:crypto';
import { seal } from '../src/crypto/seal.js';
import { generateSealingKeyPair } from '../src/crypto/x25519.js';
import { DEFAULT_PROVISIONER_CONFIG } from '../src/provisioner/config.js';
import { startProvisionerHarness } from '../test/helpers/provisioner-harness.js';
import { formatRate, opsPerSecond, report } from './measure.js';

const ACTIVATIONS = 400;

/**
 * Activations per second (MobileProvision over HTTP on SQLite, a fresh code and a new phone
 * each) beside raw X25519 sealing operations per second in the same run. An activation seals
 * once and checks one Ed25519 signature; the ratio says what the rest of the exchange costs.
 */
export async function benchActivation(): Promise<void> {
  const recipient = generateSealingKeyPair().publicKey;
  const seed = randomBytes(20);
  const sealing = opsPerSecond(() => {
    seal(recipient, seed, 'TWMOB0000000000A:bench');
  });

  const h = await startProvisionerHarness('sqlite', {
    ...DEFAULT_PROVISIONER_CONFIG,
    activationAttempts: { perAddress: 1_000_000, perCode: 100, perToken: 100, windowSeconds: 600 },
  });
  try {
    const gateway = await h.enrolGateway('FGT60F0000000001');
    const pack = await h.provisioner.admin.createLicence({ tokens: ACTIVATIONS }, h.clock.now);
    const imported = await gateway.client.send('LicenseImport', { code: pack.code });
    const serials = (imported.d.tokens ?? []).map((t) => t.token);
    const codes: string[] = [];
    for (let start = 0; start < serials.length; start += 100) {
      const provisioned = await gateway.client.send('Provision', {
        tokens: serials.slice(start, start + 100).map((token) => ({ token })),
      });
      codes.push(
        ...(provisioned.d.tokens ?? []).flatMap((t) =>
          t.error === null ? [t.activation_code] : [],
        ),
      );
    }
    const phones = codes.map(() => h.newPhone());
    const started = performance.now();
    for (const [index, code] of codes.entries()) {
      const answer = await phones[index]?.activate(code);
      if (answer?.d.result !== 2) throw new Error(JSON.stringify(answer?.d.error));
    }
    const activations = codes.length / ((performance.now() - started) / 1000);
    report(
      'activation: MobileProvision',
      formatRate(activations),
      `raw X25519 seal ${formatRate(sealing)}`,
      activations / sealing,
    );
  } finally {
    await h.close();
  }
}
