// WebAuthn in the console: the bank's options (JSON, base64url) to the browser's API, and the browser's answer back
// to JSON in the shape of PublicKeyCredential.toJSON(), which the bank verifies (docs/admin-console.md).

function dec(s) {
  const b = atob(s.replace(/-/g, '+').replace(/_/g, '/') + '==='.slice((s.length + 3) % 4));
  return Uint8Array.from(b, (c) => c.charCodeAt(0));
}

function enc(buf) {
  const bytes = new Uint8Array(buf);
  let s = '';
  for (const b of bytes) s += String.fromCharCode(b);
  return btoa(s).replace(/\+/g, '-').replace(/\//g, '_').replace(/=+$/, '');
}

const creds = (list) => (list || []).map((c) => ({ ...c, id: dec(c.id) }));

export function supported() {
  return typeof window.PublicKeyCredential === 'function' && !!navigator.credentials;
}

/** Registers a passkey with the bank's creation options; the registration response as JSON. */
export async function create(options, signal) {
  const publicKey = {
    ...options,
    challenge: dec(options.challenge),
    user: { ...options.user, id: dec(options.user.id) },
    excludeCredentials: creds(options.excludeCredentials),
  };
  const c = await navigator.credentials.create({ publicKey, signal });
  return {
    id: c.id,
    rawId: enc(c.rawId),
    type: c.type,
    response: {
      clientDataJSON: enc(c.response.clientDataJSON),
      attestationObject: enc(c.response.attestationObject),
      transports: typeof c.response.getTransports === 'function' ? c.response.getTransports() : [],
    },
    authenticatorAttachment: c.authenticatorAttachment || undefined,
    clientExtensionResults: c.getClientExtensionResults(),
  };
}

/** An assertion with the bank's request options; the authentication response as JSON. */
export async function get(options, signal) {
  const publicKey = { ...options, challenge: dec(options.challenge), allowCredentials: creds(options.allowCredentials) };
  const c = await navigator.credentials.get({ publicKey, signal });
  const response = {
    clientDataJSON: enc(c.response.clientDataJSON),
    authenticatorData: enc(c.response.authenticatorData),
    signature: enc(c.response.signature),
  };
  if (c.response.userHandle) response.userHandle = enc(c.response.userHandle);
  return {
    id: c.id,
    rawId: enc(c.rawId),
    type: c.type,
    response,
    authenticatorAttachment: c.authenticatorAttachment || undefined,
    clientExtensionResults: c.getClientExtensionResults(),
  };
}
