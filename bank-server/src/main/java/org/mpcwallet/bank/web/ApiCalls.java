package org.mpcwallet.bank.web;

import io.micronaut.http.HttpStatus;
import io.micronaut.http.exceptions.HttpStatusException;
import io.micronaut.security.authentication.Authentication;
import java.util.HashSet;
import java.util.UUID;
import java.util.function.Supplier;
import org.mpcwallet.bank.auth.app.AuthService;
import org.mpcwallet.bank.wallet.app.Caller;
import org.mpcwallet.bank.wallet.app.WalletException;

/** What every authenticated endpoint does: find the caller in the token, map service refusals to HTTP. */
public final class ApiCalls {
    private ApiCalls() {
    }

    /** The caller of a validated token (claim {@code uid}); 401 if the claim is missing or malformed. */
    public static Caller caller(Authentication auth) {
        try {
            UUID id = UUID.fromString(String.valueOf(auth.getAttributes().get(AuthService.CLAIM_USER_ID)));
            return Caller.of(id, auth.getName(), auth.getRoles());
        } catch (IllegalArgumentException | NullPointerException e) {
            throw new HttpStatusException(HttpStatus.UNAUTHORIZED, "Unauthorized");
        }
    }

    /** Runs {@code action}, turning a {@link WalletException} into the matching problem response. */
    public static <T> T call(Supplier<T> action) {
        try {
            return action.get();
        } catch (WalletException e) {
            HttpStatus status = switch (e.kind()) {
                case INVALID_REQUEST -> HttpStatus.BAD_REQUEST;
                case UNAUTHORIZED -> HttpStatus.UNAUTHORIZED;
                case FORBIDDEN -> HttpStatus.FORBIDDEN;
                case NOT_FOUND -> HttpStatus.NOT_FOUND;
                case CONFLICT -> HttpStatus.CONFLICT;
            };
            throw new HttpStatusException(status, e.getMessage());
        }
    }
}
