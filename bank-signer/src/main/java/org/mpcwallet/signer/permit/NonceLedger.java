package org.mpcwallet.signer.permit;

/**
 * Remembers permit nonces so that each permit is used at most once. {@link #consume} must be atomic and durable
 * before it returns true (the database-backed ledger inserts under a unique key); entries may be forgotten only
 * after their permit's {@code expiresAt} has passed, since {@link PermitVerifier} refuses expired permits first.
 */
public interface NonceLedger {
    /** Records {@code nonce} (16 bytes); true if it was never seen before, false if it was (a replay). */
    boolean consume(byte[] nonce, long expiresAt);
}
