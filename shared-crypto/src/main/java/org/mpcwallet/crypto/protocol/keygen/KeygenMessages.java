package org.mpcwallet.crypto.protocol.keygen;

import java.math.BigInteger;
import org.mpcwallet.crypto.core.WireReader;
import org.mpcwallet.crypto.core.WireWriter;
import org.mpcwallet.crypto.ec.Point;
import org.mpcwallet.crypto.protocol.Codec;
import org.mpcwallet.crypto.zk.PaillierEncLogProof;
import org.mpcwallet.crypto.zk.PaillierKeyProof;
import org.mpcwallet.crypto.zk.ProvenRingPedersen;
import org.mpcwallet.crypto.zk.SchnorrProof;

/** The four keygen message bodies of docs/protocol.md §4, each with a strict codec. */
public final class KeygenMessages {
    private KeygenMessages() {}

    /** K1, P1 → P2: the commitment to (Q1, π_DL(x1)). */
    public record K1(byte[] commitment) {
        public K1 {
            commitment = commitment.clone();
        }

        public byte[] encode() {
            return new WireWriter().bytes(commitment).toByteArray();
        }

        public static K1 decode(byte[] body) {
            WireReader r = new WireReader(body, "K2");
            K1 m = new K1(r.fixed("commitment", 32));
            r.end();
            return m;
        }
    }

    /** K2, P2 → P1: Q2, π_DL(x2) and the device's own ring-Pedersen parameters with Π^prm. */
    public record K2(Point q2, SchnorrProof proof, ProvenRingPedersen ringPedersen) {
        public byte[] encode() {
            return new WireWriter().bytes(q2.encode()).bytes(proof.encode()).bytes(ringPedersen.encode())
                    .toByteArray();
        }

        public static K2 decode(byte[] body) {
            WireReader r = new WireReader(body, "K3");
            Point q2 = Codec.point(r, "Q2", "K3");
            SchnorrProof proof = SchnorrProof.decode(r.bytes("π_DL(x2)", Codec.MAX_PROOF_BYTES));
            ProvenRingPedersen rp = ProvenRingPedersen.decode(r.bytes("ring-Pedersen", Codec.MAX_PROOF_BYTES));
            r.end();
            return new K2(q2, proof, rp);
        }
    }

    /**
     * K3, P1 → P2: decommitment, Paillier key with its proofs, c_key and its encryption proof, and the bank's
     * ring-Pedersen parameters with Π^prm.
     */
    public record K3(Point q1, SchnorrProof proof, byte[] rho, BigInteger n, PaillierKeyProof keyProof,
            BigInteger cKey, PaillierEncLogProof encLogProof, ProvenRingPedersen ringPedersen) {
        public K3 {
            rho = rho.clone();
        }

        public byte[] encode() {
            return new WireWriter().bytes(q1.encode()).bytes(proof.encode()).bytes(rho).unsigned(n)
                    .bytes(keyProof.encode()).unsigned(cKey).bytes(encLogProof.encode())
                    .bytes(ringPedersen.encode()).toByteArray();
        }

        public static K3 decode(byte[] body) {
            WireReader r = new WireReader(body, "K4");
            Point q1 = Codec.point(r, "Q1", "K4");
            SchnorrProof proof = SchnorrProof.decode(r.bytes("π_DL(x1)", Codec.MAX_PROOF_BYTES));
            byte[] rho = r.fixed("ρ1", 32);
            BigInteger n = r.unsigned("N", Codec.MAX_MODULUS_BYTES);
            PaillierKeyProof keyProof = PaillierKeyProof.decode(r.bytes("π_key", Codec.MAX_PROOF_BYTES));
            BigInteger cKey = r.unsigned("c_key", Codec.MAX_CIPHERTEXT_BYTES);
            PaillierEncLogProof logProof = PaillierEncLogProof.decode(r.bytes("π_log*", Codec.MAX_PROOF_BYTES));
            ProvenRingPedersen rp = ProvenRingPedersen.decode(r.bytes("ring-Pedersen", Codec.MAX_PROOF_BYTES));
            r.end();
            return new K3(q1, proof, rho, n, keyProof, cKey, logProof, rp);
        }
    }

    /** K4, P2 → P1: the confirmation digest over the public outcome. */
    public record K4(byte[] confirm) {
        public K4 {
            confirm = confirm.clone();
        }

        public byte[] encode() {
            return new WireWriter().bytes(confirm).toByteArray();
        }

        public static K4 decode(byte[] body) {
            WireReader r = new WireReader(body, "K5");
            K4 m = new K4(r.fixed("confirm", 32));
            r.end();
            return m;
        }
    }
}
