package org.mpcwallet.bank.auth.app;

import io.micronaut.context.annotation.ConfigurationProperties;
import io.micronaut.core.annotation.Nullable;
import io.micronaut.core.bind.annotation.Bindable;
import java.util.List;
import java.util.Locale;

/**
 * Passkeys, the staff's second factor (prefix {@code bank.auth.passkey}; docs/admin-console.md).
 *
 * @param secondFactor BANK_STAFF_SECOND_FACTOR: {@code required} (default) or {@code off} (tests that are not about
 *                     sign-in; the bank warns at start when it is off)
 * @param rpId         BANK_PASSKEY_RP_ID: the relying party id, the host name the console is opened at
 * @param rpName       BANK_PASSKEY_RP_NAME: the name an authenticator shows
 * @param origins      BANK_PASSKEY_ORIGINS: the exact origins allowed; empty: any origin on {@code rpId} or below it,
 *                     https, or http on localhost
 */
@ConfigurationProperties("bank.auth.passkey")
public record PasskeyConfig(
        @Bindable(defaultValue = "required") String secondFactor,
        @Bindable(defaultValue = "localhost") String rpId,
        @Bindable(defaultValue = "MPC Bank") String rpName,
        @Nullable List<String> origins) {

    public PasskeyConfig {
        secondFactor = secondFactor == null ? "required" : secondFactor.strip().toLowerCase(Locale.ROOT);
        if (!secondFactor.equals("required") && !secondFactor.equals("off")) {
            throw new IllegalArgumentException("BANK_STAFF_SECOND_FACTOR must be 'required' or 'off'");
        }
        rpId = rpId == null || rpId.isBlank() ? "localhost" : rpId.strip().toLowerCase(Locale.ROOT);
        origins = origins == null ? List.of() : origins.stream().map(String::strip).filter(o -> !o.isEmpty()).toList();
    }

    /** Whether staff must sign in with a passkey and step up before the actions that need it. */
    public boolean required() {
        return secondFactor.equals("required");
    }

    /** Whether a client data origin ({@code scheme://host[:port]}) may use passkeys of this bank. */
    public boolean originAllowed(String origin) {
        if (origin == null) {
            return false;
        }
        if (!origins.isEmpty()) {
            return origins.contains(origin);
        }
        java.net.URI u;
        try {
            u = java.net.URI.create(origin);
        } catch (IllegalArgumentException e) {
            return false;
        }
        String host = u.getHost() == null ? "" : u.getHost().toLowerCase(Locale.ROOT);
        boolean onRp = host.equals(rpId) || host.endsWith("." + rpId);
        return onRp && u.getPath() != null && u.getPath().isEmpty() && ("https".equals(u.getScheme())
                || ("http".equals(u.getScheme()) && host.equals("localhost")));
    }
}
