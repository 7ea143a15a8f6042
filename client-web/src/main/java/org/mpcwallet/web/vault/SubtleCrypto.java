package org.mpcwallet.web.vault;

import org.teavm.jso.JSBody;
import org.teavm.jso.JSObject;
import org.teavm.jso.core.JSPromise;
import org.teavm.jso.typedarrays.Int8Array;

/**
 * The few {@code crypto.subtle} calls of the vault, as JSO bindings returning promises. Secrets cross into
 * JavaScript only as typed-array copies, which are zeroed right after WebCrypto has copied them (importKey, encrypt
 * and decrypt copy their inputs synchronously, before returning the promise); the AES key never exists as bytes in
 * JavaScript: PBKDF2 goes straight to a non-extractable {@code CryptoKey} ({@code deriveKey}, which is
 * {@code deriveBits} + {@code importKey} of docs/vault-format.md section 9 without the raw key bits in the JS heap).
 * Only usable in TeaVM-compiled code.
 */
final class SubtleCrypto {
    private SubtleCrypto() {}

    /** Whether this page has {@code crypto.subtle} (a secure context: https, or http on localhost/127.0.0.1). */
    @JSBody(script = "var c = globalThis.crypto;"
            + " return typeof c === 'object' && c !== null && typeof c.subtle === 'object' && c.subtle !== null"
            + " && typeof c.subtle.deriveKey === 'function' && typeof c.subtle.decrypt === 'function';")
    static native boolean available();

    /**
     * PBKDF2-HMAC-SHA256(password, salt, iterations) as a non-extractable AES-256-GCM key for {@code usage}
     * ("encrypt" or "decrypt"). Zeroes {@code password}.
     */
    @JSBody(params = {"password", "salt", "iterations", "usage"}, script = ""
            + "var s = globalThis.crypto.subtle;"
            + "var imported;"
            + "try { imported = s.importKey('raw', password, 'PBKDF2', false, ['deriveKey']); }"
            + " finally { password.fill(0); }"
            + "return imported.then(function (base) {"
            + "  return s.deriveKey({name: 'PBKDF2', hash: 'SHA-256', salt: salt, iterations: iterations}, base,"
            + "      {name: 'AES-GCM', length: 256}, false, [usage]);"
            + "});")
    static native JSPromise<JSObject> deriveAesGcmKey(Int8Array password, Int8Array salt, int iterations, String usage);

    /** AES-GCM, 128-bit tag: ciphertext || tag. Zeroes {@code plaintext}. */
    @JSBody(params = {"key", "nonce", "aad", "plaintext"}, script = ""
            + "var p;"
            + "try {"
            + "  p = globalThis.crypto.subtle.encrypt({name: 'AES-GCM', iv: nonce, additionalData: aad, tagLength: 128},"
            + "      key, plaintext);"
            + "} finally { plaintext.fill(0); }"
            + "return p.then(function (ct) { return new Int8Array(ct); });")
    static native JSPromise<Int8Array> encrypt(JSObject key, Int8Array nonce, Int8Array aad, Int8Array plaintext);

    /**
     * AES-GCM decryption of ciphertext || tag. Resolves to the plaintext, or to {@code null} when the tag does not
     * verify (WebCrypto rejects with {@code OperationError} and releases no plaintext); rejects on anything else.
     */
    @JSBody(params = {"key", "nonce", "aad", "sealed"}, script = ""
            + "return globalThis.crypto.subtle.decrypt({name: 'AES-GCM', iv: nonce, additionalData: aad, tagLength: 128},"
            + "    key, sealed).then(function (pt) { return new Int8Array(pt); },"
            + "    function (e) { if (e && e.name === 'OperationError') { return null; } throw e; });")
    static native JSPromise<Int8Array> decrypt(JSObject key, Int8Array nonce, Int8Array aad, Int8Array sealed);

    /** Copies a typed array into Java and zeroes it. */
    static byte[] takeBytes(Int8Array a) {
        byte[] out = a.copyToJavaArray();
        zero(a);
        return out;
    }

    @JSBody(params = "a", script = "a.fill(0);")
    private static native void zero(Int8Array a);
}
