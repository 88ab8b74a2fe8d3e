import { TokenwardError } from '../core/errors.js';
import type { AuthEngine } from '../gateway/auth/auth-engine.js';
import type { AuthOutcome } from '../gateway/auth/auth-outcome.js';
import { type Output, ReportedError } from './command.js';
import { createTerminalPrompt } from './terminal-prompt.js';

/**
 * `gateway auth USER`: a login from the terminal through the same engine as RADIUS and HTTP.
 * Asks for the password, then for the code (an empty code sends a push when offered).
 */
export async function interactiveLogin(
  auth: AuthEngine,
  username: string,
  options: { sourceIp?: string },
  output: Output,
): Promise<void> {
  const prompt = createTerminalPrompt();
  const context = {
    frontEnd: 'cli' as const,
    sourceIp: options.sourceIp ?? '127.0.0.1',
    application: 'tokenward gateway auth',
  };
  try {
    const password = await prompt.ask('Password: ', true);
    if (password === undefined) {
      throw new TokenwardError('TW_INPUT_INVALID', { message: 'No password was given.' });
    }
    let outcome: AuthOutcome = await auth.login({ username, password, context });
    while (outcome.result === 'challenge') {
      output.out(outcome.message);
      const pushOffered = outcome.methods.includes('push');
      const code = (await prompt.ask(pushOffered ? 'Code (empty for push): ' : 'Code: ')) ?? '';
      if (code === '' && pushOffered) {
        output.out('Push sent to the mobile token; waiting for the answer...');
        outcome = await auth.answerPush(outcome.sessionId, { context });
      } else {
        outcome = await auth.answerCode(outcome.sessionId, code.trim(), { context });
      }
    }
    if (outcome.result === 'reject') {
      output.err(`Access denied: ${outcome.message}`);
      throw new ReportedError(outcome.message);
    }
    output.out(`Access granted: ${outcome.username}`);
  } finally {
    prompt.close();
  }
}
