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

    /**
     * The password was right and the sign-in continues with a passkey: {@code secondFactor} is {@code passkey} (an
     * assertion, {@code navigator.credentials.get} with {@code options}) or {@code passkey_enrollment} (the first
     * passkey, {@code navigator.credentials.create}); the answer goes to {@code POST /v1/auth/passkey} or
     * {@code /v1/auth/passkey/enroll} with {@code challengeToken} before {@code expiresAt}.
     */
    @Serdeable
    record SecondFactorResponse(String secondFactor, String challengeToken, String expiresAt,
                                java.util.Map<String, Object> options) {
        static SecondFactorResponse of(org.mpcwallet.bank.auth.app.Passkeys.Begun b) {
            return new SecondFactorResponse(b.purpose() == org.mpcwallet.bank.auth.app.Passkeys.Purpose.ENROLL
                    ? "passkey_enrollment" : "passkey", b.token(), b.expiresAt().toString(), b.options());
        }

        @Override
        public String toString() {
            return "SecondFactorResponse[" + secondFactor + ", (token redacted)]";
        }
    }

    /** A passkey's answer: {@code credential} is the PublicKeyCredential in its JSON form ({@code toJSON()}). */
    @Serdeable
    record PasskeyRequest(@Nullable String challengeToken, @Nullable java.util.Map<String, Object> credential,
                          @Nullable String name) {
        @Override
        public String toString() {
            return "PasskeyRequest[(redacted)]";
        }
    }

    /** A step-up ceremony begun: answer {@code options} with a passkey and post it with {@code challengeToken}. */
    @Serdeable
    record StepUpOptionsResponse(String challengeToken, String expiresAt, java.util.Map<String, Object> options) {
        @Override
        public String toString() {
            return "StepUpOptionsResponse[(redacted)]";
        }
    }

    /** A step-up token: header {@code Step-Up} of one action within {@code expiresIn} seconds. */
    @Serdeable
    record StepUpResponse(String stepUpToken, String expiresAt, long expiresIn) {
        @Override
        public String toString() {
            return "StepUpResponse[(redacted)]";
        }
    }

    @Serdeable
    record PasskeyResponse(String id, String name, String createdAt, @Nullable String lastUsedAt) {
    }

    @Serdeable
    record AcceptInvitationRequest(@Nullable String username, @Nullable String code, @Nullable String password) {
        @Override
        public String toString() {
            return "AcceptInvitationRequest[" + username + ", (code and password redacted)]";
        }
    }

    private final AuthService auth;
    private final org.mpcwallet.bank.auth.app.Registrations registrations;
    private final org.mpcwallet.bank.auth.app.StaffInvitations invitations;
    private final org.mpcwallet.bank.auth.app.Passkeys passkeys;

    AuthController(AuthService auth, org.mpcwallet.bank.auth.app.Registrations registrations,
                   org.mpcwallet.bank.auth.app.StaffInvitations invitations,
                   org.mpcwallet.bank.auth.app.Passkeys passkeys) {
        this.auth = auth;
        this.registrations = registrations;
        this.invitations = invitations;
        this.passkeys = passkeys;
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
        User u = call(() -> registrations.register(body.username(), body.email(), body.password(),
                ClientAddress.of(request), CorrelationIdFilter.correlationId(request)));
        return HttpResponse.created(UserResponse.of(u));
    }

    /**
     * Signs in with username and password: the tokens, or, for staff (every role but CUSTOMER) while the second
     * factor is required, the passkey step that completes the sign-in.
     */
    @Post("/login")
    @Secured(SecurityRule.IS_ANONYMOUS)
    @io.swagger.v3.oas.annotations.responses.ApiResponse(responseCode = "200", description = "Signed in, or the "
            + "passkey step to do", content = @io.swagger.v3.oas.annotations.media.Content(
            mediaType = "application/json", schema = @io.swagger.v3.oas.annotations.media.Schema(
            oneOf = {TokenResponse.class, SecondFactorResponse.class})))
    Object login(@Body LoginRequest body, HttpRequest<?> request) {
        AuthService.SignIn s = call(() -> auth.login(body.username(), body.password(), ClientAddress.of(request),
                CorrelationIdFilter.correlationId(request)));
        return switch (s) {
            case AuthService.Tokens t -> TokenResponse.of(t);
            case AuthService.SecondFactor f -> SecondFactorResponse.of(f.begun());
        };
    }

    /** Completes a staff sign-in with a passkey's assertion on the login's challenge. */
    @Post("/passkey")
    @Secured(SecurityRule.IS_ANONYMOUS)
    TokenResponse passkey(@Body PasskeyRequest body, HttpRequest<?> request) {
        return TokenResponse.of(call(() -> auth.completeWithPasskey(body.challengeToken(), credential(body),
                ClientAddress.of(request), CorrelationIdFilter.correlationId(request))));
    }

    /** Completes a first staff sign-in by registering the account's first passkey ({@code name}: a label for it). */
    @Post("/passkey/enroll")
    @Secured(SecurityRule.IS_ANONYMOUS)
    TokenResponse enroll(@Body PasskeyRequest body, HttpRequest<?> request) {
        return TokenResponse.of(call(() -> auth.completeWithEnrollment(body.challengeToken(), credential(body),
                body.name(), ClientAddress.of(request), CorrelationIdFilter.correlationId(request))));
    }

    /** Begins a step-up: a fresh passkey assertion for one action that needs it. */
    @Post("/step-up/options")
    @Secured(SecurityRule.IS_AUTHENTICATED)
    StepUpOptionsResponse stepUpOptions(Authentication authentication) {
        org.mpcwallet.bank.auth.app.Passkeys.Begun b = call(() -> passkeys.beginStepUp(userId(authentication),
                authentication.getName()));
        return new StepUpOptionsResponse(b.token(), b.expiresAt().toString(), b.options());
    }

    /** Completes a step-up: a token for header {@code Step-Up}, good for one action for two minutes. */
    @Post("/step-up")
    @Secured(SecurityRule.IS_AUTHENTICATED)
    StepUpResponse stepUp(@Body PasskeyRequest body, Authentication authentication, HttpRequest<?> request) {
        org.mpcwallet.bank.auth.app.Passkeys.StepUp t = call(() -> passkeys.finishStepUp(userId(authentication),
                body.challengeToken(), credential(body), CorrelationIdFilter.correlationId(request)));
        return new StepUpResponse(t.token(), t.expiresAt().toString(),
                org.mpcwallet.bank.auth.app.Passkeys.STEP_UP_VALID.toSeconds());
    }

    /** The signed-in user's passkeys (names and dates; never a key). */
    @Get("/passkeys")
    @Secured(SecurityRule.IS_AUTHENTICATED)
    org.mpcwallet.bank.web.PageResponse<PasskeyResponse> passkeys(Authentication authentication) {
        // a handful per person: one page, in the shape of every list
        return new org.mpcwallet.bank.web.PageResponse<>(passkeys.list(userId(authentication)).stream()
                .map(p -> new PasskeyResponse(p.id().toString(), p.name(), p.createdAt().toString(),
                        p.lastUsedAt() == null ? null : p.lastUsedAt().toString())).toList(), null, false);
    }

    private static java.util.Map<String, Object> credential(PasskeyRequest body) {
        if (body.credential() == null) {
            throw new HttpStatusException(HttpStatus.BAD_REQUEST, "credential: the passkey's answer "
                    + "(PublicKeyCredential.toJSON()) is required");
        }
        return body.credential();
    }

    /** The user behind a session; an API client (a machine) has no passkey. */
    private static java.util.UUID userId(Authentication authentication) {
        if (authentication.getAttributes().containsKey("clientId")) {
            throw new HttpStatusException(HttpStatus.FORBIDDEN, "API clients sign their requests; passkeys are for "
                    + "people");
        }
        try {
            return java.util.UUID.fromString(String.valueOf(authentication.getAttributes()
                    .get(AuthService.CLAIM_USER_ID)));
        } catch (IllegalArgumentException e) {
            throw new HttpStatusException(HttpStatus.UNAUTHORIZED, "Unauthorized");
        }
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
