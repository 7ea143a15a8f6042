package org.mpcwallet.crypto.device;

import org.mpcwallet.crypto.protocol.P2KeyShare;

/**
 * Persists P2's share (the platform's vault: a file on the desktop, IndexedDB in the browser); must return only once
 * the share is durably stored, and throw otherwise. A driver calls it <b>before</b> it releases the message that lets
 * the bank finish, so the bank never holds a finished key whose device share is not stored.
 */
@FunctionalInterface
public interface ShareSink {
    void seal(P2KeyShare share);
}
