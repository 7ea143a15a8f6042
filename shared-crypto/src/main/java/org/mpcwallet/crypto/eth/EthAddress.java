package org.mpcwallet.crypto.eth;

import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import org.mpcwallet.crypto.core.Bytes;
import org.mpcwallet.crypto.ec.Secp256k1;
import org.mpcwallet.crypto.hash.Keccak256;

/**
 * A 20-byte Ethereum account address (Yellow Paper, section 7: the rightmost 160 bits of the Keccak-256 hash of the
 * public key), printed and parsed with the EIP-55 mixed-case checksum (https://eips.ethereum.org/EIPS/eip-55).
 * Immutable: the constructor and {@link #bytes()} copy.
 */
public record EthAddress(byte[] bytes) {
    public static final int LENGTH = 20;

    private static final BigInteger SEVEN = BigInteger.valueOf(7);

    public EthAddress {
        if (bytes == null || bytes.length != LENGTH) {
            throw new IllegalArgumentException("an Ethereum address is exactly 20 bytes");
        }
        bytes = bytes.clone();
    }

    /** Copy of the 20 address bytes. */
    @Override
    public byte[] bytes() {
        return bytes.clone();
    }

    /**
     * Address of an uncompressed secp256k1 public key {@code 0x04 || X || Y} (65 bytes): the last 20 bytes of
     * Keccak-256(X || Y). The point must lie on the curve (a bad key would give an address nobody controls).
     */
    public static EthAddress fromPublicKey(byte[] uncompressedPublicKey) {
        if (uncompressedPublicKey == null || uncompressedPublicKey.length != 65) {
            throw new IllegalArgumentException("public key must be 65 bytes: 0x04 || X || Y");
        }
        byte[] key = uncompressedPublicKey.clone();
        if (key[0] != 0x04) {
            throw new IllegalArgumentException("public key must be uncompressed (first byte 0x04)");
        }
        byte[] xy = Arrays.copyOfRange(key, 1, 65);
        BigInteger x = new BigInteger(1, Arrays.copyOfRange(xy, 0, 32));
        BigInteger y = new BigInteger(1, Arrays.copyOfRange(xy, 32, 64));
        BigInteger p = Secp256k1.P;
        if (x.compareTo(p) >= 0 || y.compareTo(p) >= 0
                || !y.multiply(y).subtract(x.pow(3)).subtract(SEVEN).mod(p).equals(BigInteger.ZERO)) {
            throw new IllegalArgumentException("public key is not a point on secp256k1");
        }
        byte[] hash = Keccak256.hash(xy);
        return new EthAddress(Arrays.copyOfRange(hash, 12, 32));
    }

    /**
     * Strict parser: {@code "0x"} followed by exactly 40 ASCII hex digits. An all-lowercase or all-uppercase string
     * is accepted as is (EIP-55: not checksummed); a mixed-case string must carry a correct EIP-55 checksum.
     */
    public static EthAddress parse(String text) {
        if (text == null) {
            throw new IllegalArgumentException("address must not be null");
        }
        if (text.length() != 42 || text.charAt(0) != '0' || text.charAt(1) != 'x') {
            throw new IllegalArgumentException("address must be \"0x\" followed by 40 hex digits");
        }
        byte[] out = new byte[LENGTH];
        boolean lower = false;
        boolean upper = false;
        for (int i = 0; i < 40; i++) {
            char c = text.charAt(2 + i);
            int v;
            if (c >= '0' && c <= '9') {
                v = c - '0';
            } else if (c >= 'a' && c <= 'f') {
                v = c - 'a' + 10;
                lower = true;
            } else if (c >= 'A' && c <= 'F') {
                v = c - 'A' + 10;
                upper = true;
            } else {
                throw new IllegalArgumentException("address has a non-hex character at position " + (2 + i));
            }
            out[i / 2] |= (byte) ((i % 2 == 0) ? v << 4 : v);
        }
        EthAddress address = new EthAddress(out);
        if (lower && upper && !address.toChecksumHex().equals(text)) {
            throw new IllegalArgumentException("address has mixed case but an invalid EIP-55 checksum");
        }
        return address;
    }

    /** {@code "0x"} and 40 lowercase hex digits. */
    public String toLowerHex() {
        return "0x" + Bytes.toHex(bytes);
    }

    /**
     * EIP-55 form: hex digit {@code i} is a capital letter iff it is a letter and nibble {@code i} of
     * Keccak-256(lowercase hex as ASCII) is at least 8.
     */
    public String toChecksumHex() {
        String hex = Bytes.toHex(bytes);
        byte[] hash = Keccak256.hash(hex.getBytes(StandardCharsets.US_ASCII));
        char[] out = new char[42];
        out[0] = '0';
        out[1] = 'x';
        for (int i = 0; i < 40; i++) {
            char c = hex.charAt(i);
            int nibble = (hash[i / 2] >> ((i % 2 == 0) ? 4 : 0)) & 0xf;
            out[2 + i] = (c >= 'a' && nibble >= 8) ? (char) (c - 'a' + 'A') : c;
        }
        return new String(out);
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof EthAddress other && Arrays.equals(bytes, other.bytes);
    }

    @Override
    public int hashCode() {
        return Arrays.hashCode(bytes);
    }

    /** The EIP-55 checksummed form. */
    @Override
    public String toString() {
        return toChecksumHex();
    }
}
