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

    /**
     * PBKDF2-HMAC-SHA256(password, salt, iterations) as the vault's AES-256-GCM key for {@code usage} <b>and</b> the
     * wallet's presignature pool key (docs/vault-format.md section 13), from one PBKDF2 run: the 32 bits-as-bytes
     * come out of {@code deriveBits}, are imported twice (as the vault's AES-GCM key, and as HKDF key material from
     * which {@code deriveKey} makes the pool key: HKDF-SHA256 with the vault's salt and {@code info}) and zeroed as
     * soon as both imports hold their own copies (importKey copies synchronously), so the raw bits exist in no heap
     * once the promise resolves; they never reach Java. Resolves to {@code {vault, pool}}, two non-extractable
     * CryptoKeys (the pool key for encrypt and decrypt). Zeroes {@code password}.
     */
    @JSBody(params = {"password", "salt", "iterations", "usage", "info"}, script = ""
            + "var s = globalThis.crypto.subtle;"
            + "var imported;"
            + "try { imported = s.importKey('raw', password, 'PBKDF2', false, ['deriveBits']); }"
            + " finally { password.fill(0); }"
            + "return imported.then(function (base) {"
            + "  return s.deriveBits({name: 'PBKDF2', hash: 'SHA-256', salt: salt, iterations: iterations}, base, 256);"
            + "}).then(function (buffer) {"
            + "  var bits = new Uint8Array(buffer);"
            + "  var vault, ikm;"
            + "  try {"
            + "    vault = s.importKey('raw', bits, {name: 'AES-GCM'}, false, [usage]);"
            + "    ikm = s.importKey('raw', bits, 'HKDF', false, ['deriveKey']);"
            + "  } finally { bits.fill(0); }"
            + "  var pool = ikm.then(function (k) {"
            + "    return s.deriveKey({name: 'HKDF', hash: 'SHA-256', salt: salt, info: info}, k,"
            + "        {name: 'AES-GCM', length: 256}, false, ['encrypt', 'decrypt']);"
            + "  });"
            + "  return Promise.all([vault, pool]);"
            + "}).then(function (keys) { return {vault: keys[0], pool: keys[1]}; });")
    static native JSPromise<VaultKeys> deriveVaultAndPoolKeys(Int8Array password, Int8Array salt, int iterations,
            String usage, Int8Array info);

    /** {@link #deriveVaultAndPoolKeys}'s answer. */
    interface VaultKeys extends JSObject {
        @org.teavm.jso.JSProperty
        JSObject getVault();

        @org.teavm.jso.JSProperty
        JSObject getPool();
    }

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
