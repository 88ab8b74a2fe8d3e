import { type ErrorCode, errorCatalog, TokenwardError } from '../../core/errors.js';
import type { SoftTokenResponse } from './response-checker.js';
import type { ResponseBase } from './responses.js';

/** The provisioner's refusal as a local error with the same code, message and facts. */
export function remoteError(response: SoftTokenResponse<ResponseBase>): TokenwardError {
  const { error } = response.d;
  const code =
    error !== null && error.code in errorCatalog ? (error.code as ErrorCode) : 'TW_INTERNAL';
  const {
    code: _code,
    message,
    ...data
  } = error ?? { code: 'TW_INTERNAL', message: 'The provisioner gave no reason.' };
  return new TokenwardError(code, {
    message: String(message),
    data,
    detail: `HTTP ${response.status}`,
  });
}

/** Runs a request, turning a network failure into TW_PROVISIONER_UNREACHABLE. */
export async function reach<T>(server: string, request: () => Promise<T>): Promise<T> {
  try {
    return await request();
  } catch (error) {
    if (error instanceof TokenwardError) throw error;
    throw new TokenwardError('TW_PROVISIONER_UNREACHABLE', {
      message: `The provisioning server ${server} cannot be reached. Check the network and the server address, then try again.`,
      cause: error,
    });
  }
}
