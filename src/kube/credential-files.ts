// Credential files a kubeconfig names (CA, client certificate and key, token file; in a pod, the
// service account's token and CA): every request uses what is on disk now, so a rotated file is
// used by the next request, but a file that has not changed is not read again. A stat says whether
// it changed; reading two files for each request cost more CPU than the rest of sending it.
import { readFile, stat } from "node:fs/promises";

/**
 * A file modified this close to when it was read may be written again without its modification
 * time moving (file times are kept to a few milliseconds, or to the second on some file systems):
 * its content is trusted for the next request only once it is older than this when read.
 */
const SETTLED_MS = 2_000;

interface Known {
  /** What stat said when the content was read: any change in it means the file changed. */
  signature: string;
  content: Buffer;
  /** Whether no write can have followed the read without changing the signature. */
  settled: boolean;
}

export class CredentialFiles {
  readonly #known = new Map<string, Known>();

  /** The file's current content; rejects like readFile (ENOENT, EACCES) when it cannot be read. */
  async read(path: string): Promise<Buffer> {
    const before = await stat(path);
    const signature = `${before.dev}:${before.ino}:${before.size}:${before.mtimeMs}:${before.ctimeMs}`;
    const known = this.#known.get(path);
    if (known?.settled && known.signature === signature) return known.content;
    const content = await readFile(path);
    // Replaced between the stat and the read: the content is newer than the signature says, so
    // the next stat differs from it and reads again.
    this.#known.set(path, {
      signature,
      content,
      settled: Date.now() - Math.max(before.mtimeMs, before.ctimeMs) > SETTLED_MS,
    });
    return content;
  }
}
