import type { FastifyError, FastifyReply, FastifyRequest } from 'fastify';
import { isTokenwardError, TokenwardError } from '../../core/errors.js';
import { fieldOf, validationMessage } from '../../http/validation-message.js';

/** Every error body of the gateway's HTTP routes: `result` says it is no answer, `error` why. */
export interface ErrorBody {
  readonly result: 'reject' | 'error';
  readonly error: ReturnType<TokenwardError['toPublic']>;
}

/** Any error as the TokenwardError a caller may see (node-oidc-provider's `err_out`). */
export function codedError(error: FastifyError | Error): TokenwardError {
  if (isTokenwardError(error)) return error;
  const { statusCode, validation } = error as FastifyError;
  const status = statusCode ?? 500;
  if (validation !== undefined) {
    // The field as a path (`changes.0.value`): the caller can correct exactly that.
    const [first] = validation;
    return new TokenwardError('TW_INPUT_INVALID', {
      message: `The request is not valid: ${validationMessage(first)}`,
      detail: error.message,
      data: { field: fieldOf(first) },
    });
  }
  if (status === 413) return new TokenwardError('TW_BODY_TOO_LARGE');
  if (status < 500) return new TokenwardError('TW_INPUT_INVALID', { detail: error.message });
  return new TokenwardError('TW_INTERNAL', { cause: error });
}

/** Sends an error in the one shape: its status, Retry-After when it has one, the public body. */
export function sendError(reply: FastifyReply, error: TokenwardError): FastifyReply {
  const retryAfter = error.data.retry_after;
  if (retryAfter !== undefined) reply.header('retry-after', String(retryAfter));
  const body: ErrorBody = {
    result: error.code === 'TW_AUTH_REJECTED' ? 'reject' : 'error',
    error: error.toPublic(),
  };
  return reply.code(error.status).send(body);
}

/** The listener's error handler: every route's errors leave through sendError. */
export function gatewayErrorHandler(
  error: FastifyError | Error,
  request: FastifyRequest,
  reply: FastifyReply,
): FastifyReply {
  const coded = codedError(error);
  if (coded.status >= 500) request.log.error({ err: error }, 'unexpected error');
  return sendError(reply, coded);
}
