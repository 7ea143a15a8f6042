package org.mpcwallet.bank.auth.app;

import org.mpcwallet.bank.auth.domain.Role;

import io.micronaut.security.token.Claims;
import io.micronaut.security.token.jwt.validator.GenericJwtClaimsValidator;
import jakarta.inject.Singleton;
import java.util.UUID;

/**
 * A staff token (any role but CUSTOMER) must come from a sign-in with a passkey (claim {@code amr} holds
 * {@code hwk}) while the second factor is required ({@link PasskeyConfig}).
 *
 * Every access token, on every request (the WebSocket upgrade included), must have an expiry and must belong to a
 * user who is still enabled and unchanged since the token was issued: claim {@code ver} equals the user's current
 * {@code auth_version} ({@link UserStates}). Otherwise the token is refused (401) — a disabled or demoted user's
 * tokens stop working within {@link UserStates#TTL_MILLIS} (docs/controls-hardening.md §2).
 */
@Singleton
class CurrentUserClaimsValidator<T> implements GenericJwtClaimsValidator<T> {
    private final UserStates users;
    private final PasskeyConfig passkeys;

    CurrentUserClaimsValidator(UserStates users, PasskeyConfig passkeys) {
        this.users = users;
        this.passkeys = passkeys;
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
        if (passkeys.required() && !signedInWithPasskey(claims) && Role.needsSecondFactor(rolesOf(claims))) {
            return false; // a staff token from a password-only sign-in (issued while the second factor was off)
        }
        return users.current(id, n.longValue());
    }

    private static boolean signedInWithPasskey(Claims claims) {
        return claims.get(AuthService.CLAIM_AMR) instanceof java.util.Collection<?> amr && amr.contains("hwk");
    }

    private static java.util.Set<Role> rolesOf(Claims claims) {
        Object roles = claims.get("roles");
        java.util.List<String> names = new java.util.ArrayList<>();
        if (roles instanceof java.util.Collection<?> list) {
            list.forEach(r -> names.add(String.valueOf(r)));
        }
        return Role.known(names);
    }
}
