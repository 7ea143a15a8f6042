package org.mpcwallet.bank.auth.app;

import io.micronaut.security.token.Claims;
import io.micronaut.security.token.jwt.validator.GenericJwtClaimsValidator;
import jakarta.inject.Singleton;
import java.util.UUID;

/**
 * Every access token, on every request (the WebSocket upgrade included), must have an expiry and must belong to a
 * user who is still enabled and unchanged since the token was issued: claim {@code ver} equals the user's current
 * {@code auth_version} ({@link UserStates}). Otherwise the token is refused (401) — a disabled or demoted user's
 * tokens stop working within {@link UserStates#TTL_MILLIS} (docs/controls-hardening.md §2).
 */
@Singleton
class CurrentUserClaimsValidator<T> implements GenericJwtClaimsValidator<T> {
    private final UserStates users;

    CurrentUserClaimsValidator(UserStates users) {
        this.users = users;
    }

    @Override
    public boolean validate(Claims claims, T request) {
        if (claims.get(Claims.EXPIRATION_TIME) == null) {
            return false;
        }
        Object uid = claims.get(AuthService.CLAIM_USER_ID);
        Object ver = claims.get(AuthService.CLAIM_VERSION);
        if (uid == null || !(ver instanceof Number n)) {
            return false;
        }
        UUID id;
        try {
            id = UUID.fromString(uid.toString());
        } catch (IllegalArgumentException e) {
            return false;
        }
        return users.current(id, n.longValue());
    }
}
