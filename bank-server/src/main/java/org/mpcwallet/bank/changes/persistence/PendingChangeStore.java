package org.mpcwallet.bank.changes.persistence;

import io.micronaut.json.JsonMapper;
import jakarta.inject.Singleton;
import java.io.IOException;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import org.mpcwallet.bank.changes.app.PendingChange;
import org.mpcwallet.bank.db.Keyset;
import org.mpcwallet.bank.paging.Cursors;

/** Table {@code pending_changes} (V25), with the proposer's and decider's usernames. */
@Singleton
public class PendingChangeStore {
    private static final String SELECT = "select p.id, p.kind, p.payload, p.summary, p.status, p.proposed_by, "
            + "u1.username, p.created_at, p.decided_by, u2.username, p.decided_at, p.comment, p.outcome "
            + "from pending_changes p join users u1 on u1.id = p.proposed_by "
            + "left join users u2 on u2.id = p.decided_by";

    private final JsonMapper json;

    public PendingChangeStore(JsonMapper json) {
        this.json = json;
    }

    public void insert(Connection c, UUID id, String kind, Map<String, Object> payload, String summary,
                       UUID proposedBy, Instant at) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("insert into pending_changes (id, kind, payload, summary, "
                + "status, proposed_by, created_at) values (?, ?, ?, ?, 'PENDING', ?, ?)")) {
            ps.setObject(1, id);
            ps.setString(2, kind);
            ps.setString(3, write(payload));
            ps.setString(4, summary);
            ps.setObject(5, proposedBy);
            ps.setTimestamp(6, Timestamp.from(at));
            ps.executeUpdate();
        }
    }

    public Optional<PendingChange> find(Connection c, UUID id, boolean lock) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement(SELECT + " where p.id = ?" + (lock ? " for update of p" : ""))) {
            ps.setObject(1, id);
            try (ResultSet rs = ps.executeQuery()) {
                return rs.next() ? Optional.of(row(rs)) : Optional.empty();
            }
        }
    }

    public void decide(Connection c, UUID id, PendingChange.Status status, UUID by, Instant at, String comment,
                       Map<String, Object> outcome) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("update pending_changes set status = ?, decided_by = ?, "
                + "decided_at = ?, comment = ?, outcome = ? where id = ? and status = 'PENDING'")) {
            ps.setString(1, status.name());
            ps.setObject(2, by);
            ps.setTimestamp(3, Timestamp.from(at));
            ps.setString(4, comment);
            ps.setString(5, outcome == null ? null : write(outcome));
            ps.setObject(6, id);
            if (ps.executeUpdate() != 1) {
                throw new IllegalStateException("the change was decided meanwhile");
            }
        }
    }

    /** One page, oldest first, optionally of one status. */
    public List<PendingChange> page(Connection c, PendingChange.Status status, Cursors.TimeKey after, int limit)
            throws SQLException {
        Keyset k = new Keyset("p.");
        if (status != null) {
            k.and("p.status = ?", status.name());
        }
        return k.page(c, SELECT, after, false, limit, this::row);
    }

    private PendingChange row(ResultSet rs) throws SQLException {
        Timestamp decided = rs.getTimestamp(11);
        return new PendingChange(rs.getObject(1, UUID.class), rs.getString(2), read(rs.getString(3)),
                rs.getString(4), PendingChange.Status.valueOf(rs.getString(5)), rs.getObject(6, UUID.class),
                rs.getString(7), rs.getTimestamp(8).toInstant(), rs.getObject(9, UUID.class), rs.getString(10),
                decided == null ? null : decided.toInstant(), rs.getString(12), read(rs.getString(13)));
    }

    private String write(Map<String, Object> m) {
        try {
            return json.writeValueAsString(m);
        } catch (IOException e) {
            throw new IllegalStateException("a change's payload is not JSON", e);
        }
    }

    @SuppressWarnings("unchecked")
    private Map<String, Object> read(String s) throws SQLException {
        if (s == null) {
            return null;
        }
        try {
            return json.readValue(s, Map.class);
        } catch (IOException e) {
            throw new SQLException("a stored change is not JSON", e);
        }
    }
}
