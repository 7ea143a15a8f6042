package org.mpcwallet.bank.auth.domain;

import java.time.Instant;
import java.util.Set;
import java.util.UUID;

/** A user as stored. {@code passwordHash} is a bcrypt string; {@code toString()} leaves it out. */
public record User(UUID id, String username, String email, String passwordHash, Set<Role> roles, Instant createdAt,
                   boolean disabled) {
    public User {
        roles = Set.copyOf(roles);
    }

    @Override
    public String toString() {
        return "User[id=" + id + ", username=" + username + ", roles=" + roles + ", disabled=" + disabled + "]";
    }
}
