package org.mpcwallet.bank.chain;

import java.io.ByteArrayOutputStream;
import java.math.BigInteger;
import java.util.HashMap;
import java.util.Map;
import org.web3j.utils.Numeric;

/**
 * A minimal ERC-20 token for tests, assembled here from EVM opcodes (no Solidity compiler, no opaque hex blob):
 * enough of EIP-20 for a custody test, and every byte explained below.
 *
 * <ul>
 *   <li>Creation: the deployer's balance is {@link #SUPPLY}; emits {@code Transfer(0, deployer, SUPPLY)}; returns
 *       the runtime code.</li>
 *   <li>{@code balanceOf(address)} ({@code 0x70a08231}): returns the holder's balance.</li>
 *   <li>{@code transfer(address,uint256)} ({@code 0xa9059cbb}): reverts if the sender's balance is below the amount,
 *       else moves it and emits {@code Transfer(sender, to, amount)}; returns {@code true}.</li>
 *   <li>Anything else reverts. No {@code approve}/{@code transferFrom}/{@code totalSupply}: not needed here.</li>
 * </ul>
 *
 * <p>Storage layout: the balance of address {@code a} is in slot {@code uint160(a)} (Solidity would hash the key;
 * with one mapping and no other storage a plain key cannot collide). The receiver's new balance cannot overflow:
 * all balances sum to {@link #SUPPLY} &lt; 2^256.
 */
public final class MiniErc20 {
    /** 1,000,000 tokens of 18 decimals. */
    public static final BigInteger SUPPLY = BigInteger.TEN.pow(24);
    private static final String ADDRESS_MASK = "ffffffffffffffffffffffffffffffffffffffff";

    private MiniErc20() {
    }

    /** Creation code (0x-hex) for a contract-creation transaction. */
    public static String creationCode() {
        byte[] runtime = runtime();
        // The constructor has a fixed length (all pushes have fixed widths), so assemble it once to learn where
        // the runtime code starts, then again with that offset.
        int constructorLength = constructor(runtime.length, 0).length;
        byte[] constructor = constructor(runtime.length, constructorLength);
        if (constructor.length != constructorLength) {
            throw new AssertionError("constructor length changed");
        }
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        out.writeBytes(constructor);
        out.writeBytes(runtime);
        return Numeric.toHexString(out.toByteArray());
    }

    private static byte[] constructor(int runtimeLength, int runtimeOffset) {
        Asm a = new Asm();
        a.push(32, SUPPLY);                                 // [supply]
        a.op(Op.DUP1).op(Op.CALLER).op(Op.SSTORE);          // balance[caller] = supply; [supply]
        a.push(1, 0).op(Op.MSTORE);                         // mem[0..32] = supply; []
        a.op(Op.CALLER).push(1, 0).push(32, topic());       // [to=caller, from=0, topic0]
        a.push(1, 32).push(1, 0).op(Op.LOG3);               // LOG3(mem 0, 32 bytes, topic0, from, to)
        a.push(2, runtimeLength).op(Op.DUP1);               // [len, len]
        a.push(2, runtimeOffset).push(1, 0).op(Op.CODECOPY); // mem[0..len] = code[offset..offset+len]; [len]
        a.push(1, 0).op(Op.RETURN);                         // return mem[0..len]: the runtime code
        return a.assemble();
    }

    private static byte[] runtime() {
        Asm a = new Asm();
        a.push(1, 0).op(Op.CALLDATALOAD).push(1, 0xe0).op(Op.SHR);        // [selector]
        a.op(Op.DUP1).push(4, 0x70a08231L).op(Op.EQ).pushLabel("balanceOf").op(Op.JUMPI);
        a.op(Op.DUP1).push(4, 0xa9059cbbL).op(Op.EQ).pushLabel("transfer").op(Op.JUMPI);
        a.pushLabel("fail").op(Op.JUMP);

        a.label("balanceOf").op(Op.POP);                                  // []
        a.push(1, 4).op(Op.CALLDATALOAD).push(20, new BigInteger(ADDRESS_MASK, 16)).op(Op.AND); // [holder]
        a.op(Op.SLOAD).push(1, 0).op(Op.MSTORE);                          // mem[0] = balance
        a.push(1, 32).push(1, 0).op(Op.RETURN);

        a.label("transfer").op(Op.POP);                                   // []
        a.push(1, 0x24).op(Op.CALLDATALOAD);                              // [amount]
        a.op(Op.CALLER).op(Op.SLOAD);                                     // [amount, bal]
        a.op(Op.DUP2).op(Op.DUP2).op(Op.LT).pushLabel("fail").op(Op.JUMPI); // revert if bal < amount
        a.op(Op.DUP2).op(Op.SWAP1).op(Op.SUB);                            // [amount, bal - amount]
        a.op(Op.CALLER).op(Op.SSTORE);                                    // balance[caller] -= amount; [amount]
        a.push(1, 4).op(Op.CALLDATALOAD).push(20, new BigInteger(ADDRESS_MASK, 16)).op(Op.AND); // [amount, to]
        a.op(Op.DUP1).op(Op.SLOAD).op(Op.DUP3).op(Op.ADD);                // [amount, to, toBal + amount]
        a.op(Op.DUP2).op(Op.SSTORE);                                      // balance[to] += amount; [amount, to]
        a.op(Op.DUP2).push(1, 0).op(Op.MSTORE);                           // mem[0] = amount
        a.op(Op.CALLER).push(32, topic()).push(1, 32).push(1, 0).op(Op.LOG3); // Transfer(caller, to, amount)
        a.op(Op.POP);                                                     // []
        a.push(1, 1).push(1, 0).op(Op.MSTORE).push(1, 32).push(1, 0).op(Op.RETURN); // return true

        a.label("fail").push(1, 0).op(Op.DUP1).op(Op.REVERT);
        return a.assemble();
    }

    private static BigInteger topic() {
        return Numeric.toBigInt(EthNode.TRANSFER_TOPIC);
    }

    /** The opcodes used (Yellow Paper, Appendix H). */
    enum Op {
        STOP(0x00), ADD(0x01), SUB(0x03), LT(0x10), EQ(0x14), ISZERO(0x15), AND(0x16), SHR(0x1c), CALLER(0x33),
        CALLVALUE(0x34), CALLDATALOAD(0x35), CODECOPY(0x39), POP(0x50), MSTORE(0x52), SLOAD(0x54), SSTORE(0x55),
        JUMP(0x56), JUMPI(0x57), GAS(0x5a), JUMPDEST(0x5b), DUP1(0x80), DUP2(0x81), DUP3(0x82), SWAP1(0x90),
        LOG3(0xa3), CALL(0xf1), RETURN(0xf3), REVERT(0xfd);

        final int code;

        Op(int code) {
            this.code = code;
        }
    }

    /** A one-pass assembler: labels are JUMPDESTs, label references are PUSH2 patched at the end. */
    static final class Asm {
        private final ByteArrayOutputStream code = new ByteArrayOutputStream();
        private final Map<String, Integer> labels = new HashMap<>();
        private final Map<Integer, String> fixups = new HashMap<>();

        Asm op(Op op) {
            code.write(op.code);
            return this;
        }

        /** PUSH{width} value (big-endian, left-padded). */
        Asm push(int width, long value) {
            return push(width, BigInteger.valueOf(value));
        }

        Asm push(int width, BigInteger value) {
            if (width < 1 || width > 32 || value.signum() < 0 || value.bitLength() > 8 * width) {
                throw new IllegalArgumentException("PUSH" + width + " " + value);
            }
            code.write(0x5f + width);
            code.writeBytes(Numeric.toBytesPadded(value, width));
            return this;
        }

        Asm pushLabel(String label) {
            code.write(0x61); // PUSH2
            fixups.put(code.size(), label);
            code.writeBytes(new byte[2]);
            return this;
        }

        Asm label(String label) {
            if (labels.putIfAbsent(label, code.size()) != null) {
                throw new IllegalArgumentException("duplicate label " + label);
            }
            return op(Op.JUMPDEST);
        }

        byte[] assemble() {
            byte[] out = code.toByteArray();
            fixups.forEach((at, label) -> {
                Integer target = labels.get(label);
                if (target == null) {
                    throw new IllegalStateException("undefined label " + label);
                }
                out[at] = (byte) (target >>> 8);
                out[at + 1] = (byte) (int) target;
            });
            return out;
        }
    }
}
