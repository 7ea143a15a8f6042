package org.mpcwallet.bank.pipeline.transfer.persistence;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;

/** SQL for {@code approvals}, the votes on transaction requests; every method runs in the caller's transaction. */
public final class ApprovalStore {
    private ApprovalStore() {
    }

    /** One vote: who cast it (id and user name), {@code APPROVE} or {@code REJECT}, an optional comment. */
    public record Vote(UUID userId, String username, String decision, String comment, Instant at) {
    }

    /** Records a vote; false (nothing written) when the user has voted on the request already. */
    public static boolean insert(Connection c, UUID txRequestId, UUID userId, String decision, String comment,
                                 Instant at) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("insert into approvals (tx_request_id, user_id, decision, "
                + "comment, created_at) values (?, ?, ?, ?, ?) on conflict do nothing")) {
            ps.setObject(1, txRequestId);
            ps.setObject(2, userId);
            ps.setString(3, decision);
            ps.setString(4, comment);
            ps.setTimestamp(5, Timestamp.from(at));
            return ps.executeUpdate() == 1;
        }
    }

    /** The votes on a request, oldest first. */
    public static List<Vote> votes(Connection c, UUID txRequestId) throws SQLException {
        List<Vote> out = new ArrayList<>();
        try (PreparedStatement ps = c.prepareStatement("select a.user_id, u.username, a.decision, a.comment, "
                + "a.created_at from approvals a join users u on u.id = a.user_id where a.tx_request_id = ? "
                + "order by a.created_at, a.user_id")) {
            ps.setObject(1, txRequestId);
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    out.add(new Vote(rs.getObject(1, UUID.class), rs.getString(2), rs.getString(3),
                            rs.getString(4), rs.getTimestamp(5).toInstant()));
                }
            }
        }
        return out;
    }
}
