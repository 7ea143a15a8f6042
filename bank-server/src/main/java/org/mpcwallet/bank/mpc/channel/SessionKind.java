package org.mpcwallet.bank.mpc.channel;

/**
 * What a channel session does; the names are the wire's ({@code started.kind}) and {@code mpc_sessions.kind}.
 * PRESIGN makes one presignature for the wallet, ONLINE co-signs a sign request with one (docs/presign-online.md).
 */
public enum SessionKind {
    KEYGEN, SIGN, REFRESH, PRESIGN, ONLINE;

    /** Whether the session co-signs a sign request (SIGN or ONLINE). */
    public boolean signs() {
        return this == SIGN || this == ONLINE;
    }
}
