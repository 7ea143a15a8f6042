package org.mpcwallet.bank.auth.persistence;

import io.micronaut.core.annotation.Nullable;
import io.micronaut.data.annotation.Id;
import io.micronaut.data.annotation.MappedEntity;
import io.micronaut.data.annotation.TypeDef;
import io.micronaut.data.model.DataType;
import java.time.Instant;
import java.util.UUID;

/**
 * A row of {@code users} (V2, V15 {@code auth_version}). Only {@link UserRepository} sees it; callers get the domain
 * {@code User}. {@code toString()} leaves the password hash out.
 */
@MappedEntity("users")
public record UserRow(@Id UUID id, String username, @Nullable String email, String passwordHash,
                      @TypeDef(type = DataType.STRING_ARRAY) String[] roles, Instant createdAt, boolean disabled,
                      long authVersion) {

    @Override
    public String toString() {
        return "UserRow[id=" + id + ", username=" + username + ", roles=" + java.util.Arrays.toString(roles)
                + ", disabled=" + disabled + ", authVersion=" + authVersion + "]";
    }
}
