package org.mpcwallet.web.vault;

import org.mpcwallet.crypto.vault.VaultFailure;
import org.mpcwallet.crypto.vault.VaultFailureKind;
import org.mpcwallet.crypto.vault.VaultField;

/**
 * A failure of {@link WebCryptoVault}, as a value: the same kinds ({@link VaultFailureKind}), fields
 * ({@link VaultField}) and reasons as shared-crypto's {@link VaultFailure}. Exists only because {@code VaultFailure}'s
 * constructor is package-private in shared-crypto (see client-web/README.md, "Vault"); format failures are taken
 * over from {@code ShareVault.inspect} unchanged. Never carries a password, key, share or the header's wallet id.
 */
public final class WebVaultFailure {
    private final VaultFailureKind kind;
    private final VaultField field;
    private final String reason;

    WebVaultFailure(VaultFailureKind kind, VaultField field, String reason) {
        if (kind == null || reason == null) {
            throw new IllegalArgumentException("failure needs kind and reason");
        }
        this.kind = kind;
        this.field = field;
        this.reason = reason;
    }

    static WebVaultFailure of(VaultFailure f) {
        return new WebVaultFailure(f.kind(), f.field(), f.reason());
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
        return o instanceof WebVaultFailure f && kind == f.kind && field == f.field && reason.equals(f.reason);
    }

    @Override
    public int hashCode() {
        return (kind.hashCode() * 31 + (field == null ? 0 : field.hashCode())) * 31 + reason.hashCode();
    }

    /** Same text as {@link VaultFailure#toString()}. */
    @Override
    public String toString() {
        return "VaultFailure[" + kind + (field == null ? "" : " " + field) + ": " + reason + "]";
    }
}
