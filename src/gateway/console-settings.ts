import { TokenwardError } from '../core/errors.js';
import type { GatewayContext } from './context.js';
import {
  GATEWAY_SETTINGS,
  type SettingChange,
  type SettingSpec,
  type SettingsPath,
  settingKey,
} from './gateway-settings.js';
import { changeSettings } from './settings-change.js';

/** The settings the console edits, in the order it shows them, each with a label in words. */
const CONSOLE_SETTINGS: readonly {
  path: SettingsPath;
  name: string;
  label: string;
  unit?: string;
}[] = [
  {
    path: 'system global',
    name: 'two-factor-ftm-expiry',
    label: 'Activation code works for',
    unit: 'hours',
  },
  {
    path: 'system global',
    name: 'two-factor-email-expiry',
    label: 'E-mailed login code works for',
    unit: 'seconds',
  },
  {
    path: 'system global',
    name: 'two-factor-sms-expiry',
    label: 'Texted login code works for',
    unit: 'seconds',
  },
  {
    path: 'user setting',
    name: 'auth-lockout-threshold',
    label: 'Failures that block a source (and lock the user after a wrong code)',
  },
  {
    path: 'user setting',
    name: 'auth-lockout-user-threshold',
    label: 'Wrong passwords that lock a user',
  },
  {
    path: 'user setting',
    name: 'auth-lockout-duration',
    label: 'Lockout lasts (0: until an admin unlocks)',
    unit: 'seconds',
  },
  { path: 'user setting', name: 'two-factor-required', label: 'New users need a second factor' },
  { path: 'system ftm-push', name: 'status', label: 'Push approval' },
  {
    path: 'system ftm-push',
    name: 'number-matching',
    label: 'Number matching (the user picks the number shown at login)',
  },
  {
    path: 'system ftm-push',
    name: 'timeout',
    label: 'A push waits for the phone',
    unit: 'seconds',
  },
  { path: 'log setting', name: 'retention-days', label: 'Logs are kept for', unit: 'days' },
];

/** The console's settings with their values (stored, else the default) and what they take. */
export async function consoleSettings(ctx: GatewayContext) {
  const stored = await ctx.store.settings.all();
  return CONSOLE_SETTINGS.map(({ path, name, label, unit }) => {
    const spec = (GATEWAY_SETTINGS[path] as Record<string, SettingSpec>)[name] as SettingSpec;
    return {
      path,
      name,
      label,
      ...(unit === undefined ? {} : { unit }),
      value: (stored.get(settingKey(path, name)) as number | string | undefined) ?? spec.fallback,
      ...('min' in spec ? { min: spec.min, max: spec.max } : {}),
      ...('choices' in spec ? { choices: spec.choices } : {}),
    };
  });
}

/** Changes settings the console shows (others are refused, naming the setting). */
export async function changeConsoleSettings(
  ctx: GatewayContext,
  changes: readonly { path: string; name: string; value: number | string }[],
  now: number,
) {
  const known = new Set(CONSOLE_SETTINGS.map((s) => `${s.path}|${s.name}`));
  const checked: SettingChange[] = changes.map((change) => {
    if (!known.has(`${change.path}|${change.name}`)) {
      throw new TokenwardError('TW_INPUT_INVALID', {
        message: `"${change.path} ${change.name}" is not a setting of the console; use config import.`,
        data: { field: 'changes' },
      });
    }
    return change as SettingChange;
  });
  await changeSettings(ctx, checked, now);
}
