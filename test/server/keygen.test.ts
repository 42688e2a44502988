// `gather keygen`: an organizer key made on the command line (node:crypto), whose backup file the
// browser's code (src/identity/backup.ts, WebCrypto) restores to the same public key.
import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { describe, test } from 'node:test';
import { GatherError } from '../../src/errors.js';
import { restoreOrganizerKey } from '../../src/identity/backup.js';
import { signEntry } from '../../src/identity/entries.js';
import { verifyEntry } from '../../src/identity/verification.js';
import { run } from '../../src/server/cli.js';
import { makeOrganizerKeyFile } from '../../src/server/keygen.js';

const PASSPHRASE = 'a long passphrase for the test';

const capture = () => {
  let text = '';
  return { write: (chunk: string) => (text += chunk), get text() { return text; } };
};
const stdinOf = (text: string): AsyncIterable<string> => ({ async *[Symbol.asyncIterator]() { yield text; } });

describe('gather keygen', () => {
  test('prints the public key and writes a backup the browser code restores to the same key', async () => {
    const dir = mkdtempSync(path.join(tmpdir(), 'gather-keygen-'));
    const out = path.join(dir, 'me.gather-key.json');
    const stdout = capture();
    const stderr = capture();
    const code = await run(['keygen', '--out', out], { GATHER_PASSPHRASE: PASSPHRASE }, { stdout, stderr, stdin: stdinOf('') });
    assert.equal(code, 0, stderr.text);
    const publicKey = stdout.text.trim();
    assert.match(publicKey, /^[A-Za-z0-9_-]{43}$/);
    assert.match(stderr.text, new RegExp(`organizer="${publicKey}"`));
    assert.equal(statSync(out).mode & 0o777, 0o600, 'readable by its owner only');
    const file = readFileSync(out, 'utf8');
    assert.equal(JSON.parse(file).kdf.iterations, 600_000);
    const restored = await restoreOrganizerKey(file, PASSPHRASE);
    assert.equal(restored.publicKey, publicKey);
    assert.ok(await verifyEntry(await signEntry(restored.signer, { type: 'close', scope: 'poll:x', closed: true })));
    await assert.rejects(restoreOrganizerKey(file, 'not the passphrase'), (e: unknown) => e instanceof GatherError && e.code === 'wrong-passphrase');

    // Never replaces a key file.
    const again = await run(['keygen', '--out', out], { GATHER_PASSPHRASE: PASSPHRASE }, { stdout: capture(), stderr: capture(), stdin: stdinOf('') });
    assert.equal(again, 1);
    assert.equal(readFileSync(out, 'utf8'), file);
  });

  test('reads the passphrase from stdin; a short one writes nothing', async () => {
    const dir = mkdtempSync(path.join(tmpdir(), 'gather-keygen-'));
    const out = path.join(dir, 'k.json');
    const stderr = capture();
    assert.equal(await run(['keygen', '--out', out], {}, { stdout: capture(), stderr, stdin: stdinOf('short\n') }), 1);
    assert.match(stderr.text, /at least 10 characters/);
    assert.throws(() => statSync(out));
    const stdout = capture();
    assert.equal(await run(['keygen', '--out', out], {}, { stdout, stderr: capture(), stdin: stdinOf(`${PASSPHRASE}\nignored`) }), 0);
    assert.equal((await restoreOrganizerKey(readFileSync(out, 'utf8'), PASSPHRASE)).publicKey, stdout.text.trim());
  });

  test('the format matches backup.ts field for field (edited files fail the same way)', async () => {
    const { publicKey, file } = await makeOrganizerKeyFile(PASSPHRASE, 1000);
    const parsed = JSON.parse(file);
    assert.deepEqual(Object.keys(parsed).sort(), ['alg', 'cipher', 'format', 'kdf', 'privateKey', 'publicKey', 'version']);
    assert.equal(parsed.publicKey, publicKey);
    const dir = mkdtempSync(path.join(tmpdir(), 'gather-keygen-'));
    writeFileSync(path.join(dir, 'x.json'), JSON.stringify({ ...parsed, kdf: { ...parsed.kdf, iterations: 1001 } }));
    await assert.rejects(restoreOrganizerKey(readFileSync(path.join(dir, 'x.json'), 'utf8'), PASSPHRASE), (e: unknown) => e instanceof GatherError && e.code === 'wrong-passphrase');
  });
});
