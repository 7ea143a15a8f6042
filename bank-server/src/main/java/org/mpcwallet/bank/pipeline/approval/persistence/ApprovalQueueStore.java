package org.mpcwallet.bank.pipeline.approval.persistence;

import io.micronaut.data.jdbc.runtime.JdbcOperations;
import jakarta.inject.Singleton;
import java.util.List;
import java.util.UUID;
import org.mpcwallet.bank.db.Keyset;
import org.mpcwallet.bank.paging.Cursors;
import org.mpcwallet.bank.pipeline.transfer.domain.TxRequest;
import org.mpcwallet.bank.pipeline.transfer.persistence.TxRequestRepository;

/**
 * The approvals queue of one approver (docs/admin-console.md "Approvals queue"): transfers in APPROVAL_PENDING the
 * caller may vote on now — by the same rules {@code ApprovalService} enforces: an APPROVER grant on the wallet (not
 * suspended) and staff or a signatory (for a sweep, also a bank ADMIN), not an owner of the wallet, not the creator,
 * no vote yet — oldest first, with what the decision needs from other tables. Its SQL is built at run time
 * ({@link Keyset}), so it runs as written through {@link JdbcOperations}, on the caller's transaction's connection
 * (or one of its own outside a transaction).
 */
@Singleton
public final class ApprovalQueueStore {
    private final JdbcOperations jdbc;

    public ApprovalQueueStore(JdbcOperations jdbc) {
        this.jdbc = jdbc;
    }

    /** A waiting transfer with its wallet, its creator's name, the approvals so far and whether it is a sweep. */
    public record Row(TxRequest request, String walletName, String walletType, String creator, int approvals,
                      boolean sweep, java.time.Instant waitingSince) {
    }

    public List<Row> page(UUID me, boolean eligible, boolean admin, Cursors.TimeKey after, int limit) {
        Keyset q = new Keyset("t.").and("t.status = 'APPROVAL_PENDING' and t.created_by <> ?", me)
                .and("not exists (select 1 from approvals a where a.tx_request_id = t.id and a.user_id = ?)", me)
                .and("not exists (select 1 from wallet_roles o where o.wallet_id = t.wallet_id and o.user_id = ? "
                        + "and o.role = 'OWNER')", me)
                .and("(exists (select 1 from wallet_roles g where g.wallet_id = t.wallet_id and g.user_id = ? "
                        + "and g.role = 'APPROVER' and g.suspended_at is null) and (? or exists (select 1 from "
                        + "sweep_requests s where s.tx_request_id = t.id))) or (? and exists (select 1 from "
                        + "sweep_requests s where s.tx_request_id = t.id))", me, eligible, admin);
        return jdbc.execute(c -> q.page(c, "select t.*, w.name as queue_wallet_name, w.type as queue_wallet_type, "
                + "u.username as queue_creator, (select count(*) from approvals a where a.tx_request_id = t.id "
                + "and a.decision = 'APPROVE') as queue_approvals, exists (select 1 from sweep_requests s "
                + "where s.tx_request_id = t.id) as queue_sweep from tx_requests t join wallets w on w.id = "
                + "t.wallet_id join users u on u.id = t.created_by", after, false, limit, rs -> new Row(
                TxRequestRepository.fromRow(rs), rs.getString("queue_wallet_name"), rs.getString("queue_wallet_type"),
                rs.getString("queue_creator"), rs.getInt("queue_approvals"), rs.getBoolean("queue_sweep"),
                rs.getTimestamp("status_since").toInstant())));
    }
}
