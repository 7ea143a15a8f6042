package org.mpcwallet.crypto.device;

/**
 * Why a device session ended without success, as a value. {@code code} is the bank's {@code error.code}
 * (docs/mpc-channel.md "Error codes") when the bank ended it, or one of the device's own: {@code PROTOCOL_ABORTED}
 * (the P2 state machine refused a message), {@code OUT_OF_ORDER}, {@code BAD_FRAME}, {@code UNKNOWN_SESSION},
 * {@code VERIFY_FAILED} (the bank's result does not check out locally), {@code SHARE_NOT_SAVED}. The detail never
 * holds secret material.
 */
public record SessionFailure(String code, String detail) {
    /** The one line shown to a user: {@code MPC session failed: CODE (detail)}. */
    public String getMessage() {
        return "MPC session failed: " + code + (detail == null || detail.isBlank() ? "" : " (" + detail + ")");
    }
}
