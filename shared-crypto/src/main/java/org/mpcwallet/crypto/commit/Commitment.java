package org.mpcwallet.crypto.commit;

import org.mpcwallet.crypto.core.Bytes;
import org.mpcwallet.crypto.core.Party;
import org.mpcwallet.crypto.core.RandomSource;
import org.mpcwallet.crypto.hash.Transcript;

/**
 * Hash commitment bound to session and party (docs/protocol.md §2.3, checklist row 12):
 * Com = SHA-256(Transcript("mpcwallet/commit/&lt;purpose&gt;/v1", sid, party, values..., ρ)), ρ 32 random bytes.
 */
public final class Commitment {
    public static final int RANDOMNESS_BYTES = 32;

    private Commitment() {}

    public static byte[] randomness(RandomSource rng) {
        byte[] rho = new byte[RANDOMNESS_BYTES];
        rng.nextBytes(rho);
        return rho;
    }

    /** Computes the commitment to labelled values; labels and values alternate: label0, value0, label1, ... */
    public static byte[] commit(String purpose, byte[] sessionId, Party committer, byte[] rho, Object... labelled) {
        if (labelled.length % 2 != 0) {
            throw new IllegalArgumentException("labels and values must alternate");
        }
        Transcript t = new Transcript("mpcwallet/commit/" + purpose + "/v1");
        t.append("sid", sessionId);
        t.append("party", committer.wireId());
        for (int i = 0; i < labelled.length; i += 2) {
            t.append((String) labelled[i], (byte[]) labelled[i + 1]);
        }
        t.append("rho", rho);
        return t.digest();
    }

    /** Constant-time check that (values, ρ) opens {@code commitment}. */
    public static boolean opens(byte[] commitment, String purpose, byte[] sessionId, Party committer, byte[] rho,
            Object... labelled) {
        return Bytes.constantTimeEquals(commitment, commit(purpose, sessionId, committer, rho, labelled));
    }
}
