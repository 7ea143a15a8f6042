package org.mpcwallet.desktop.core;

/**
 * An MPC session ended without success. {@code code} is the bank's {@code error.code} (docs/mpc-channel.md "Error
 * codes") when the bank ended it, or one of the device's own codes: {@code PROTOCOL_ABORTED} (our P2 state machine
 * refused a message), {@code OUT_OF_ORDER} (a bank frame with the wrong {@code seq}), {@code BAD_FRAME},
 * {@code UNKNOWN_SESSION}, {@code VERIFY_FAILED} (the bank's result does not check out locally), {@code TIMEOUT},
 * {@code DISCONNECTED}, {@code CONNECT_FAILED}, {@code SHARE_NOT_SAVED}.
 */
public final class MpcException extends WalletException {
    private final String code;
    private final String detail;

    public MpcException(String code, String detail) {
        super("MPC session failed: " + code + (detail == null || detail.isBlank() ? "" : " (" + detail + ")"));
        this.code = code;
        this.detail = detail;
    }

    public String code() {
        return code;
    }

    public String detail() {
        return detail;
    }
}
