// The verifier pool's worker (verifier-pool.ts; started by verifier-worker.ts): checks a chunk of
// signed entries, and hashes them if asked. A file of its own, loaded as a classic worker script
// from beside the module that starts it (dist/chunks/verifier-worker-<hash>.js in the embed), so
// that a page whose Content-Security-Policy allows Gather's own scripts allows it too (no blob:).
// Plain JavaScript with no imports: every build serves or copies it as it is (rollup, Vite, the
// test runner, a bundler given dist/lib).

const importParams = [null, { name: 'Ed25519' }, { name: 'ECDSA', namedCurve: 'P-256' }];
const verifyParams = [null, { name: 'Ed25519' }, { name: 'ECDSA', hash: 'SHA-256' }];
const keys = new Map();
const keyFor = (alg, raw) => {
  const id = alg + ':' + String.fromCharCode.apply(null, raw);
  let key = keys.get(id);
  if (key === undefined) {
    key = crypto.subtle.importKey('raw', raw, importParams[alg], false, ['verify']).catch(() => null);
    keys.set(id, key);
    if (keys.size > 4096) keys.delete(keys.keys().next().value);
  }
  return key;
};
const check = async (alg, raw, sig, data) => {
  try {
    const key = await keyFor(alg, raw);
    return key !== null && (await crypto.subtle.verify(verifyParams[alg], key, sig, data));
  } catch {
    return false;
  }
};
const digest = async (sig, data, digests, at) => {
  const joined = new Uint8Array(data.length + sig.length);
  joined.set(data);
  joined.set(sig, data.length);
  digests.set(new Uint8Array(await crypto.subtle.digest('SHA-256', joined)), at);
};
onmessage = async (event) => {
  const { id, count, bytes, hash } = event.data;
  const results = new Uint8Array(count);
  // Asked for: each job's id too (SHA-256 of its data then its signature), 32 bytes a job.
  let digests = hash ? new Uint8Array(count * 32) : null;
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const checks = [];
  const hashes = [];
  for (let i = 0, o = 0; i < count; i++) {
    const alg = bytes[o], keyLength = bytes[o + 1], sigLength = bytes[o + 2], dataLength = view.getUint32(o + 3, true);
    o += 7;
    const raw = bytes.subarray(o, (o += keyLength));
    const sig = bytes.subarray(o, (o += sigLength));
    const data = bytes.subarray(o, (o += dataLength));
    checks.push(importParams[alg] ? check(alg, raw, sig, data).then((ok) => { if (ok) results[i] = 1; }) : undefined);
    if (digests !== null) hashes.push(digest(sig, data, digests, i * 32));
  }
  await Promise.all(checks);
  // Ids that could not be made are made by the page.
  if (digests !== null && !(await Promise.all(hashes).then(() => true, () => false))) digests = null;
  postMessage({ id, results, digests }, digests === null ? [results.buffer] : [results.buffer, digests.buffer]);
};
