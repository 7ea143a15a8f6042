package org.mpcwallet.bank.auth.app;

import jakarta.inject.Singleton;
import java.sql.SQLException;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.mpcwallet.bank.auth.domain.Role;
import org.mpcwallet.bank.changes.app.ChangeApplier;
import org.mpcwallet.bank.wallet.app.Caller;

/**
 * Bank roles under four eyes (docs/admin-console.md): a change that makes someone an ADMIN is a proposal
 * ({@code BANK_ROLES}, payload {@code userId} and the new {@code roles}) that a second ADMIN approves; other role
 * changes apply at once.
 */
@Singleton
public class RoleChanges implements ChangeApplier {
    public static final String KIND = "BANK_ROLES";

    private final UserAdmin users;

    public RoleChanges(UserAdmin users) {
        this.users = users;
    }

    @Override
    public Set<String> kinds() {
        return Set.of(KIND);
    }

    /** Whether {@code plan} grants ADMIN to a user who is not one now: then it needs a second ADMIN. */
    public boolean grantsAdmin(UserAdmin.Plan plan) {
        return plan.roles().contains(Role.ADMIN.name())
                && !users.current(plan.userId()).roles().contains(Role.ADMIN.name());
    }

    public static Map<String, Object> payload(UserAdmin.Plan plan) {
        return Map.of("userId", plan.userId().toString(), "roles", plan.roles());
    }

    public String summary(UserAdmin.Plan plan) {
        return "Set the bank roles of " + users.current(plan.userId()).username() + " to "
                + String.join(", ", plan.roles()) + " (grants ADMIN)";
    }

    @Override
    @SuppressWarnings("unchecked")
    public Map<String, Object> apply(String kind, Caller proposer, Map<String, Object> payload,
                                     String changeId, String correlationId) throws SQLException {
        UserAdmin.Plan plan = users.plan(proposer, (String) payload.get("userId"), (List<String>) payload.get("roles"));
        UserAdmin.Roles r = users.apply(proposer, plan, changeId);
        users.invalidate(plan.userId());
        return Map.of("userId", r.userId().toString(), "username", r.username(), "roles", r.roles());
    }
}
