/**
 * `gather keygen`: makes an organizer key on the command line and writes its backup file, in the
 * format the browser's `<gather-organizer>` panel restores (src/identity/backup.ts defines it;
 * this is the same format written with node:crypto, so the server imports no browser code):
 *
 *     { format: "gather-organizer-key", version: 1, alg: "Ed25519", publicKey,
 *       kdf: { name: "PBKDF2", hash: "SHA-256", iterations, salt }, cipher: { name: "AES-GCM", iv },
 *       privateKey: AES-256-GCM(PKCS #8), additional data "gather-organizer-key/1\nalg\npublicKey\niterations\n" }
 *
 * @module
 */
import { createCipheriv, generateKeyPairSync, pbkdf2, randomBytes } from 'node:crypto';
import { open } from 'node:fs/promises';
import { promisify } from 'node:util';

/** The `format` of a backup file (as src/identity/backup.ts). */
const FORMAT = 'gather-organizer-key';
const VERSION = 1;
/** PBKDF2 iterations (as src/identity/backup.ts BACKUP_ITERATIONS). */
export const KEYGEN_ITERATIONS = 600_000;
/** Shortest passphrase (as src/identity/backup.ts MIN_PASSPHRASE_LENGTH). */
export const KEYGEN_MIN_PASSPHRASE = 10;

const base64url = (bytes: Uint8Array): string => Buffer.from(bytes).toString('base64url');

/** A new Ed25519 organizer key and its backup file's text, the private key sealed under `passphrase`. */
export async function makeOrganizerKeyFile(passphrase: string, iterations = KEYGEN_ITERATIONS): Promise<{ publicKey: string; file: string }> {
  if ([...passphrase].length < KEYGEN_MIN_PASSPHRASE) throw new Error(`The passphrase needs at least ${KEYGEN_MIN_PASSPHRASE} characters`);
  const { publicKey, privateKey } = generateKeyPairSync('ed25519');
  const raw = publicKey.export({ format: 'jwk' }).x!; // base64url of the raw 32-byte key
  const pkcs8 = privateKey.export({ format: 'der', type: 'pkcs8' });
  const salt = randomBytes(16);
  const iv = randomBytes(12);
  const key = await promisify(pbkdf2)(Buffer.from(passphrase.normalize('NFC'), 'utf8'), salt, iterations, 32, 'sha256');
  const cipher = createCipheriv('aes-256-gcm', key, iv);
  cipher.setAAD(Buffer.from(`${FORMAT}/${VERSION}\nEd25519\n${raw}\n${iterations}\n`, 'utf8'));
  const sealed = Buffer.concat([cipher.update(pkcs8), cipher.final(), cipher.getAuthTag()]);
  pkcs8.fill(0);
  const file = {
    format: FORMAT,
    version: VERSION,
    alg: 'Ed25519',
    publicKey: raw,
    kdf: { name: 'PBKDF2', hash: 'SHA-256', iterations, salt: base64url(salt) },
    cipher: { name: 'AES-GCM', iv: base64url(iv) },
    privateKey: base64url(sealed),
  };
  return { publicKey: raw, file: `${JSON.stringify(file, null, 2)}\n` };
}

/** Writes `text` to `path`, refusing to replace an existing file (a key file is never overwritten). */
export async function writeNewFile(path: string, text: string): Promise<void> {
  const handle = await open(path, 'wx', 0o600);
  try {
    await handle.writeFile(text, 'utf8');
  } finally {
    await handle.close();
  }
}

/** The first line of `input` (a passphrase piped in), without its line ending. */
export async function readFirstLine(input: AsyncIterable<string | Uint8Array>): Promise<string> {
  let text = '';
  for await (const chunk of input) {
    text += typeof chunk === 'string' ? chunk : Buffer.from(chunk).toString('utf8');
    if (text.includes('\n') || text.length > 4096) break;
  }
  return text.split(/\r?\n/)[0] ?? '';
}

/**
 * Asks for a passphrase on a terminal without echoing it (twice, to catch a typo). Resolves with
 * it, or with null when the two differ or input ends.
 */
export async function promptPassphrase(input: NodeJS.ReadStream, output: { write(text: string): unknown }): Promise<string | null> {
  const ask = (question: string): Promise<string | null> =>
    new Promise((resolve) => {
      output.write(question);
      let text = '';
      const wasRaw = input.isRaw;
      input.setRawMode?.(true);
      input.resume();
      const done = (value: string | null) => {
        input.off('data', onData);
        input.setRawMode?.(wasRaw);
        input.pause();
        output.write('\n');
        resolve(value);
      };
      const onData = (data: Buffer) => {
        for (const char of data.toString('utf8')) {
          if (char === '\r' || char === '\n') return done(text);
          if (char === '\u0003' || char === '\u0004') return done(null); // Ctrl-C, Ctrl-D
          if (char === '\u007f' || char === '\b') text = [...text].slice(0, -1).join('');
          else text += char;
        }
      };
      input.on('data', onData);
    });
  const first = await ask(`Passphrase for the backup (at least ${KEYGEN_MIN_PASSPHRASE} characters): `);
  if (first === null) return null;
  const second = await ask('The same passphrase again: ');
  return second === first ? first : null;
}
