/** One Ajv validation error, as fastify hands it over. */
export interface ValidationIssue {
  readonly keyword: string;
  readonly instancePath?: string;
  readonly params?: Record<string, unknown>;
  readonly message?: string | undefined;
}

/** The field an issue is about: `email`, `changes.0.value`, or the missing property. */
export function fieldOf(issue: ValidationIssue | undefined): string {
  const path = (issue?.instancePath ?? '').replace(/^\//, '').replaceAll('/', '.');
  const missing = issue?.params?.missingProperty;
  return path || (typeof missing === 'string' ? missing : 'body');
}

/**
 * A validation error in words for the person who typed the value ("email takes at most 256
 * characters."), not the schema's phrasing ("must NOT have more than 256 characters").
 */
export function validationMessage(issue: ValidationIssue | undefined): string {
  const field = fieldOf(issue);
  const params = issue?.params ?? {};
  const limit = params.limit;
  switch (issue?.keyword) {
    case 'required':
      return `${field} is required.`;
    case 'maxLength':
      return `${field} takes at most ${limit} characters.`;
    case 'minLength':
      return limit === 1
        ? `${field} may not be empty.`
        : `${field} takes at least ${limit} characters.`;
    case 'pattern':
      return `${field} has a character it may not contain (no spaces or quotes; digits where a number is asked).`;
    case 'enum':
      return `${field} is one of: ${(params.allowedValues as unknown[] | undefined)?.join(', ') ?? ''}.`;
    case 'type':
      return `${field} must be ${params.type === 'integer' ? 'a whole number' : `of type ${String(params.type)}`}.`;
    case 'minimum':
      return `${field} must be at least ${limit}.`;
    case 'maximum':
      return `${field} must be at most ${limit}.`;
    case 'minItems':
      return `${field} needs at least ${limit} item${limit === 1 ? '' : 's'}.`;
    case 'maxItems':
      return `${field} takes at most ${limit} items.`;
    case 'additionalProperties':
      return `${String(params.additionalProperty)} is not a field of this request.`;
    default:
      return `${field} is not valid (${issue?.message ?? 'unexpected value'}).`;
  }
}
