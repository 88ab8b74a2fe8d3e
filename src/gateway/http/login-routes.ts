import type { FastifyPluginAsync, FastifyReply } from 'fastify';
import { TokenwardError } from '../../core/errors.js';
import { abortedWhenGone } from '../../http/request-signal.js';
import type { AuthEngine } from '../auth/auth-engine.js';
import type { AuthOutcome } from '../auth/auth-outcome.js';
import { sendError } from './error-reply.js';

const text = (maxLength: number) => ({ type: 'string', minLength: 1, maxLength }) as const;
const sessionId = text(64);

const schemas = {
  auth: {
    type: 'object',
    additionalProperties: false,
    required: ['username', 'password'],
    properties: {
      username: text(128),
      password: text(256),
      /** The address of the person logging in, for the log and the push on the phone. */
      source_ip: text(64),
      /** The application's name, shown on the phone with a push. */
      application: text(128),
    },
  },
  otp: {
    type: 'object',
    additionalProperties: false,
    required: ['session_id', 'code'],
    properties: { session_id: sessionId, code: text(16) },
  },
  push: {
    type: 'object',
    additionalProperties: false,
    required: ['session_id'],
    properties: { session_id: sessionId },
  },
} as const;

interface AuthBody {
  username: string;
  password: string;
  source_ip?: string;
  application?: string;
}

/**
 * The HTTP login API for web applications (DESIGN section 6): the password first, then a code or
 * a push for the session the challenge named. Every refusal is 401 TW_AUTH_REJECTED.
 */
export function loginRoutes(auth: AuthEngine, closing: AbortSignal): FastifyPluginAsync {
  return async (app) => {
    app.post<{ Body: AuthBody }>(
      '/api/v1/auth',
      {
        schema: {
          summary:
            'First factor: user name and password. Answers accept, reject, or challenge with a session id and the methods offered.',
          body: schemas.auth,
        },
      },
      async (request, reply) => {
        const { username, password, source_ip, application } = request.body;
        const outcome = await auth.login({
          username,
          password,
          context: {
            frontEnd: 'http',
            sourceIp: source_ip ?? request.ip,
            ...(application === undefined ? {} : { application }),
          },
        });
        return answer(reply, outcome);
      },
    );

    app.post<{ Body: { session_id: string; code: string } }>(
      '/api/v1/auth/otp',
      {
        schema: {
          summary:
            'Second factor: the session id and a code (token, e-mail or SMS). Accept, reject, or challenge (clock drift).',
          body: schemas.otp,
        },
      },
      async (request, reply) =>
        answer(
          reply,
          await auth.answerCode(request.body.session_id, request.body.code, {
            context: { frontEnd: 'http', sourceIp: request.ip },
          }),
        ),
    );

    app.post<{ Body: { session_id: string } }>(
      '/api/v1/auth/push',
      {
        schema: {
          summary:
            'Second factor: send a push to the phone and wait for the answer (up to the push timeout).',
          body: schemas.push,
        },
      },
      async (request, reply) =>
        answer(
          reply,
          await auth.answerPush(request.body.session_id, {
            context: { frontEnd: 'http', sourceIp: request.ip },
            signal: AbortSignal.any([abortedWhenGone(reply), closing]),
          }),
        ),
    );
  };
}

function answer(reply: FastifyReply, outcome: AuthOutcome) {
  switch (outcome.result) {
    case 'accept':
      return reply
        .code(200)
        .send({ result: 'accept', username: outcome.username, groups: outcome.groups });
    case 'reject':
      return sendError(reply, new TokenwardError('TW_AUTH_REJECTED', { message: outcome.message }));
    default:
      return reply.code(200).send({
        result: 'challenge',
        session_id: outcome.sessionId,
        methods: outcome.methods,
        message: outcome.message,
        expires: Math.floor(outcome.expiresAt / 1000),
        ...(outcome.number === undefined ? {} : { number: outcome.number }),
      });
  }
}
