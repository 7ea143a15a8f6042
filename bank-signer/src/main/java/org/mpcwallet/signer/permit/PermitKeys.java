package org.mpcwallet.signer.permit;

import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.Key;
import java.security.KeyFactory;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.PublicKey;
import java.security.SecureRandom;
import java.security.interfaces.EdECKey;
import java.security.spec.NamedParameterSpec;
import java.security.spec.X509EncodedKeySpec;

/** Ed25519 keys for permits (JDK provider) and the signature's domain tag. */
public final class PermitKeys {
    /** Signed message = UTF-8("mpcwallet/permit/v1") || permit encoding. */
    public static final String DOMAIN_TAG = "mpcwallet/permit/v1";
    public static final int SIGNATURE_BYTES = 64;
    static final String ALGORITHM = "Ed25519";

    private PermitKeys() {}

    /** A fresh Ed25519 key pair for the orchestrator. */
    public static KeyPair generate(SecureRandom random) {
        try {
            KeyPairGenerator g = KeyPairGenerator.getInstance(ALGORITHM);
            g.initialize(NamedParameterSpec.ED25519, random);
            return g.generateKeyPair();
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("Ed25519 unavailable", e);
        }
    }

    /** An Ed25519 public key from its X.509 SubjectPublicKeyInfo encoding ({@code PublicKey.getEncoded()}). */
    public static PublicKey publicKeyFromX509(byte[] encoded) {
        try {
            PublicKey k = KeyFactory.getInstance(ALGORITHM).generatePublic(new X509EncodedKeySpec(encoded));
            requireEd25519(k);
            return k;
        } catch (GeneralSecurityException e) {
            throw new IllegalArgumentException("not an Ed25519 public key");
        }
    }

    static void requireEd25519(Key key) {
        if (!(key instanceof EdECKey ed) || !"Ed25519".equalsIgnoreCase(ed.getParams().getName())) {
            throw new IllegalArgumentException("an Ed25519 key is required");
        }
    }

    static byte[] signedMessage(byte[] encoding) {
        byte[] tag = DOMAIN_TAG.getBytes(StandardCharsets.US_ASCII);
        byte[] m = new byte[tag.length + encoding.length];
        System.arraycopy(tag, 0, m, 0, tag.length);
        System.arraycopy(encoding, 0, m, tag.length, encoding.length);
        return m;
    }
}
