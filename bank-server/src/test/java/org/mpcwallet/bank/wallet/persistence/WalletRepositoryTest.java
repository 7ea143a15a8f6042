package org.mpcwallet.bank.wallet.persistence;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.micronaut.http.client.HttpClient;
import io.micronaut.http.client.annotation.Client;
import io.micronaut.test.extensions.junit5.annotation.MicronautTest;
import io.micronaut.test.support.TestPropertyProvider;
import io.micronaut.transaction.exceptions.TransactionException;
import jakarta.inject.Inject;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import javax.sql.DataSource;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.mpcwallet.bank.ApiUsers;
import org.mpcwallet.bank.TestDataDir;
import org.mpcwallet.bank.auth.domain.Role;
import org.mpcwallet.bank.auth.domain.WalletRole;
import org.mpcwallet.bank.db.StoreException;
import org.mpcwallet.bank.db.TransactionRunner;
import org.mpcwallet.bank.wallet.domain.CustodyBackend;
import org.mpcwallet.bank.wallet.domain.RiskProfile;
import org.mpcwallet.bank.wallet.domain.RoleGrant;
import org.mpcwallet.bank.wallet.domain.Wallet;
import org.mpcwallet.bank.wallet.domain.WalletStatus;
import org.mpcwallet.bank.wallet.domain.WalletType;

/**
 * {@link WalletRepository} on Micronaut Data JDBC against the real embedded PostgreSQL: a wallet reads back as
 * written (tags as {@code text[]}, no key before keygen), the grants' upsert makes a suspended grant active again and
 * nothing else, suspended grants are reported once, the locking reads refuse to run outside a transaction, a write
 * rolls back with the caller's transaction, and a database failure is the bank's {@link StoreException}.
 */
@MicronautTest
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class WalletRepositoryTest implements TestPropertyProvider {

    @Inject
    @Client("/")
    HttpClient http;

    @Inject
    DataSource dataSource;

    @Inject
    TransactionRunner transactions;

    @Inject
    WalletRepository wallets;

    @Override
    public Map<String, String> getProperties() {
        return TestDataDir.embeddedPropsAsStrings("wallet-repo-");
    }

    private UUID newUser(String... bankRoles) {
        return UUID.fromString(new ApiUsers(http, dataSource).registerOnly(bankRoles).id());
    }

    private static Instant now() {
        return Instant.now().truncatedTo(ChronoUnit.MICROS);
    }

    private static Wallet pending(UUID owner, String keysetId, List<String> tags) {
        Instant now = now();
        return new Wallet(UUID.randomUUID(), "w " + keysetId, WalletType.TREASURY, RiskProfile.MEDIUM, tags,
                CustodyBackend.MPC_2PC, WalletStatus.PENDING_KEYGEN, keysetId, null, null, now, now, null, owner);
    }

    private Wallet created(UUID owner, List<String> tags) {
        Wallet w = pending(owner, "ks-" + UUID.randomUUID(), tags);
        transactions.run(c -> {
            wallets.insert(w);
            assertTrue(wallets.grant(w.id(), owner, WalletRole.OWNER, w.createdAt()));
        });
        return w;
    }

    private void sql(String sql, Object... values) throws SQLException {
        try (Connection c = dataSource.getConnection(); PreparedStatement ps = c.prepareStatement(sql)) {
            for (int i = 0; i < values.length; i++) {
                ps.setObject(i + 1, values[i]);
            }
            ps.executeUpdate();
        }
    }

    @Test
    void aWalletReadsBackAsWritten() {
        UUID owner = newUser();
        Wallet w = created(owner, List.of("team:ops", "b.2"));

        Wallet read = wallets.find(w.id(), false).orElseThrow();
        assertEquals(List.of(w.id(), w.name(), w.type(), w.riskProfile(), w.tags(), w.custodyBackend(), w.status(),
                w.keysetId(), w.createdAt(), w.updatedAt(), w.createdBy()), List.of(read.id(), read.name(),
                read.type(), read.riskProfile(), read.tags(), read.custodyBackend(), read.status(), read.keysetId(),
                read.createdAt(), read.updatedAt(), read.createdBy()));
        assertNull(read.publicKey());
        assertNull(read.address());
        assertNull(read.lastUsedAt());
        Wallet bare = created(owner, List.of());
        assertEquals(List.of(), wallets.find(bare.id(), false).orElseThrow().tags(), "a wallet without tags");
        assertTrue(wallets.exists(w.id()));
        assertFalse(wallets.exists(UUID.randomUUID()));
        assertEquals(List.of(new RoleGrant(w.id(), owner, WalletRole.OWNER, w.createdAt())), wallets.roles(w.id()));
        assertTrue(wallets.walletIdsOf(owner).contains(w.id()));
        assertTrue(wallets.page(owner, null, null, null, null, null, 50).stream().anyMatch(x -> x.id().equals(w.id())
                && x.tags().equals(w.tags())));
        assertEquals(List.of(w.id()), wallets.page(null, WalletStatus.PENDING_KEYGEN, null, null, w.keysetId(), null,
                50).stream().map(Wallet::id).toList(), "found by a part of its name");
        assertTrue(wallets.userEnabled(owner));
        assertFalse(wallets.userEnabled(UUID.randomUUID()));
        assertEquals(Set.of(Role.CUSTOMER), wallets.bankRoles(owner));
        assertEquals(Set.of(), wallets.bankRoles(UUID.randomUUID()));
        assertTrue(wallets.username(owner).isPresent());
        assertNull(wallets.keysetEpoch(w.keysetId()));
        assertFalse(wallets.keysetLocked(w.keysetId()));
        assertEquals(2, (int) transactions.inTransaction(c -> wallets.lockAndCountPendingKeygen(owner)),
                "the owner's two wallets wait for keygen");

        byte[] key = new byte[33];
        key[0] = 2;
        key[32] = 7;
        String address = "0xAbC" + "0".repeat(37);
        Instant later = now();
        transactions.run(c -> {
            wallets.updateStatus(w.id(), WalletStatus.ACTIVE, key, address, later);
            wallets.markUsed(w.id(), later);
        });
        Wallet active = wallets.find(w.id(), false).orElseThrow();
        assertEquals(WalletStatus.ACTIVE, active.status());
        assertArrayEquals(key, active.publicKey());
        assertEquals(address, active.address());
        assertEquals(later, active.updatedAt());
        assertEquals(later, active.lastUsedAt());
        assertEquals(w.id(), wallets.activeAddresses().get(address.toLowerCase(java.util.Locale.ROOT)));
    }

    @Test
    void aSuspendedGrantIsReportedOnceAndMadeActiveAgainByAGrant() throws SQLException {
        UUID owner = newUser();
        UUID approver = newUser("SIGNATORY");
        UUID admin = newUser("ADMIN");
        Wallet w = created(owner, List.of());
        assertTrue(transactions.<Boolean>inTransaction(c -> wallets.grant(w.id(), approver, WalletRole.APPROVER, now(),
                admin)));
        assertFalse(transactions.<Boolean>inTransaction(c -> wallets.grant(w.id(), approver, WalletRole.APPROVER, now(),
                admin)), "an active grant stays as it is");
        sql("update wallet_roles set suspended_at = now(), suspended_reason = 'test' where wallet_id = ? "
                + "and user_id = ?", w.id(), approver);
        assertTrue(wallets.roles(w.id()).stream().noneMatch(g -> g.userId().equals(approver)));
        assertFalse(wallets.walletIdsOf(approver).contains(w.id()));

        List<WalletRepository.Suspension> first = transactions.inTransaction(c -> {
            List<WalletRepository.Suspension> s = wallets.unreportedSuspensions();
            s.forEach(wallets::markReported);
            return s;
        });
        assertTrue(first.contains(new WalletRepository.Suspension(w.id(), approver, "APPROVER", "test")),
                first::toString);
        assertEquals(List.of(), transactions.inTransaction(c -> wallets.unreportedSuspensions()), "reported once");

        Instant again = now();
        assertTrue(transactions.<Boolean>inTransaction(c -> wallets.grant(w.id(), approver, WalletRole.APPROVER, again,
                admin)), "a suspended grant is made active again");
        assertTrue(wallets.roles(w.id()).contains(new RoleGrant(w.id(), approver, WalletRole.APPROVER, again)));
        assertTrue(transactions.<Boolean>inTransaction(c -> wallets.revoke(w.id(), approver, WalletRole.APPROVER)));
        assertFalse(transactions.<Boolean>inTransaction(c -> wallets.revoke(w.id(), approver, WalletRole.APPROVER)));
    }

    @Test
    void theLockingReadsRefuseToRunOutsideATransaction() {
        UUID owner = newUser();
        Wallet w = created(owner, List.of());
        assertInstanceOf(TransactionException.class, assertThrows(RuntimeException.class,
                () -> wallets.find(w.id(), true)));
        assertInstanceOf(TransactionException.class, assertThrows(RuntimeException.class,
                () -> wallets.unreportedSuspensions()));
        assertInstanceOf(TransactionException.class, assertThrows(RuntimeException.class,
                () -> wallets.lockAndCountPendingKeygen(owner)));
        assertEquals(w.id(), transactions.inTransaction(c -> wallets.find(w.id(), true).orElseThrow().id()));
    }

    @Test
    void aWriteRollsBackWithTheCallersTransactionAndAFailureIsAStoreException() {
        UUID owner = newUser();
        Wallet w = pending(owner, "ks-" + UUID.randomUUID(), List.of());
        assertThrows(IllegalStateException.class, () -> transactions.run(c -> {
            wallets.insert(w);
            throw new IllegalStateException("failed after the repository's write");
        }));
        assertFalse(wallets.exists(w.id()), "rolled back");

        Wallet first = created(owner, List.of());
        Wallet sameKeyset = pending(owner, first.keysetId(), List.of());
        StoreException e = assertThrows(StoreException.class, () -> transactions.run(c -> wallets.insert(
                sameKeyset)));
        assertEquals("store failed (SQLSTATE 23505)", e.getMessage());
        assertFalse(wallets.exists(sameKeyset.id()));
    }
}
