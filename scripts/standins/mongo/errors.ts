// Server error codes and the error type command handlers throw; the dispatcher turns it into
// the `{ ok: 0, errmsg, code, codeName }` reply the driver raises as MongoServerError.

export const ErrorCodes = {
  InternalError: 1,
  BadValue: 2,
  FailedToParse: 9,
  TypeMismatch: 14,
  IllegalOperation: 20,
  NamespaceNotFound: 26,
  Unauthorized: 13,
  IndexNotFound: 27,
  CursorNotFound: 43,
  NamespaceExists: 48,
  CommandNotFound: 59,
  ImmutableField: 66,
  InvalidOptions: 72,
  NoReplicationEnabled: 76,
  InvalidNamespace: 73,
  IndexOptionsConflict: 85,
  IndexKeySpecsConflict: 86,
  CommandNotSupported: 115,
  OperationNotSupportedInTransaction: 263,
  DuplicateKey: 11000,
  Location13113: 13113,
  Location40324: 40324,
  Location40485: 40485,
} as const;

export type ErrorCodeName = keyof typeof ErrorCodes;

export class CommandError extends Error {
  readonly code: number;
  readonly codeName: string;

  constructor(codeName: ErrorCodeName, message: string) {
    super(message);
    this.code = ErrorCodes[codeName];
    this.codeName = codeName;
  }
}

export function errorMessage(err: unknown): string {
  return err instanceof Error ? err.message : String(err);
}
