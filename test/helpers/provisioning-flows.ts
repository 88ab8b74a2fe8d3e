import assert from 'node:assert/strict';
import type { TestGateway } from './provisioner-harness.js';
import { okEntries } from './softtoken-entries.js';

/** Imports the gateway cluster's trial licence; returns its two token serials. */
export async function importTrial(gateway: TestGateway): Promise<string[]> {
  const imported = await gateway.client.send('LicenseImport', { code: '0000-0000-0000-0000-0000' });
  assert.equal(imported.d.result, 2, JSON.stringify(imported.d.error));
  return (imported.d.tokens ?? []).map((t) => t.token);
}

export interface ProvisionedToken {
  readonly serial: string;
  readonly code: string;
  readonly seed: Uint8Array;
  readonly activationExpire: number;
  readonly seedVersion: number;
}

/** Provisions one token and opens its sealed seed with the gateway's key. */
export async function provision(
  gateway: TestGateway,
  serial: string,
  extra: { expire_hours?: number; label?: string } = {},
): Promise<ProvisionedToken> {
  const response = await gateway.client.send('Provision', {
    tokens: [{ token: serial, ...extra }],
  });
  assert.equal(response.d.result, 2, JSON.stringify(response.d));
  const [entry] = okEntries(response.d.tokens);
  assert.ok(entry !== undefined);
  return {
    serial,
    code: entry.activation_code,
    seed: gateway.openSeed(entry.seed, serial),
    activationExpire: entry.activation_expire,
    seedVersion: entry.seed_version,
  };
}
