package org.mpcwallet.bank.mpc.persistence;

import jakarta.inject.Singleton;
import java.math.BigDecimal;
import java.math.BigInteger;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import org.mpcwallet.bank.mpc.domain.SignRequest;
import org.mpcwallet.crypto.eth.Eip1559Transaction;
import org.mpcwallet.crypto.eth.EthAddress;
import org.mpcwallet.crypto.eth.EthTransaction;
import org.mpcwallet.crypto.eth.LegacyTransaction;

/** JDBC access to {@code sign_requests}; the caller owns the connection and transaction. */
@Singleton
public class SignRequestRepository {
    private static final String COLUMNS = "id, wallet_id, status, tx_type, chain_id, nonce, "
            + "max_priority_fee_per_gas, max_fee_per_gas, gas_price, gas_limit, to_address, value_wei, data, "
            + "signing_hash, created_by, created_at, expires_at, updated_at, sig_r, sig_s, sig_v, raw_transaction, "
            + "tx_hash, failure";

    /** A new request; {@code txRequestId} links it to a transfer of the custody pipeline (null: a direct one). */
    public void insert(Connection c, SignRequest r, UUID txRequestId) throws SQLException {
        EthTransaction tx = r.tx();
        try (PreparedStatement ps = c.prepareStatement("insert into sign_requests (id, wallet_id, status, tx_type, "
                + "chain_id, nonce, max_priority_fee_per_gas, max_fee_per_gas, gas_price, gas_limit, to_address, "
                + "value_wei, data, signing_hash, created_by, created_at, expires_at, updated_at, tx_request_id) "
                + "values (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)")) {
            ps.setObject(1, r.id());
            ps.setObject(2, r.walletId());
            ps.setString(3, r.status().name());
            ps.setString(4, tx.type().name());
            ps.setBigDecimal(5, new BigDecimal(tx.chainId()));
            ps.setBigDecimal(6, new BigDecimal(tx.nonce()));
            if (tx instanceof Eip1559Transaction t) {
                ps.setBigDecimal(7, new BigDecimal(t.maxPriorityFeePerGas()));
                ps.setBigDecimal(8, new BigDecimal(t.maxFeePerGas()));
                ps.setBigDecimal(9, null);
            } else {
                ps.setBigDecimal(7, null);
                ps.setBigDecimal(8, null);
                ps.setBigDecimal(9, new BigDecimal(((LegacyTransaction) tx).gasPrice()));
            }
            ps.setBigDecimal(10, new BigDecimal(tx.gasLimit()));
            ps.setString(11, tx.to().toChecksumHex());
            ps.setBigDecimal(12, new BigDecimal(tx.value()));
            ps.setBytes(13, tx.data());
            ps.setBytes(14, r.signingHash());
            ps.setObject(15, r.createdBy());
            ps.setTimestamp(16, Timestamp.from(r.createdAt()));
            ps.setTimestamp(17, Timestamp.from(r.expiresAt()));
            ps.setTimestamp(18, Timestamp.from(r.updatedAt()));
            ps.setObject(19, txRequestId);
            ps.executeUpdate();
        }
    }

    /** The wallet's requests, oldest first, of one status when {@code status} is not null. */
    /** A page of a wallet's sign requests, oldest first, in {@code status} (null: any); limit + 1 rows. */
    public List<SignRequest> page(Connection c, UUID walletId, SignRequest.Status status, java.time.Instant from,
                                  java.time.Instant to, org.mpcwallet.bank.paging.Cursors.TimeKey after, int limit)
            throws SQLException {
        org.mpcwallet.bank.db.Keyset q = new org.mpcwallet.bank.db.Keyset("").and("wallet_id = ?", walletId);
        if (status != null) {
            q.and("status = ?", status.name());
        }
        q.created(from, to);
        return q.page(c, "select " + COLUMNS + " from sign_requests", after, false, limit, SignRequestRepository::read);
    }

    /** The request (row-locked when {@code forUpdate}), if it exists. */
    public Optional<SignRequest> find(Connection c, UUID id, boolean forUpdate) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("select " + COLUMNS + " from sign_requests where id = ?"
                + (forUpdate ? " for update" : ""))) {
            ps.setObject(1, id);
            try (ResultSet rs = ps.executeQuery()) {
                return rs.next() ? Optional.of(read(rs)) : Optional.empty();
            }
        }
    }

    /** PENDING → SIGNED with the signature and signed transaction; false when it is no longer PENDING. */
    public boolean markSigned(Connection c, UUID id, SignRequest.Signature sig, byte[] raw, byte[] txHash,
                              Instant now) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("update sign_requests set status = 'SIGNED', sig_r = ?, "
                + "sig_s = ?, sig_v = ?, raw_transaction = ?, tx_hash = ?, updated_at = ? where id = ? "
                + "and status = 'PENDING'")) {
            ps.setBytes(1, SignRequest.fixed32(sig.r()));
            ps.setBytes(2, SignRequest.fixed32(sig.s()));
            ps.setShort(3, (short) sig.v());
            ps.setBytes(4, raw);
            ps.setBytes(5, txHash);
            ps.setTimestamp(6, Timestamp.from(now));
            ps.setObject(7, id);
            return ps.executeUpdate() == 1;
        }
    }

    /** PENDING → FAILED with {@code failure} (no change when it is no longer PENDING). */
    public void markFailed(Connection c, UUID id, String failure, Instant now) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("update sign_requests set status = 'FAILED', failure = ?, "
                + "updated_at = ? where id = ? and status = 'PENDING'")) {
            ps.setString(1, failure);
            ps.setTimestamp(2, Timestamp.from(now));
            ps.setObject(3, id);
            ps.executeUpdate();
        }
    }

    private static SignRequest read(ResultSet rs) throws SQLException {
        EthAddress to = EthAddress.parse(rs.getString("to_address"));
        EthTransaction tx = switch (EthTransaction.Type.parse(rs.getString("tx_type"))) {
            case EIP1559 -> new Eip1559Transaction(big(rs, "chain_id"), big(rs, "nonce"),
                    big(rs, "max_priority_fee_per_gas"), big(rs, "max_fee_per_gas"), big(rs, "gas_limit"), to,
                    big(rs, "value_wei"), rs.getBytes("data"));
            case LEGACY -> new LegacyTransaction(big(rs, "chain_id"), big(rs, "nonce"), big(rs, "gas_price"),
                    big(rs, "gas_limit"), to, big(rs, "value_wei"), rs.getBytes("data"));
        };
        byte[] r = rs.getBytes("sig_r");
        SignRequest.Signature sig = r == null ? null : new SignRequest.Signature(new BigInteger(1, r),
                new BigInteger(1, rs.getBytes("sig_s")), rs.getShort("sig_v"));
        return new SignRequest(rs.getObject("id", UUID.class), rs.getObject("wallet_id", UUID.class),
                SignRequest.Status.valueOf(rs.getString("status")), tx, rs.getBytes("signing_hash"),
                rs.getObject("created_by", UUID.class), rs.getTimestamp("created_at").toInstant(),
                rs.getTimestamp("expires_at").toInstant(), rs.getTimestamp("updated_at").toInstant(), sig,
                rs.getBytes("raw_transaction"), rs.getBytes("tx_hash"), rs.getString("failure"));
    }

    private static BigInteger big(ResultSet rs, String column) throws SQLException {
        return rs.getBigDecimal(column).toBigIntegerExact();
    }
}
