package org.mpcwallet.bank.mpc.app;

import io.micronaut.context.annotation.ConfigurationProperties;
import io.micronaut.core.annotation.Nullable;
import jakarta.validation.constraints.Max;
import jakarta.validation.constraints.Min;

/**
 * The signer and MPC channel settings (prefix {@code bank.signer}; docs/mpc-channel.md "Configuration").
 *
 * @param kekFile              BANK_KEK_FILE: the in-process signer's KEK file (blank: {@code <data dir>/signer-kek.hex},
 *                             created on first start)
 * @param kekHex               BANK_KEK_HEX: the KEK as 64 hex characters instead of a file; never logged
 * @param permitKeyFile        BANK_PERMIT_KEY_FILE: the orchestrator's Ed25519 private key, PKCS#8 DER (blank:
 *                             {@code <data dir>/permit-ed25519.key}, created on first start with its {@code .pub})
 * @param url                  BANK_SIGNER_URL: a remote bank-signer (https); blank runs the signer in-process
 * @param keystore             BANK_SIGNER_KEYSTORE: PKCS#12 client key and certificate for the remote signer
 * @param keystorePassword     BANK_SIGNER_KEYSTORE_PASSWORD; never logged
 * @param truststore           BANK_SIGNER_TRUSTSTORE: PKCS#12 with the CA of the signer's certificate
 * @param truststorePassword   BANK_SIGNER_TRUSTSTORE_PASSWORD; never logged
 * @param sessionTimeoutSeconds BANK_MPC_SESSION_TIMEOUT_SECONDS: whole-session limit
 * @param stepTimeoutSeconds   BANK_MPC_STEP_TIMEOUT_SECONDS: limit for each device message
 * @param signRequestTtlSeconds BANK_SIGN_REQUEST_TTL_SECONDS: how long a sign request stays PENDING
 * @param directSignRequests   BANK_DIRECT_SIGN_REQUESTS: allow "sign this transfer" requests outside the custody
 *                             pipeline (no KYT, policies or approvals in front); off by default, for development
 *                             and tests only
 */
@ConfigurationProperties("bank.signer")
public record SignerConfig(
        @Nullable String kekFile,
        @Nullable String kekHex,
        @Nullable String permitKeyFile,
        @Nullable String url,
        @Nullable String keystore,
        @Nullable String keystorePassword,
        @Nullable String truststore,
        @Nullable String truststorePassword,
        @Min(5) @Max(3600) int sessionTimeoutSeconds,
        @Min(1) @Max(3600) int stepTimeoutSeconds,
        @Min(10) @Max(86_400) int signRequestTtlSeconds,
        boolean directSignRequests) {

    public SignerConfig {
        kekFile = blankToNull(kekFile);
        kekHex = blankToNull(kekHex);
        permitKeyFile = blankToNull(permitKeyFile);
        url = blankToNull(url);
        keystore = blankToNull(keystore);
        keystorePassword = blankToNull(keystorePassword);
        truststore = blankToNull(truststore);
        truststorePassword = blankToNull(truststorePassword);
        if (kekFile != null && kekHex != null) {
            throw new IllegalArgumentException("set BANK_KEK_FILE or BANK_KEK_HEX, not both");
        }
        if (url != null && (!url.startsWith("https://") || keystore == null || truststore == null)) {
            throw new IllegalArgumentException("BANK_SIGNER_URL must be https:// and needs BANK_SIGNER_KEYSTORE and "
                    + "BANK_SIGNER_TRUSTSTORE (mutual TLS)");
        }
    }

    public boolean remote() {
        return url != null;
    }

    @Override
    public String toString() {
        return "SignerConfig[url=" + url + ", kekFile=" + kekFile + ", kekHex=" + (kekHex == null ? "unset"
                : "(redacted)") + ", permitKeyFile=" + permitKeyFile + ", keystore=" + keystore + ", truststore="
                + truststore + ", sessionTimeoutSeconds=" + sessionTimeoutSeconds + ", stepTimeoutSeconds="
                + stepTimeoutSeconds + ", signRequestTtlSeconds=" + signRequestTtlSeconds + ", directSignRequests="
                + directSignRequests + "]";
    }

    private static String blankToNull(String s) {
        return s == null || s.isBlank() ? null : s;
    }
}
