import { expect } from '@open-wc/testing';
import { toBase64url } from '../../src/identity/base64url.js';
import { signEntry } from '../../src/identity/entries.js';
import { verifyEntry } from '../../src/identity/verification.js';
import { DEVICE_RECORD_KEY, IDENTITY_DB_NAME, IDENTITY_STORE_NAME, loadDeviceSigner } from '../../src/identity/keys.js';

function readDeviceRecord(): Promise<any> {
  return new Promise((resolve, reject) => {
    const open = indexedDB.open(IDENTITY_DB_NAME);
    open.onerror = () => reject(open.error);
    open.onsuccess = () => {
      const request = open.result.transaction(IDENTITY_STORE_NAME).objectStore(IDENTITY_STORE_NAME).get(DEVICE_RECORD_KEY);
      request.onsuccess = () => {
        open.result.close();
        resolve(request.result);
      };
      request.onerror = () => reject(request.error);
    };
  });
}

describe('device identity in a real browser', () => {
  it('is created once, kept in IndexedDB with a non-extractable private key, and signs verifiable entries', async () => {
    const [first, second] = await Promise.all([loadDeviceSigner(), loadDeviceSigner()]);
    expect(second.publicKey).to.equal(first.publicKey);
    expect(first.alg).to.equal('Ed25519');

    const record = await readDeviceRecord();
    expect(record.signing.alg).to.equal(first.alg);
    const raw = new Uint8Array(await crypto.subtle.exportKey('raw', record.signing.publicKey));
    expect(toBase64url(raw)).to.equal(first.publicKey);
    expect(record.signing.privateKey).to.be.instanceOf(CryptoKey);
    expect(record.signing.privateKey.extractable).to.be.false;

    const entry = await signEntry(first, { type: 'ballot', scope: 'poll:test', choices: ['a'] });
    expect(await verifyEntry(entry)).to.be.true;
    expect(await verifyEntry({ ...entry, choices: ['b'] })).to.be.false;
  });
});
