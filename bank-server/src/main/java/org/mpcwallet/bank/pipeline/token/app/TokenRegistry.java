package org.mpcwallet.bank.pipeline.token.app;

import io.micronaut.json.JsonMapper;
import jakarta.inject.Singleton;
import java.math.BigInteger;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.Locale;
import org.mpcwallet.bank.audit.app.AuditLog;
import org.mpcwallet.bank.audit.app.AuditPayload;
import org.mpcwallet.bank.chain.ChainResult;
import org.mpcwallet.bank.db.TransactionRunner;
import org.mpcwallet.bank.pipeline.ChainAccess;
import org.mpcwallet.bank.pipeline.ChainUnavailableException;
import org.mpcwallet.bank.pipeline.EthFormats;
import org.mpcwallet.bank.pipeline.policy.app.PolicyAdmin;
import org.mpcwallet.bank.pipeline.token.persistence.TokenRepository.Token;
import org.mpcwallet.bank.pipeline.token.persistence.TokenRepository;
import org.mpcwallet.bank.value.Address;
import org.mpcwallet.bank.wallet.app.Caller;
import org.mpcwallet.bank.wallet.app.WalletException.Kind;
import org.mpcwallet.bank.wallet.app.WalletException;

/**
 * {@code /v1/tokens}: the ERC-20 tokens the bank handles on the configured chain (requests in that asset, deposits,
 * balances). A bank ADMIN registers one after the node confirms a contract at the address answers
 * {@code balanceOf}; ADMIN, COMPLIANCE and OPERATOR list them. Audited TOKEN_REGISTERED.
 */
@Singleton
public class TokenRegistry {
    private static final String ZERO_ADDRESS = "0x0000000000000000000000000000000000000000";
    static final int MAX_DECIMALS = 36;

    private final TransactionRunner transactions;
    private final ChainAccess chain;
    private final AuditLog audit;
    private final JsonMapper json;
    private final TokenRepository tokenRows;

    public TokenRegistry(TransactionRunner transactions, ChainAccess chain, AuditLog audit, JsonMapper json,
                         TokenRepository tokenRows) {
        this.transactions = transactions;
        this.chain = chain;
        this.audit = audit;
        this.json = json;
        this.tokenRows = tokenRows;
    }

    public Token register(Caller caller, String symbol, String address, Integer decimals, String correlationId) {
        PolicyAdmin.requireAdmin(caller);
        String sym = symbol == null ? "" : symbol.strip();
        if (!EthFormats.isAssetSymbol(sym) || sym.equals("ETH")) {
            throw new WalletException(Kind.INVALID_REQUEST, "symbol must be 1-16 of A-Z 0-9 and not ETH");
        }
        String contract = Address.parse("address", address)
                .orElseThrow(reason -> new WalletException(Kind.INVALID_REQUEST, reason)).hex();
        if (decimals == null || decimals < 0 || decimals > MAX_DECIMALS) {
            throw new WalletException(Kind.INVALID_REQUEST, "decimals must be 0-" + MAX_DECIMALS);
        }
        long chainId = chainId();
        // a taken symbol or address is refused before the node is asked (and again by the table's keys)
        if (transactions.inTransaction(() -> tokenRows.all(chainId)).stream().anyMatch(t -> t.symbol().equals(sym)
                || t.address().equals(contract))) {
            throw taken(sym, contract, chainId);
        }
        ChainResult<BigInteger> probe = chain.node().erc20Balance(contract, ZERO_ADDRESS);
        if (probe instanceof ChainResult.Failed<BigInteger> f) {
            if (f.failure().isTransient()) {
                throw new ChainUnavailableException(f.failure().toString());
            }
            throw new WalletException(Kind.INVALID_REQUEST, "no ERC-20 contract at " + contract + " answers balanceOf "
                    + "on chain " + chainId + " (" + f.failure().message() + ")");
        }
        Instant now = Instant.now().truncatedTo(ChronoUnit.MICROS);
        return transactions.inTransaction(() -> {
            if (!tokenRows.insert(chainId, sym, contract, decimals, now)) {
                throw taken(sym, contract, chainId);
            }
            audit.appendInTransaction(caller.actor(), "TOKEN_REGISTERED", AuditPayload.of(json, "chainId", chainId,
                    "symbol", sym, "address", contract, "decimals", decimals, "correlationId", correlationId));
            return new Token(chainId, sym, contract, decimals, now);
        });
    }

    public List<Token> list(Caller caller) {
        if (caller.bankRoles().stream().noneMatch(PolicyAdmin.READERS::contains)) {
            throw new WalletException(Kind.FORBIDDEN, "The token registry is for ADMIN, COMPLIANCE and OPERATOR.");
        }
        if (!chain.configured()) {
            return List.of();
        }
        long chainId = chainId();
        return transactions.inTransaction(() -> tokenRows.all(chainId));
    }

    private static WalletException taken(String symbol, String contract, long chainId) {
        return new WalletException(Kind.CONFLICT, "The symbol " + symbol + " or the address " + contract
                + " is already registered on chain " + chainId + ".");
    }

    private long chainId() {
        if (!chain.configured()) {
            throw new WalletException(Kind.CONFLICT, "No Ethereum node is configured (ETH_RPC_URL); tokens are "
                    + "registered per chain.");
        }
        try {
            return chain.chainId();
        } catch (IllegalStateException e) {
            throw new ChainUnavailableException(e.getMessage().toLowerCase(Locale.ROOT));
        }
    }

}
