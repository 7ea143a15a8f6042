package org.mpcwallet.bank;

import io.swagger.v3.oas.annotations.OpenAPIDefinition;
import io.swagger.v3.oas.annotations.enums.SecuritySchemeType;
import io.swagger.v3.oas.annotations.info.Info;
import io.swagger.v3.oas.annotations.security.SecurityRequirement;
import io.swagger.v3.oas.annotations.security.SecurityScheme;
import io.swagger.v3.oas.annotations.security.SecuritySchemes;

import io.micronaut.runtime.Micronaut;
import java.util.Arrays;
import org.mpcwallet.bank.auth.app.CreateAdminCommand;
import org.mpcwallet.bank.mpc.app.BackupRestoredCommand;

/**
 * Entry point of bank-server: {@code java -jar bank-server/target/bank-server-*.jar} runs the server;
 * {@code ... create-admin <username>} creates an ADMIN and exits; {@code ... backup-restored} is the operator's step
 * after restoring a database backup (docs/operations.md).
 */
@OpenAPIDefinition(info = @Info(title = "MPC wallet bank API", version = "1", description = "The MPC wallet bank's "
        + "REST API: users, wallets, transfers, approvals, compliance, keys, audit, webhooks; docs/integration.md is "
        + "the guide. Errors are RFC 7807 application/problem+json."),
        security = {@SecurityRequirement(name = "bearer"), @SecurityRequirement(name = "signedRequest")})
@SecuritySchemes({
    @SecurityScheme(name = "bearer", type = SecuritySchemeType.HTTP, scheme = "bearer", bearerFormat = "JWT",
            description = "A user's access token from POST /v1/auth/login (HS256, 15 minutes)."),
    @SecurityScheme(name = "signedRequest", type = SecuritySchemeType.HTTP, scheme = "bearer", bearerFormat = "JWS",
            description = "An API client's signed request: a compact JWS, alg EdDSA, kid = the client id, claims sub, "
                    + "uri (method and raw path and query), bodyHash (hex SHA-256 of the body), iat, exp (at most 30 s "
                    + "later) and a single-use jti (docs/integration.md \"Signed requests\").")
})
public final class Application {
    private Application() {
    }

    public static void main(String[] args) {
        // before anything logs: BANK_LOG_FORMAT=JSON selects the JSON log configuration (docs/integration.md "Logs")
        if ("JSON".equalsIgnoreCase(System.getenv("BANK_LOG_FORMAT"))
                && System.getProperty("logback.configurationFile") == null) {
            System.setProperty("logback.configurationFile", "logback-json.xml");
        }
        // the in-process signer's System.Logger (java.util.logging) into the same log
        org.slf4j.bridge.SLF4JBridgeHandler.removeHandlersForRootLogger();
        org.slf4j.bridge.SLF4JBridgeHandler.install();
        if (args.length > 0 && args[0].equals("create-admin")) {
            System.exit(CreateAdminCommand.main(Arrays.copyOfRange(args, 1, args.length), System.out, System.err));
        }
        if (args.length > 0 && args[0].equals("backup-restored")) {
            System.exit(BackupRestoredCommand.main(Arrays.copyOfRange(args, 1, args.length), System.out,
                    System.err));
        }
        Micronaut.build(args).mainClass(Application.class).banner(false).start();
    }
}
