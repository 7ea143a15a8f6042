package org.mpcwallet.crypto.vault;

/** Internal carrier for a {@link VaultFailure} raised while parsing; never escapes the public vault API. */
final class VaultFormatException extends RuntimeException {
    private static final long serialVersionUID = 1L;
    private final transient VaultFailure failure;

    VaultFormatException(VaultFailureKind kind, VaultField field, String reason) {
        super(reason, null, false, false);
        this.failure = new VaultFailure(kind, field, reason);
    }

    static VaultFormatException malformed(VaultField field, String reason) {
        return new VaultFormatException(VaultFailureKind.MALFORMED, field, reason);
    }

    VaultFailure failure() {
        return failure;
    }
}
