package org.mpcwallet.crypto.protocol.sign;

import java.math.BigInteger;
import org.mpcwallet.crypto.core.WireReader;
import org.mpcwallet.crypto.core.WireWriter;
import org.mpcwallet.crypto.ec.Point;
import org.mpcwallet.crypto.protocol.Codec;
import org.mpcwallet.crypto.zk.SchnorrProof;
import org.mpcwallet.crypto.zk.SignCiphertextProof;

/** Presign/sign/online message bodies of docs/protocol.md §5, each with a strict codec. */
public final class SignMessages {
    private SignMessages() {}

    /** S1, P1 → P2: commitment to (R1, π_DL(k1)). */
    public record S1(byte[] commitment) {
        public S1 {
            commitment = commitment.clone();
        }

        public byte[] encode() {
            return new WireWriter().bytes(commitment).toByteArray();
        }

        public static S1 decode(byte[] body) {
            WireReader r = new WireReader(body, "S2");
            S1 m = new S1(r.fixed("commitment", 32));
            r.end();
            return m;
        }
    }

    /** S2, P2 → P1: R2 and π_DL(k2). */
    public record S2(Point r2, SchnorrProof proof) {
        public byte[] encode() {
            return new WireWriter().bytes(r2.encode()).bytes(proof.encode()).toByteArray();
        }

        public static S2 decode(byte[] body) {
            WireReader r = new WireReader(body, "S3");
            Point r2 = Codec.point(r, "R2", "S3");
            SchnorrProof proof = SchnorrProof.decode(r.bytes("π_DL(k2)", Codec.MAX_PROOF_BYTES));
            r.end();
            return new S2(r2, proof);
        }
    }

    /** S3, P1 → P2: decommitment (R1, π_DL(k1), ρ1). */
    public record S3(Point r1, SchnorrProof proof, byte[] rho) {
        public S3 {
            rho = rho.clone();
        }

        public byte[] encode() {
            return new WireWriter().bytes(r1.encode()).bytes(proof.encode()).bytes(rho).toByteArray();
        }

        public static S3 decode(byte[] body) {
            WireReader r = new WireReader(body, "S3.P2");
            Point r1 = Codec.point(r, "R1", "S3.P2");
            SchnorrProof proof = SchnorrProof.decode(r.bytes("π_DL(k1)", Codec.MAX_PROOF_BYTES));
            byte[] rho = r.fixed("ρ1", 32);
            r.end();
            return new S3(r1, proof, rho);
        }
    }

    /**
     * O1, P2 → P1: the fingerprint of the key epoch P2 signs with, the message hash, its Paillier ciphertext c3 and
     * the Π^aff-ec proof that c3 is well formed (§5.2). Every field is required.
     */
    public record O1(byte[] keyFingerprint, byte[] messageHash, BigInteger c3, SignCiphertextProof proof) {
        public O1 {
            if (keyFingerprint == null || keyFingerprint.length != 32 || messageHash == null
                    || messageHash.length != 32) {
                throw new IllegalArgumentException("key fingerprint and message hash must be 32 bytes");
            }
            if (c3 == null || proof == null) {
                throw new IllegalArgumentException("c3 and its proof are required");
            }
            keyFingerprint = keyFingerprint.clone();
            messageHash = messageHash.clone();
        }

        @Override
        public byte[] keyFingerprint() {
            return keyFingerprint.clone();
        }

        @Override
        public byte[] messageHash() {
            return messageHash.clone();
        }

        public byte[] encode() {
            return new WireWriter().bytes(keyFingerprint).bytes(messageHash).unsigned(c3).bytes(proof.encode())
                    .toByteArray();
        }

        public static O1 decode(byte[] body) {
            WireReader r = new WireReader(body, "O2");
            byte[] fp = r.fixed("key fingerprint", 32);
            byte[] h = r.fixed("message hash", 32);
            BigInteger c3 = r.unsigned("c3", Codec.MAX_CIPHERTEXT_BYTES);
            SignCiphertextProof proof = SignCiphertextProof.decode(r.bytes("π_aff-ec", Codec.MAX_PROOF_BYTES));
            r.end();
            return new O1(fp, h, c3, proof);
        }
    }
}
