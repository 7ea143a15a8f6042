package org.mpcwallet.bank;

import io.micronaut.context.ApplicationContext;
import io.micronaut.security.authentication.Authentication;
import io.micronaut.security.token.generator.TokenGenerator;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.mpcwallet.bank.auth.app.AuthService;

/** Access tokens signed by a test server's own secret, for endpoints that need a role. */
public final class TestTokens {
    private TestTokens() {
    }

    /** {@code "Bearer <jwt>"} for a made-up user with the given roles, valid for 5 minutes. */
    public static String bearer(ApplicationContext ctx, String... roles) {
        Authentication a = Authentication.build("test-" + String.join("-", roles).toLowerCase(),
                List.of(roles), Map.of(AuthService.CLAIM_USER_ID, UUID.randomUUID().toString()));
        return "Bearer " + ctx.getBean(TokenGenerator.class).generateToken(a, 300).orElseThrow();
    }
}
