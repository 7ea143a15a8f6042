package org.mpcwallet.bank.audit.domain;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.List;

/**
 * The audit trail of one transaction request (docs/custody-pipeline.md "Audit package"): its events in chain order,
 * each re-hashed to check it is the stored event, and a package hash
 * {@code SHA-256("mpcwallet/audit-package/v1" || u32 len || subject || for each event: u64 seq || hash)}.
 *
 * @param subject     the transaction request id
 * @param events      the events, ascending seq
 * @param intact      every event's stored hash equals the hash recomputed from its fields and its prev_hash
 * @param packageHash hex of the package hash
 */
public record AuditPackage(String subject, List<AuditEvent> events, boolean intact, String packageHash) {
    public static final String DOMAIN = "mpcwallet/audit-package/v1";

    public static AuditPackage of(String subject, List<AuditEvent> events) {
        boolean intact = events.stream().allMatch(e -> AuditChain.recompute(e).equals(e.hash()));
        return new AuditPackage(subject, List.copyOf(events), intact, hash(subject, events));
    }

    static String hash(String subject, List<AuditEvent> events) {
        try {
            MessageDigest d = MessageDigest.getInstance("SHA-256");
            d.update(DOMAIN.getBytes(StandardCharsets.US_ASCII));
            byte[] s = subject.getBytes(StandardCharsets.UTF_8);
            d.update(ByteBuffer.allocate(4).putInt(s.length).array());
            d.update(s);
            for (AuditEvent e : events) {
                d.update(ByteBuffer.allocate(8).putLong(e.seq()).array());
                d.update(e.hash().toBytes());
            }
            return java.util.HexFormat.of().formatHex(d.digest());
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 unavailable", e);
        }
    }
}
