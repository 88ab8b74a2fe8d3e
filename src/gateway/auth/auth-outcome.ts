import type { FrontEnd } from '../../core/login-terms.js';
import type { ReplyAttributeName } from '../../protocol/radius/reply-dictionary.js';

/** Where a login comes from, for the auth log and the push shown on the phone. */
export interface LoginContext {
  readonly frontEnd: FrontEnd;
  /** The address of the person logging in (not of the application asking). */
  readonly sourceIp?: string;
  /** What they log in to, e.g. `OpenVPN` or a web application's name. */
  readonly application?: string;
  /** The RADIUS client (NAS) the request came through. */
  readonly client?: string;
  /**
   * True when the request's authenticity was not proven (a RADIUS packet without
   * Message-Authenticator from a client that allows that): its failures count for nobody, so
   * spoofed packets cannot lock anyone out.
   */
  readonly unproven?: boolean;
  /** Only members of these user groups may log in this way (a RADIUS client's allowed-groups). */
  readonly allowedGroups?: readonly string[];
}

export type ChallengeMethod = 'otp' | 'push';

/** What a front end tells the person. Every refusal is alike from outside; the log says why. */
export type AuthOutcome = (
  | {
      readonly result: 'accept';
      readonly username: string;
      /** The user groups the user is in (for the front end's own use). */
      readonly groups: readonly string[];
      /** What those groups send in a RADIUS Access-Accept. */
      readonly replyAttributes: readonly { name: ReplyAttributeName; value: string }[];
    }
  | { readonly result: 'reject'; readonly message: string }
  | {
      readonly result: 'challenge';
      /** Works once, until `expiresAt`: the next step names it. */
      readonly sessionId: string;
      readonly methods: readonly ChallengeMethod[];
      readonly message: string;
      readonly expiresAt: number;
      /** With number matching: the number to pick on the phone. */
      readonly number?: number;
    }
) & {
  /** Why, for the front end's own log line; never shown to the person logging in. */
  readonly reason: string;
};

export const AUTH_MESSAGES = {
  rejected: 'Authentication failed.',
  token: 'Enter token code or no code to send a notification to your mobile token',
  tokenOnly: 'Enter token code',
  email: 'Enter the code sent to your e-mail address',
  sms: 'Enter the code sent to your phone by SMS',
  resync: 'Clock drift detected. Please input the next code and continue',
  wait: (seconds: number) => `Please wait ${seconds} seconds to login again`,
  number: (number: number) => `; on your phone, pick ${number}`,
} as const;
