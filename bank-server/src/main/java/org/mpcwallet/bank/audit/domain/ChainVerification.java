package org.mpcwallet.bank.audit.domain;

import java.util.Iterator;

/**
 * The result of walking the chain: {@code ok}, how many events verified before the first broken one (all of them
 * when ok), the first broken seq and why (both null when ok). Pure: {@link #walk} sees events in seq order and the
 * recorded head.
 */
public record ChainVerification(boolean ok, long count, Long firstBrokenSeq, String reason) {

    public static ChainVerification walk(Iterator<AuditEvent> eventsInSeqOrder, long headSeq, Hash headHash) {
        long expected = 1;
        Hash prev = Hash.ZERO;
        long count = 0;
        while (eventsInSeqOrder.hasNext()) {
            AuditEvent e = eventsInSeqOrder.next();
            if (e.seq() != expected) {
                return broken(count, expected, e.seq() > expected
                        ? "event " + expected + " is missing (the next stored event is " + e.seq() + ")"
                        : "event " + e.seq() + " is out of order");
            }
            if (!e.prevHash().equals(prev)) {
                return broken(count, e.seq(), expected == 1
                        ? "prev_hash of the first event is not 32 zero bytes"
                        : "prev_hash does not match the hash of event " + (expected - 1));
            }
            if (!AuditChain.recompute(e).equals(e.hash())) {
                return broken(count, e.seq(), "hash does not match the event's content");
            }
            prev = e.hash();
            count++;
            expected++;
        }
        long last = expected - 1;
        if (headSeq > last) {
            return broken(count, last + 1, "events " + (last + 1) + ".." + headSeq
                    + " are missing (the chain head is at " + headSeq + ")");
        }
        if (headSeq < last) {
            return broken(count, headSeq + 1, "events after the chain head (" + headSeq + ") are not part of the chain");
        }
        if (!headHash.equals(prev)) {
            return broken(count, last == 0 ? 1 : last, "the chain head's hash does not match event " + last);
        }
        return new ChainVerification(true, count, null, null);
    }

    private static ChainVerification broken(long count, long seq, String reason) {
        return new ChainVerification(false, count, seq, reason);
    }
}
