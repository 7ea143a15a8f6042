package org.mpcwallet.bank.auth.api;

import static org.mpcwallet.bank.web.ApiCalls.call;
import static org.mpcwallet.bank.web.ApiCalls.caller;

import io.micronaut.core.annotation.Nullable;
import io.micronaut.http.HttpResponse;
import io.micronaut.http.annotation.Body;
import io.micronaut.http.annotation.Controller;
import io.micronaut.http.annotation.Delete;
import io.micronaut.http.annotation.PathVariable;
import io.micronaut.http.annotation.Put;
import io.micronaut.scheduling.TaskExecutors;
import io.micronaut.scheduling.annotation.ExecuteOn;
import io.micronaut.security.annotation.Secured;
import io.micronaut.security.authentication.Authentication;
import io.micronaut.serde.annotation.Serdeable;
import java.util.List;
import org.mpcwallet.bank.auth.app.UserAdmin;

/**
 * {@code PUT /v1/admin/users/{id}/roles}: an ADMIN sets a user's bank roles (docs/controls-hardening.md §1);
 * {@code DELETE /v1/admin/users/{id}/login-lockout}: an ADMIN clears a user's failed sign-ins and lockout (§4).
 */
@io.swagger.v3.oas.annotations.tags.Tag(name = "Users", description = "Bank roles and lockouts of users (ADMIN).")
@org.mpcwallet.bank.web.openapi.ProblemResponses
@Controller("/v1/admin/users")
@Secured({"ADMIN"})
@ExecuteOn(TaskExecutors.BLOCKING)
class AdminUserController {
    @Serdeable
    record RolesBody(@Nullable List<String> roles) {
    }

    @Serdeable
    record RolesResponse(String userId, String username, List<String> roles) {
    }

    @Serdeable
    record InviteBody(@Nullable String username, @Nullable List<String> roles) {
    }

    /** The invitation: {@code invitationCode} is shown this once (give it to the person out of band). */
    @Serdeable
    record InvitationResponse(String userId, String username, List<String> roles, String invitationCode,
                              String expiresAt) {
        @Override
        public String toString() {
            return "InvitationResponse[" + username + ", (code redacted)]";
        }
    }

    private final UserAdmin users;
    private final org.mpcwallet.bank.auth.app.StaffInvitations invitations;

    private final org.mpcwallet.bank.changes.app.ChangeProposals proposals;
    private final org.mpcwallet.bank.auth.app.RoleChanges roleChanges;

    AdminUserController(UserAdmin users, org.mpcwallet.bank.auth.app.StaffInvitations invitations,
                        org.mpcwallet.bank.changes.app.ChangeProposals proposals,
                        org.mpcwallet.bank.auth.app.RoleChanges roleChanges) {
        this.users = users;
        this.invitations = invitations;
        this.proposals = proposals;
        this.roleChanges = roleChanges;
    }

    /**
     * Invites a member of staff (OPERATOR, COMPLIANCE, VIEWER, SIGNATORY): the account exists disabled until its
     * holder sets a password with the code ({@code POST /v1/auth/invitations/accept}), valid 24 hours.
     */
    @io.micronaut.http.annotation.Status(io.micronaut.http.HttpStatus.CREATED)
    @org.mpcwallet.bank.web.RequiresStepUp("staff.invite")
    @io.micronaut.http.annotation.Post
    HttpResponse<InvitationResponse> invite(@Body InviteBody body, Authentication auth) {
        org.mpcwallet.bank.auth.app.StaffInvitations.Invitation i = call(() -> invitations.invite(caller(auth),
                body.username(), body.roles()));
        return HttpResponse.created(new InvitationResponse(i.userId().toString(), i.username(), i.roles(), i.code(),
                i.expiresAt().toString()));
    }

    @org.mpcwallet.bank.web.RequiresStepUp("user.roles")
    @org.mpcwallet.bank.changes.api.ProposedUnderFourEyes
    @io.swagger.v3.oas.annotations.responses.ApiResponse(responseCode = "200", description = "Set",
            content = @io.swagger.v3.oas.annotations.media.Content(mediaType = "application/json",
            schema = @io.swagger.v3.oas.annotations.media.Schema(implementation = RolesResponse.class)))
    @Put("/{id}/roles")
    HttpResponse<?> setRoles(@PathVariable String id, @Body RolesBody body, Authentication auth,
                             io.micronaut.http.HttpRequest<?> request) {
        if (proposals.required()) {
            UserAdmin.Plan plan = call(() -> users.plan(caller(auth), id, body.roles()));
            if (call(() -> roleChanges.grantsAdmin(plan))) {
                org.mpcwallet.bank.changes.app.PendingChange ch = call(() -> proposals.propose(caller(auth),
                        org.mpcwallet.bank.auth.app.RoleChanges.KIND, org.mpcwallet.bank.auth.app.RoleChanges
                                .payload(plan), roleChanges.summary(plan),
                        org.mpcwallet.bank.web.CorrelationIdFilter.correlationId(request)));
                return org.mpcwallet.bank.changes.api.ChangeResponse.accepted(ch);
            }
        }
        UserAdmin.Roles r = call(() -> users.setRoles(caller(auth), id, body.roles()));
        return HttpResponse.ok(new RolesResponse(r.userId().toString(), r.username(), r.roles()));
    }

    /** A listed user: no secret; whether an invitation waits, failed sign-ins and a lockout, passkeys registered. */
    @io.micronaut.serde.annotation.Serdeable
    @com.fasterxml.jackson.annotation.JsonInclude(com.fasterxml.jackson.annotation.JsonInclude.Include.ALWAYS)
    record UserRow(String id, String username, List<String> roles, boolean disabled, String createdAt,
                   boolean invitationPending, int failedSignIns, @Nullable String lockedUntil, int passkeys) {
    }

    /** Users oldest first; {@code q} a part of the username or email, {@code role} a bank role (ADMIN, OPERATOR). */
    @io.micronaut.http.annotation.Get("{?q,role,cursor,limit}")
    org.mpcwallet.bank.web.PageResponse<UserRow> list(@Nullable @io.micronaut.http.annotation.QueryValue String q,
                                                      @Nullable @io.micronaut.http.annotation.QueryValue String role,
                                                      @Nullable @io.micronaut.http.annotation.QueryValue String cursor,
                                                      @Nullable @io.micronaut.http.annotation.QueryValue Integer limit,
                                                      Authentication auth) {
        return org.mpcwallet.bank.web.PageResponse.of(call(() -> users.list(caller(auth), q, role, cursor, limit)),
                u -> new UserRow(u.id().toString(), u.username(), u.roles().stream().sorted().toList(), u.disabled(),
                        u.createdAt().toString(), u.invitationPending(), u.failedSignIns(),
                        u.lockedUntil() == null ? null : u.lockedUntil().toString(), u.passkeys()));
    }

    /** Disables a user at once (their tokens stop on the next request); 204. */
    @io.micronaut.http.annotation.Status(io.micronaut.http.HttpStatus.NO_CONTENT)
    @org.mpcwallet.bank.web.RequiresStepUp("user.disable")
    @io.micronaut.http.annotation.Post("/{id}/disable")
    HttpResponse<Void> disable(@PathVariable String id, Authentication auth) {
        call(() -> {
            users.setDisabled(caller(auth), id, true);
            return null;
        });
        return HttpResponse.noContent();
    }

    /** Enables a disabled user again; 204. */
    @io.micronaut.http.annotation.Status(io.micronaut.http.HttpStatus.NO_CONTENT)
    @org.mpcwallet.bank.web.RequiresStepUp("user.enable")
    @io.micronaut.http.annotation.Post("/{id}/enable")
    HttpResponse<Void> enable(@PathVariable String id, Authentication auth) {
        call(() -> {
            users.setDisabled(caller(auth), id, false);
            return null;
        });
        return HttpResponse.noContent();
    }

    /** 204; 404 for an unknown user. */
    @io.micronaut.http.annotation.Status(io.micronaut.http.HttpStatus.NO_CONTENT)
    @org.mpcwallet.bank.web.RequiresStepUp("user.clear_lockout")
    @Delete("/{id}/login-lockout")
    HttpResponse<Void> clearLockout(@PathVariable String id, Authentication auth) {
        call(() -> users.clearLoginLockout(caller(auth), id));
        return HttpResponse.noContent();
    }
}
