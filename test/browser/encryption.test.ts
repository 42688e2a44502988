// The device's encryption pairs in a real browser: kept in IndexedDB beside the signing key
// (non-extractable), the same on every load, X25519 where Chromium has it and P-256; sealing works.
import { expect } from '@open-wc/testing';
import { toBase64url } from '../../src/identity/base64url.js';
import { createEncryption, curveOfKey, encryptionFor } from '../../src/identity/encryption.js';
import { createSigner, DEVICE_RECORD_KEY, IDENTITY_DB_NAME, IDENTITY_STORE_NAME, loadDeviceSigner } from '../../src/identity/keys.js';

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

const bytes = (s: string) => new TextEncoder().encode(s);

describe('device encryption pairs in a real browser', () => {
  it('are stored once beside the signing key, non-extractable, and keep the signing identity as it was', async () => {
    const signer = await loadDeviceSigner();
    const before = await readDeviceRecord();
    const identity = await encryptionFor(signer.publicKey);
    expect(identity.publicKeys.map(curveOfKey)).to.deep.equal(['X25519', 'P-256']);
    const record = await readDeviceRecord();
    expect(record.signing).to.deep.equal(before.signing, 'the signing pair is untouched');
    expect(record.created).to.equal(before.created);
    expect(record.encryption.map((p: { curve: string }) => p.curve)).to.deep.equal(['X25519', 'P-256']);
    for (const pair of record.encryption) {
      expect(pair.privateKey).to.be.instanceOf(CryptoKey);
      expect(pair.privateKey.extractable).to.be.false;
    }
    const stored = await Promise.all(record.encryption.map(async (p: { publicKey: CryptoKey }) => toBase64url(new Uint8Array(await crypto.subtle.exportKey('raw', p.publicKey)))));
    expect(stored).to.deep.equal([...identity.publicKeys]);
    expect(await loadDeviceSigner()).to.equal(signer);
  });

  it('seal in Chromium for another device, and open only there', async () => {
    const signer = await loadDeviceSigner();
    const device = await encryptionFor(signer.publicKey);
    const other = await createEncryption();
    const ctx = bytes('room|aid:test|post|response');
    for (const key of other.publicKeys) {
      const sealed = await device.seal(key, bytes('call me'), ctx);
      const from = device.publicKeyOn(curveOfKey(key)!)!;
      expect(new TextDecoder().decode((await other.open(from, sealed, ctx))!)).to.equal('call me');
      expect(await device.open(from, sealed, ctx), 'not for the sender').to.equal(null);
    }
  });

  it('another signing key gets pairs for this page only; the device record keeps its own', async () => {
    const before = await readDeviceRecord();
    const stranger = await createSigner();
    const identity = await encryptionFor(stranger.publicKey);
    expect(identity.publicKeys).to.have.length(2);
    const after = await readDeviceRecord();
    expect(after.encryption.length).to.equal(before.encryption?.length ?? after.encryption.length);
    const deviceKeys = await Promise.all(after.encryption.map(async (p: { publicKey: CryptoKey }) => toBase64url(new Uint8Array(await crypto.subtle.exportKey('raw', p.publicKey)))));
    expect(deviceKeys).to.not.include(identity.publicKeys[0]);
  });
});
