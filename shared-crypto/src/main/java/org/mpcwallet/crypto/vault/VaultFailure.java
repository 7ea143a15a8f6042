package org.mpcwallet.crypto.vault;

/**
 * A vault failure as a value: a kind, the field it is about (only for {@link VaultFailureKind#MALFORMED} and
 * {@link VaultFailureKind#UNSUPPORTED_VERSION}, otherwise null) and a reason naming the check. Never carries a
 * password, key, share or any other secret; reasons name the check and at most public header values.
 */
public final class VaultFailure {
    private final VaultFailureKind kind;
    private final VaultField field;
    private final String reason;

    /**
     * A failure value, e.g. for a platform implementation of the vault (the browser's WebCrypto) that reports its
     * results like {@link ShareVault}.
     *
     * @param kind required
     * @param field the offending field for MALFORMED / UNSUPPORTED_VERSION, otherwise null
     * @param reason required; must not contain a password, key, share or the header's (untrusted) wallet id
     * @throws IllegalArgumentException when {@code kind} or {@code reason} is null
     */
    public VaultFailure(VaultFailureKind kind, VaultField field, String reason) {
        if (kind == null || reason == null) {
            throw new IllegalArgumentException("failure needs kind and reason");
        }
        this.kind = kind;
        this.field = field;
        this.reason = reason;
    }

    /**
     * The failure of step 16 (docs/vault-format.md section 5): the AES-GCM tag did not verify, wrong password or
     * modified envelope. The same value, reason included, for every platform.
     */
    public static VaultFailure wrongPasswordOrTampered() {
        return new VaultFailure(VaultFailureKind.WRONG_PASSWORD_OR_TAMPERED, null,
                "authentication tag does not verify: wrong password, or the envelope was modified");
    }

    public VaultFailureKind kind() {
        return kind;
    }

    /** The offending field for MALFORMED / UNSUPPORTED_VERSION, null otherwise. */
    public VaultField field() {
        return field;
    }

    public String reason() {
        return reason;
    }

    @Override
    public boolean equals(Object o) {
        if (!(o instanceof VaultFailure)) {
            return false;
        }
        VaultFailure f = (VaultFailure) o;
        return kind == f.kind && field == f.field && reason.equals(f.reason);
    }

    @Override
    public int hashCode() {
        return (kind.hashCode() * 31 + (field == null ? 0 : field.hashCode())) * 31 + reason.hashCode();
    }

    @Override
    public String toString() {
        return "VaultFailure[" + kind + (field == null ? "" : " " + field) + ": " + reason + "]";
    }
}
