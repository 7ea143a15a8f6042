package org.mpcwallet.bank.mpc.app;

/**
 * A refusal that ends a session (or refuses to open one) with an error frame of {@code code}; thrown inside a
 * transaction so that the transaction rolls back.
 */
final class ChannelRefusal extends RuntimeException {
    final String code;

    ChannelRefusal(String code, String detail) {
        super(detail, null, false, false);
        this.code = code;
    }
}
