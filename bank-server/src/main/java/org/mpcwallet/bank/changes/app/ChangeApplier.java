package org.mpcwallet.bank.changes.app;

import java.sql.SQLException;
import java.util.Map;
import java.util.Set;
import org.mpcwallet.bank.wallet.app.Caller;

/**
 * The port through which a second ADMIN's approval applies a proposed change (docs/admin-console.md "Four eyes"): each
 * feature whose controls need four eyes implements it for its kinds, so this feature imports none of them.
 */
public interface ChangeApplier {
    /** The kinds this applier applies (stored in {@code pending_changes.kind}). */
    Set<String> kinds();

    /**
     * Applies {@code payload} (as proposed) in the caller's transaction — the approval's, a Micronaut transaction
     * that the feature's Micronaut Data repositories join — acting as {@code proposer}
     * and auditing as the feature does; returns what the answer shows. A change that no longer applies (the wallet
     * is gone, the role is already held) throws the feature's {@code WalletException}; the approval then fails and
     * nothing of it stays.
     */
    Map<String, Object> apply(String kind, Caller proposer, Map<String, Object> payload,
                              String changeId, String correlationId) throws SQLException;
}
