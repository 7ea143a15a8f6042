package org.mpcwallet.bank.pipeline.token.persistence;

import io.micronaut.core.annotation.Introspected;
import io.micronaut.data.annotation.Query;
import io.micronaut.data.jdbc.annotation.JdbcRepository;
import io.micronaut.data.model.query.builder.sql.Dialect;
import io.micronaut.data.repository.GenericRepository;
import java.math.BigDecimal;
import java.time.Instant;
import java.util.List;
import java.util.Locale;
import java.util.Optional;

/**
 * Table {@code tokens}, the registry of ERC-20 contracts per chain (Micronaut Data JDBC): in the caller's Micronaut
 * transaction when there is one, else each statement commits by itself. Addresses come out lower case.
 */
@JdbcRepository(dialect = Dialect.POSTGRES)
public abstract class TokenRepository implements GenericRepository<TokenRow, BigDecimal> {

    /**
     * A registered token.
     *
     * @param chainId   the chain
     * @param symbol    1-16 of {@code A-Z 0-9}, never {@code ETH}
     * @param address   the contract, lower-case 0x-hex
     * @param decimals  0-36
     * @param createdAt when it was registered
     */
    public record Token(long chainId, String symbol, String address, int decimals, Instant createdAt) {
    }

    /** A token as the chain's list reads it (the chain is the query's). */
    @Introspected
    protected record Listed(String symbol, String address, int decimals, Instant createdAt) {
    }

    /** The tokens of one chain, by symbol. */
    public List<Token> all(long chainId) {
        return listed(BigDecimal.valueOf(chainId)).stream().map(t -> new Token(chainId, t.symbol(),
                t.address().toLowerCase(Locale.ROOT), t.decimals(), t.createdAt())).toList();
    }

    /** The contract of {@code symbol} on the chain (lower case), or empty when the symbol is not registered there. */
    public Optional<String> address(long chainId, String symbol) {
        return contract(BigDecimal.valueOf(chainId), symbol).map(a -> a.toLowerCase(Locale.ROOT));
    }

    /** Registers a token; false (nothing written) when the symbol or the address is already registered on the chain. */
    public boolean insert(long chainId, String symbol, String address, int decimals, Instant at) {
        return insertIfFree(BigDecimal.valueOf(chainId), symbol, address.toLowerCase(Locale.ROOT), decimals, at) == 1;
    }

    @Query("select symbol, address, decimals, created_at from tokens where chain_id = :chainId order by symbol")
    protected abstract List<Listed> listed(BigDecimal chainId);

    @Query("select address from tokens where chain_id = :chainId and symbol = :symbol")
    protected abstract Optional<String> contract(BigDecimal chainId, String symbol);

    @Query("insert into tokens (chain_id, symbol, address, decimals, created_at) "
            + "values (:chainId, :symbol, :address, :decimals, :at) on conflict do nothing")
    protected abstract int insertIfFree(BigDecimal chainId, String symbol, String address, int decimals, Instant at);
}
