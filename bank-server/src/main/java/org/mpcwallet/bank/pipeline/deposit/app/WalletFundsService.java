package org.mpcwallet.bank.pipeline.deposit.app;

import jakarta.inject.Singleton;
import java.math.BigInteger;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import org.mpcwallet.bank.chain.ChainResult;
import org.mpcwallet.bank.chain.EthNode;
import org.mpcwallet.bank.db.TransactionRunner;
import org.mpcwallet.bank.pipeline.ChainAccess;
import org.mpcwallet.bank.pipeline.ChainUnavailableException;
import org.mpcwallet.bank.pipeline.deposit.persistence.DepositRepository;
import org.mpcwallet.bank.pipeline.deposit.persistence.DepositRepository.Deposit;
import org.mpcwallet.bank.pipeline.policy.app.WalletSettingsService;
import org.mpcwallet.bank.pipeline.token.persistence.TokenRepository.Token;
import org.mpcwallet.bank.pipeline.token.persistence.TokenRepository;
import org.mpcwallet.bank.wallet.app.Caller;
import org.mpcwallet.bank.wallet.app.WalletException.Kind;
import org.mpcwallet.bank.wallet.app.WalletException;
import org.mpcwallet.bank.wallet.app.WalletService;
import org.mpcwallet.bank.wallet.domain.Wallet;
import org.mpcwallet.bank.wallet.domain.WalletStatus;

/**
 * {@code /v1/wallets/{id}/balances} (read live from the node: ETH and every registered token, at "latest") and
 * {@code /v1/wallets/{id}/deposits} (what the {@link ChainListener} recorded). For any role on the wallet and bank
 * staff.
 */
@Singleton
public class WalletFundsService {
    /** Deposits returned at most, newest first. */

    private final TransactionRunner transactions;
    private final WalletService wallets;
    private final ChainAccess chain;
    private final TokenRepository tokenRows;
    private final DepositRepository deposits;

    public WalletFundsService(TransactionRunner transactions, WalletService wallets, ChainAccess chain,
                              TokenRepository tokenRows, DepositRepository deposits) {
        this.transactions = transactions;
        this.wallets = wallets;
        this.chain = chain;
        this.tokenRows = tokenRows;
        this.deposits = deposits;
    }

    /**
     * One asset's balance.
     *
     * @param asset    ETH or the token's symbol
     * @param amount   base units
     * @param decimals 18 for ETH, else the registered decimals
     * @param token    the contract, null for ETH
     */
    public record Balance(String asset, BigInteger amount, int decimals, String token) {
    }

    public record Balances(UUID walletId, String address, List<Balance> balances) {
    }

    public Balances balances(Caller caller, String walletId) {
        if (!chain.configured()) {
            throw new WalletException(Kind.CONFLICT, "No Ethereum node is configured (ETH_RPC_URL).");
        }
        long chainId;
        try {
            chainId = chain.chainId();
        } catch (IllegalStateException e) {
            throw new ChainUnavailableException("eth_chainId failed");
        }
        record Read(Wallet wallet, List<Token> tokens) {
        }
        Read r = transactions.inTransaction(() -> {
            Wallet w = wallets.requireRole(caller, walletId, WalletSettingsService.WALLET_READERS,
                    WalletSettingsService.BANK_READERS);
            return new Read(w, tokenRows.all(chainId));
        });
        Wallet w = r.wallet();
        if (w.status() != WalletStatus.ACTIVE || w.address() == null) {
            throw new WalletException(Kind.CONFLICT, "The wallet is " + w.status() + "; it has no address yet.");
        }
        // the node is asked after the transaction: no row lock is held while it answers
        EthNode node = chain.node();
        List<Balance> out = new ArrayList<>();
        out.add(new Balance("ETH", value(node.balance(w.address())), 18, null));
        for (Token t : r.tokens()) {
            out.add(new Balance(t.symbol(), value(node.erc20Balance(t.address(), w.address())), t.decimals(),
                    t.address()));
        }
        return new Balances(w.id(), w.address(), out);
    }

    /** A page of the wallet's deposits, newest first; filters: status, creation time. */
    public org.mpcwallet.bank.paging.Page<Deposit> deposits(Caller caller, String walletId, String status,
                                                            String createdFrom, String createdTo, String cursor,
                                                            Integer limit) {
        String st = status == null || status.isBlank() ? null : status.strip().toUpperCase(java.util.Locale.ROOT);
        if (st != null && !List.of("DETECTED", "CONFIRMED", "REORGED").contains(st)) {
            throw new WalletException(WalletException.Kind.INVALID_REQUEST,
                    "status must be DETECTED, CONFIRMED or REORGED");
        }
        java.time.Instant from = org.mpcwallet.bank.paging.Cursors.instant("createdFrom", createdFrom);
        java.time.Instant to = org.mpcwallet.bank.paging.Cursors.instant("createdTo", createdTo);
        int n = org.mpcwallet.bank.paging.Cursors.limit(limit);
        org.mpcwallet.bank.paging.Cursors.TimeKey after = org.mpcwallet.bank.paging.Cursors.timeKey("deposits",
                cursor);
        return transactions.inTransaction(() -> {
            Wallet w = wallets.requireRole(caller, walletId, WalletSettingsService.WALLET_READERS,
                    WalletSettingsService.BANK_READERS);
            return org.mpcwallet.bank.paging.Page.of(deposits.page(w.id(), st, from, to, after, n), n, d ->
                    org.mpcwallet.bank.paging.Cursors.timeCursor("deposits", d.createdAt(), d.id()));
        });
    }

    private static BigInteger value(ChainResult<BigInteger> r) {
        return switch (r) {
            case ChainResult.Ok<BigInteger> ok -> ok.value();
            case ChainResult.Failed<BigInteger> f -> throw new ChainUnavailableException(f.failure().toString());
        };
    }

}
