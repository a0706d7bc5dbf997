/**
 * One error shape for every shell: the HTTP control API sends it as JSON, IPC rethrows it, the
 * CLI prints its message on one line. Messages never contain a secret.
 */
type ErrorCode =
  | 'bad_input'
  | 'unauthorized'
  | 'forbidden'
  | 'not_found'
  | 'conflict'
  | 'busy'
  | 'keychain_unavailable'
  | 'vendor_refused'
  | 'vendor_unavailable'
  | 'unsupported'
  | 'internal';

export interface ErrorBody {
  code: ErrorCode;
  message: string;
  /** The input field at fault, for `bad_input`. */
  field?: string;
}

export class KeywayError extends Error {
  readonly code: ErrorCode;
  readonly field: string | undefined;

  constructor(code: ErrorCode, message: string, field?: string) {
    super(message);
    this.name = 'KeywayError';
    this.code = code;
    this.field = field;
  }

  toBody(): ErrorBody {
    return this.field === undefined
      ? { code: this.code, message: this.message }
      : { code: this.code, message: this.message, field: this.field };
  }

  static fromBody(body: ErrorBody): KeywayError {
    return new KeywayError(body.code, body.message, body.field);
  }
}

export const HTTP_STATUS: Record<ErrorCode, number> = {
  bad_input: 400,
  unauthorized: 401,
  forbidden: 403,
  not_found: 404,
  conflict: 409,
  busy: 409,
  keychain_unavailable: 503,
  vendor_refused: 422,
  vendor_unavailable: 502,
  unsupported: 400,
  internal: 500,
};

export function isErrorBody(value: unknown): value is ErrorBody {
  return (
    typeof value === 'object' &&
    value !== null &&
    typeof (value as ErrorBody).code === 'string' &&
    typeof (value as ErrorBody).message === 'string'
  );
}
