package org.mpcwallet.crypto.protocol.refresh;

import java.math.BigInteger;
import org.mpcwallet.crypto.core.WireReader;
import org.mpcwallet.crypto.core.WireWriter;
import org.mpcwallet.crypto.protocol.Codec;
import org.mpcwallet.crypto.zk.PaillierEncLogProof;
import org.mpcwallet.crypto.zk.PaillierKeyProof;
import org.mpcwallet.crypto.zk.ProvenRingPedersen;

/** Refresh message bodies of docs/protocol.md §6, each with a strict codec. */
public final class RefreshMessages {
    private RefreshMessages() {}

    /** R1, P1 → P2: commitment to δ1. */
    public record R1(byte[] commitment) {
        public R1 {
            commitment = commitment.clone();
        }

        public byte[] encode() {
            return new WireWriter().bytes(commitment).toByteArray();
        }

        public static R1 decode(byte[] body) {
            WireReader r = new WireReader(body, "R2");
            R1 m = new R1(r.fixed("commitment", 32));
            r.end();
            return m;
        }
    }

    /** R2, P2 → P1: δ2. */
    /** R2, P2 → P1: δ2 and the device's own ring-Pedersen parameters with Π^prm (P1 proves under them in R3). */
    public record R2(byte[] delta2, ProvenRingPedersen ringPedersen) {
        public R2 {
            delta2 = delta2.clone();
        }

        public byte[] encode() {
            return new WireWriter().bytes(delta2).bytes(ringPedersen.encode()).toByteArray();
        }

        public static R2 decode(byte[] body) {
            WireReader r = new WireReader(body, "R3");
            byte[] d2 = r.fixed("δ2", 32);
            ProvenRingPedersen rp = ProvenRingPedersen.decode(r.bytes("ring-Pedersen", Codec.MAX_PROOF_BYTES));
            r.end();
            return new R2(d2, rp);
        }
    }

    /** R3, P1 → P2: δ1, ρ1, the new Paillier key with proofs, c_key' and its proof. */
    public record R3(byte[] delta1, byte[] rho, BigInteger n, PaillierKeyProof keyProof, BigInteger cKey,
            PaillierEncLogProof encLogProof, ProvenRingPedersen ringPedersen) {
        public R3 {
            delta1 = delta1.clone();
            rho = rho.clone();
        }

        public byte[] encode() {
            return new WireWriter().bytes(delta1).bytes(rho).unsigned(n).bytes(keyProof.encode()).unsigned(cKey)
                    .bytes(encLogProof.encode()).bytes(ringPedersen.encode()).toByteArray();
        }

        public static R3 decode(byte[] body) {
            WireReader r = new WireReader(body, "R4");
            byte[] d1 = r.fixed("δ1", 32);
            byte[] rho = r.fixed("ρ1", 32);
            BigInteger n = r.unsigned("N'", Codec.MAX_MODULUS_BYTES);
            PaillierKeyProof keyProof = PaillierKeyProof.decode(r.bytes("π_key", Codec.MAX_PROOF_BYTES));
            BigInteger cKey = r.unsigned("c_key'", Codec.MAX_CIPHERTEXT_BYTES);
            PaillierEncLogProof logProof = PaillierEncLogProof.decode(r.bytes("π_log*", Codec.MAX_PROOF_BYTES));
            ProvenRingPedersen rp = ProvenRingPedersen.decode(r.bytes("ring-Pedersen", Codec.MAX_PROOF_BYTES));
            r.end();
            return new R3(d1, rho, n, keyProof, cKey, logProof, rp);
        }
    }

    /** R4, P2 → P1: confirmation digest. */
    public record R4(byte[] confirm) {
        public R4 {
            confirm = confirm.clone();
        }

        public byte[] encode() {
            return new WireWriter().bytes(confirm).toByteArray();
        }

        public static R4 decode(byte[] body) {
            WireReader r = new WireReader(body, "R5");
            R4 m = new R4(r.fixed("confirm", 32));
            r.end();
            return m;
        }
    }
}
