package org.mpcwallet.bank.mpc.channel;

/** What a channel session does; the names are the wire's ({@code started.kind}) and {@code mpc_sessions.kind}. */
public enum SessionKind { KEYGEN, SIGN, REFRESH }
