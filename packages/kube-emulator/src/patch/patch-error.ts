// The one error type of the patch algorithms, carrying what kube-apiserver would answer with.

/** kube-apiserver's Status message for a 422 built by NewGenericServerResponse (JSON patch failures). */
export const INVALID_REQUEST_MESSAGE = "the server rejected our request due to an error in our request";

export type PatchErrorCode = 400 | 422 | 500;

export class PatchError extends Error {
  /** HTTP status: 400 for a patch that cannot be decoded, 422 for one that does not apply, 500 otherwise. */
  readonly code: PatchErrorCode;
  /**
   * What kube-apiserver writes into Status.message. For a JSON patch that does not apply it hides the
   * detail (kubectl prints "The request is invalid: the server rejected our request ..."), so `message`
   * keeps the precise reason for logs and tests while this keeps the wire wording.
   */
  readonly statusMessage: string;

  constructor(message: string, code: PatchErrorCode = 422, statusMessage?: string) {
    super(message);
    this.name = "PatchError";
    this.code = code;
    this.statusMessage = statusMessage ?? defaultStatusMessage(message, code);
  }
}

function defaultStatusMessage(message: string, code: PatchErrorCode): string {
  if (code === 500) return `Internal error occurred: ${message}`;
  return message;
}
