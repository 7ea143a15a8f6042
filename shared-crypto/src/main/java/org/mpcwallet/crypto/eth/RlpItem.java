package org.mpcwallet.crypto.eth;

/**
 * One item of Ethereum's Recursive Length Prefix encoding (Ethereum Yellow Paper, Appendix B): either a byte
 * string ({@link RlpString}) or a list of items ({@link RlpList}). Encode and decode with {@link Rlp}.
 */
public sealed interface RlpItem permits RlpString, RlpList {}
