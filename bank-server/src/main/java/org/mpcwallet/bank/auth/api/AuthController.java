package org.mpcwallet.bank.auth.api;

import io.micronaut.core.annotation.Nullable;
import io.micronaut.http.HttpRequest;
import io.micronaut.http.HttpResponse;
import io.micronaut.http.HttpStatus;
import io.micronaut.http.annotation.Body;
import io.micronaut.http.annotation.Controller;
import io.micronaut.http.annotation.Get;
import io.micronaut.http.annotation.Post;
import io.micronaut.http.exceptions.HttpStatusException;
import io.micronaut.scheduling.TaskExecutors;
import io.micronaut.scheduling.annotation.ExecuteOn;
import io.micronaut.security.annotation.Secured;
import io.micronaut.security.authentication.Authentication;
import io.micronaut.security.rules.SecurityRule;
import io.micronaut.serde.annotation.Serdeable;
import java.util.List;
import java.util.function.Supplier;
import org.mpcwallet.bank.auth.app.AuthException;
import org.mpcwallet.bank.auth.app.AuthService;
import org.mpcwallet.bank.auth.domain.User;
import org.mpcwallet.bank.web.ClientAddress;
import org.mpcwallet.bank.web.CorrelationIdFilter;
import org.mpcwallet.bank.web.strict.ChecksItsOwnText;

/** {@code /v1/auth}: register, login, refresh (public) and me (any valid access token). */
@io.swagger.v3.oas.annotations.tags.Tag(name = "Authentication", description = "Sign-in, tokens and WebSocket tickets.")
@org.mpcwallet.bank.web.openapi.ProblemResponses
@Controller("/v1/auth")
@ExecuteOn(TaskExecutors.BLOCKING)
class AuthController {

    @Serdeable
    record RegisterRequest(@Nullable String username, @Nullable String email, @Nullable String password) {
        @Override
        public String toString() {
            return "RegisterRequest[username=" + username + ", email=" + email + "]";
        }
    }

    /** The service refuses control characters itself, audited (AUTH_LOGIN_FAILED, reason malformed). */
    @Serdeable
    @ChecksItsOwnText
    record LoginRequest(@Nullable String username, @Nullable String password) {
        @Override
        public String toString() {
            return "LoginRequest[username=" + username + "]";
        }
    }

    @Serdeable
    record RefreshRequest(@Nullable String refreshToken) {
        @Override
        public String toString() {
            return "RefreshRequest[(redacted)]";
        }
    }

    @Serdeable
    record UserResponse(String id, String username, List<String> roles) {
        static UserResponse of(User u) {
            return new UserResponse(u.id().toString(), u.username(),
                    u.roles().stream().map(Enum::name).sorted().toList());
        }
    }

    /** OAuth 2.0-style token response (RFC 6749 §5.1 field names). */
    @Serdeable
    record TokenResponse(String access_token, String token_type, int expires_in, String refresh_token,
                         UserResponse user) {
        static TokenResponse of(AuthService.Tokens t) {
            return new TokenResponse(t.accessToken(), "Bearer", t.expiresIn(), t.refreshToken(),
                    UserResponse.of(t.user()));
        }

        @Override
        public String toString() {
            return "TokenResponse[(redacted)]";
        }
    }

    @Serdeable
    record AcceptInvitationRequest(@Nullable String username, @Nullable String code, @Nullable String password) {
        @Override
        public String toString() {
            return "AcceptInvitationRequest[" + username + ", (code and password redacted)]";
        }
    }

    private final AuthService auth;
    private final org.mpcwallet.bank.auth.app.StaffInvitations invitations;

    AuthController(AuthService auth, org.mpcwallet.bank.auth.app.StaffInvitations invitations) {
        this.auth = auth;
        this.invitations = invitations;
    }

    /**
     * A member of staff sets their password with the invitation code an ADMIN gave them: the account is enabled and
     * signs in like any other. 401 for a wrong, used or expired code (one answer for all), 400 for a weak password.
     */
    @Post("/invitations/accept")
    @Secured(SecurityRule.IS_ANONYMOUS)
    UserResponse acceptInvitation(@Body AcceptInvitationRequest body) {
        return UserResponse.of(call(() -> invitations.accept(body.username(), body.code(), body.password())));
    }

    @io.micronaut.http.annotation.Status(io.micronaut.http.HttpStatus.CREATED)
    @Post("/register")
    @Secured(SecurityRule.IS_ANONYMOUS)
    HttpResponse<UserResponse> register(@Body RegisterRequest body, HttpRequest<?> request) {
        User u = call(() -> auth.register(body.username(), body.email(), body.password(), ClientAddress.of(request),
                CorrelationIdFilter.correlationId(request)));
        return HttpResponse.created(UserResponse.of(u));
    }

    @Post("/login")
    @Secured(SecurityRule.IS_ANONYMOUS)
    TokenResponse login(@Body LoginRequest body, HttpRequest<?> request) {
        return TokenResponse.of(call(() -> auth.login(body.username(), body.password(), ClientAddress.of(request),
                CorrelationIdFilter.correlationId(request))));
    }

    @Post("/refresh")
    @Secured(SecurityRule.IS_ANONYMOUS)
    TokenResponse refresh(@Body RefreshRequest body, HttpRequest<?> request) {
        return TokenResponse.of(call(() -> auth.refresh(body.refreshToken(),
                CorrelationIdFilter.correlationId(request))));
    }

    /** Server-side logout: revokes the refresh token's family; 204 whatever the token (the answer reveals nothing). */
    @io.micronaut.http.annotation.Status(io.micronaut.http.HttpStatus.NO_CONTENT)
    @Post("/logout")
    @Secured(SecurityRule.IS_ANONYMOUS)
    HttpResponse<Void> logout(@Body RefreshRequest body, HttpRequest<?> request) {
        auth.logout(body.refreshToken(), CorrelationIdFilter.correlationId(request));
        return HttpResponse.noContent();
    }

    @Get("/me")
    @Secured(SecurityRule.IS_AUTHENTICATED)
    UserResponse me(Authentication authentication) {
        return auth.currentUser(authentication).map(UserResponse::of)
                .orElseThrow(() -> new HttpStatusException(HttpStatus.UNAUTHORIZED, "Unauthorized"));
    }

    private static <T> T call(Supplier<T> action) {
        try {
            return action.get();
        } catch (AuthException e) {
            HttpStatus status = switch (e.kind()) {
                case INVALID_REQUEST -> HttpStatus.BAD_REQUEST;
                case CONFLICT -> HttpStatus.CONFLICT;
                case UNAUTHORIZED -> HttpStatus.UNAUTHORIZED;
            };
            throw new HttpStatusException(status, e.getMessage());
        }
    }
}
