package org.mpcwallet.bank.auth;

import com.webauthn4j.converter.AttestationObjectConverter;
import com.webauthn4j.converter.util.ObjectConverter;
import com.webauthn4j.data.attestation.AttestationObject;
import com.webauthn4j.data.attestation.authenticator.AAGUID;
import com.webauthn4j.data.attestation.authenticator.AttestedCredentialData;
import com.webauthn4j.data.attestation.authenticator.AuthenticatorData;
import com.webauthn4j.data.attestation.authenticator.EC2COSEKey;
import com.webauthn4j.data.attestation.statement.COSEAlgorithmIdentifier;
import com.webauthn4j.data.attestation.statement.NoneAttestationStatement;
import java.io.ByteArrayOutputStream;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.MessageDigest;
import java.security.SecureRandom;
import java.security.Signature;
import java.security.interfaces.ECPublicKey;
import java.security.spec.ECGenParameterSpec;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A software passkey for the API tests: what a platform authenticator and the browser do together, built from
 * WebAuthn's data structures (webauthn4j's encoders) and an ES256 key pair — registration ({@link #create}) and
 * assertions ({@link #get}) in the JSON form of {@code PublicKeyCredential.toJSON()}. Fields are open so that tests
 * can make it misbehave: another origin, a counter run back, a different key for the same credential id.
 */
public final class TestPasskey {
    public String origin;
    public String rpId = "localhost";
    public long counter;
    public KeyPair keys;
    public final byte[] credentialId = new byte[32];

    public TestPasskey(String origin) {
        this.origin = origin;
        new SecureRandom().nextBytes(credentialId);
        this.keys = newKeys();
    }

    public static KeyPair newKeys() {
        try {
            KeyPairGenerator g = KeyPairGenerator.getInstance("EC");
            g.initialize(new ECGenParameterSpec("secp256r1"));
            return g.generateKeyPair();
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException(e);
        }
    }

    public String id() {
        return b64(credentialId);
    }

    /** {@code navigator.credentials.create} with the bank's {@code options}: the registration response. */
    public Map<String, Object> create(Map<String, Object> options) {
        byte[] clientData = clientData("webauthn.create", (String) options.get("challenge"));
        EC2COSEKey cose = EC2COSEKey.create((ECPublicKey) keys.getPublic(), COSEAlgorithmIdentifier.ES256);
        AuthenticatorData<com.webauthn4j.data.extension.authenticator.RegistrationExtensionAuthenticatorOutput> data =
                new AuthenticatorData<>(sha256(rpId.getBytes(StandardCharsets.UTF_8)),
                        (byte) (AuthenticatorData.BIT_UP | AuthenticatorData.BIT_UV | AuthenticatorData.BIT_AT),
                        counter, new AttestedCredentialData(AAGUID.ZERO, credentialId, cose));
        byte[] attestation = new AttestationObjectConverter(new ObjectConverter())
                .convertToBytes(new AttestationObject(data, new NoneAttestationStatement()));
        Map<String, Object> response = new LinkedHashMap<>();
        response.put("clientDataJSON", b64(clientData));
        response.put("attestationObject", b64(attestation));
        response.put("transports", List.of("internal"));
        return credential(response);
    }

    /** {@code navigator.credentials.get} with the bank's {@code options}: an assertion, the counter one up. */
    public Map<String, Object> get(Map<String, Object> options) {
        counter++;
        byte[] clientData = clientData("webauthn.get", (String) options.get("challenge"));
        ByteArrayOutputStream authData = new ByteArrayOutputStream();
        authData.writeBytes(sha256(rpId.getBytes(StandardCharsets.UTF_8)));
        authData.write(AuthenticatorData.BIT_UP | AuthenticatorData.BIT_UV);
        authData.writeBytes(ByteBuffer.allocate(4).putInt((int) counter).array());
        byte[] signed = authData.toByteArray();
        byte[] signature;
        try {
            Signature s = Signature.getInstance("SHA256withECDSA");
            s.initSign(keys.getPrivate());
            s.update(signed);
            s.update(sha256(clientData));
            signature = s.sign();
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException(e);
        }
        Map<String, Object> response = new LinkedHashMap<>();
        response.put("clientDataJSON", b64(clientData));
        response.put("authenticatorData", b64(signed));
        response.put("signature", b64(signature));
        return credential(response);
    }

    private Map<String, Object> credential(Map<String, Object> response) {
        Map<String, Object> c = new LinkedHashMap<>();
        c.put("id", id());
        c.put("rawId", id());
        c.put("type", "public-key");
        c.put("response", response);
        c.put("authenticatorAttachment", "platform");
        c.put("clientExtensionResults", Map.of());
        return c;
    }

    private byte[] clientData(String type, String challenge) {
        return ("{\"type\":\"" + type + "\",\"challenge\":\"" + challenge + "\",\"origin\":\"" + origin
                + "\",\"crossOrigin\":false}").getBytes(StandardCharsets.UTF_8);
    }

    static String b64(byte[] b) {
        return Base64.getUrlEncoder().withoutPadding().encodeToString(b);
    }

    static byte[] sha256(byte[] b) {
        try {
            return MessageDigest.getInstance("SHA-256").digest(b);
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException(e);
        }
    }
}
