// Organizer keys: made, backed up under a passphrase, restored (here in Node; the same module runs
// in Chromium in test/browser/organizer-backup.test.ts), and what a damaged or edited file does.
import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { GatherError } from '../../src/errors.js';
import {
  BACKUP_FORMAT,
  backupFileName,
  backupPublicKey,
  createOrganizerKey,
  exportOrganizerKey,
  generatePassword,
  isOrganizerBackup,
  MIN_BACKUP_ITERATIONS,
  restoreOrganizerKey,
} from '../../src/identity/backup.js';
import { signEntry } from '../../src/identity/entries.js';
import { verifyEntry } from '../../src/identity/verification.js';

const FAST = { iterations: MIN_BACKUP_ITERATIONS };
const PASSPHRASE = 'correct horse battery staple';
const isCode = (code: string) => (error: unknown) => error instanceof GatherError && error.code === code;

describe('organizer key backup', () => {
  for (const alg of ['Ed25519', 'ECDSA-P256'] as const) {
    test(`${alg}: a restored key signs as the same organizer`, async () => {
      const key = await createOrganizerKey(alg);
      const file = await exportOrganizerKey(key, PASSPHRASE, FAST);
      const parsed = JSON.parse(file);
      assert.equal(parsed.format, BACKUP_FORMAT);
      assert.equal(parsed.alg, alg);
      assert.equal(parsed.publicKey, key.publicKey);
      assert.equal(parsed.kdf.name, 'PBKDF2');
      assert.equal(parsed.cipher.name, 'AES-GCM');
      assert.ok(!file.includes('PRIVATE'), 'no plain private key');
      assert.equal(backupPublicKey(file), key.publicKey);
      const restored = await restoreOrganizerKey(file, PASSPHRASE);
      assert.equal(restored.publicKey, key.publicKey);
      const entry = await signEntry(restored.signer, { type: 'close', scope: 'poll:x', closed: true });
      assert.equal(entry.author, key.publicKey);
      assert.ok(await verifyEntry(entry));
      // Backed up again from the restored copy, it still opens.
      const again = await restoreOrganizerKey(await exportOrganizerKey(restored, 'another long passphrase', FAST), 'another long passphrase');
      assert.equal(again.publicKey, key.publicKey);
    });
  }

  test('a new backup costs 600,000 PBKDF2 iterations by default', async () => {
    const key = await createOrganizerKey();
    const file = JSON.parse(await exportOrganizerKey(key, PASSPHRASE));
    assert.equal(file.kdf.iterations, 600_000);
  });

  test('the wrong passphrase does not open it', async () => {
    const file = await exportOrganizerKey(await createOrganizerKey(), PASSPHRASE, FAST);
    await assert.rejects(restoreOrganizerKey(file, 'correct horse battery stapler'), isCode('wrong-passphrase'));
    await assert.rejects(restoreOrganizerKey(file, ''), isCode('wrong-passphrase'));
  });

  test('a file whose public key, cost or ciphertext was edited does not open', async () => {
    const key = await createOrganizerKey('Ed25519');
    const other = await createOrganizerKey('Ed25519');
    const file = JSON.parse(await exportOrganizerKey(key, PASSPHRASE, FAST));
    const swapped = JSON.stringify({ ...file, publicKey: other.publicKey });
    await assert.rejects(restoreOrganizerKey(swapped, PASSPHRASE), isCode('wrong-passphrase'), 'the public key is authenticated');
    const cheaper = JSON.stringify({ ...file, kdf: { ...file.kdf, iterations: MIN_BACKUP_ITERATIONS + 1 } });
    await assert.rejects(restoreOrganizerKey(cheaper, PASSPHRASE), isCode('wrong-passphrase'));
    const flipped = file.privateKey.slice(0, 10) + (file.privateKey[10] === 'A' ? 'B' : 'A') + file.privateKey.slice(11);
    await assert.rejects(restoreOrganizerKey(JSON.stringify({ ...file, privateKey: flipped }), PASSPHRASE), isCode('wrong-passphrase'));
  });

  test('what is not a backup file is refused without throwing anything else', async () => {
    const file = JSON.parse(await exportOrganizerKey(await createOrganizerKey(), PASSPHRASE, FAST));
    const bad: unknown[] = [
      '',
      'not json',
      '[]',
      'null',
      JSON.stringify({ ...file, format: 'other' }),
      JSON.stringify({ ...file, version: 2 }),
      JSON.stringify({ ...file, alg: 'RSA' }),
      JSON.stringify({ ...file, publicKey: 'short' }),
      JSON.stringify({ ...file, kdf: { ...file.kdf, iterations: 10 } }),
      JSON.stringify({ ...file, kdf: { ...file.kdf, iterations: 1e9 } }),
      JSON.stringify({ ...file, kdf: { ...file.kdf, hash: 'SHA-1' } }),
      JSON.stringify({ ...file, kdf: { ...file.kdf, salt: 'AAAA' } }),
      JSON.stringify({ ...file, cipher: { name: 'AES-CBC', iv: file.cipher.iv } }),
      JSON.stringify({ ...file, privateKey: '!!!' }),
      'x'.repeat(100_000),
    ];
    for (const text of bad) {
      assert.equal(isOrganizerBackup(text), false, String(text).slice(0, 60));
      await assert.rejects(restoreOrganizerKey(text as string, PASSPHRASE), isCode('invalid-backup'), String(text).slice(0, 60));
    }
  });

  test('a private key that does not match the named public key is refused', async () => {
    // Two files with the same passphrase: one's header with the other's sealed key fails to
    // open (authenticated); so the mismatch can only come from a file written that way on purpose.
    const a = await createOrganizerKey('Ed25519');
    const b = await createOrganizerKey('Ed25519');
    const forged = await exportOrganizerKey({ ...b, publicKey: a.publicKey }, PASSPHRASE, FAST);
    await assert.rejects(restoreOrganizerKey(forged, PASSPHRASE), isCode('invalid-backup'));
  });

  test('short passphrases are refused when backing up', async () => {
    await assert.rejects(exportOrganizerKey(await createOrganizerKey(), 'short', FAST), isCode('invalid-field'));
  });

  test('file names and generated passwords', () => {
    assert.match(backupFileName('abcDEF12345-_xyz'), /^organizer-abcDEF12\.gather-key\.json$/);
    const passwords = new Set(Array.from({ length: 50 }, () => generatePassword()));
    assert.equal(passwords.size, 50);
    for (const p of passwords) assert.match(p, /^[a-hjkmnp-z2-9]{5}(-[a-hjkmnp-z2-9]{5}){4}$/);
  });
});
