package org.mpcwallet.bank.chain;

import java.io.ByteArrayOutputStream;
import org.mpcwallet.bank.chain.MiniErc20.Asm;
import org.mpcwallet.bank.chain.MiniErc20.Op;
import org.web3j.utils.Numeric;

/**
 * A contract that passes on the ether it is sent, for tests of internal (contract-made) transfers; assembled from
 * EVM opcodes like {@link MiniErc20}. Calldata: word 0 the recipient, word 1 a flag. It CALLs the recipient with
 * the whole {@code msg.value} and no data, reverts if that call failed, and then reverts anyway if the flag is
 * non-zero, so a test can make a transfer that happened inside a frame which was rolled back.
 */
public final class MiniForwarder {
    private MiniForwarder() {
    }

    /** Calldata for {@code forward(to, revertAfterwards)}. */
    public static String calldata(String to, boolean revertAfterwards) {
        return "0x" + "0".repeat(24) + Numeric.cleanHexPrefix(to).toLowerCase(java.util.Locale.ROOT)
                + "0".repeat(63) + (revertAfterwards ? "1" : "0");
    }

    /** Creation code (0x-hex) for a contract-creation transaction. */
    public static String creationCode() {
        byte[] runtime = runtime();
        int constructorLength = constructor(runtime.length, 0).length;
        byte[] constructor = constructor(runtime.length, constructorLength);
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        out.writeBytes(constructor);
        out.writeBytes(runtime);
        return Numeric.toHexString(out.toByteArray());
    }

    private static byte[] constructor(int runtimeLength, int runtimeOffset) {
        Asm a = new Asm();
        a.push(2, runtimeLength).op(Op.DUP1);                  // [len, len]
        a.push(2, runtimeOffset).push(1, 0).op(Op.CODECOPY);    // mem[0..len] = runtime; [len]
        a.push(1, 0).op(Op.RETURN);                            // return the runtime code
        return a.assemble();
    }

    private static byte[] runtime() {
        Asm a = new Asm();
        // CALL(gas, to, value, argsOffset, argsSize, retOffset, retSize): pushed last argument first
        a.push(1, 0).push(1, 0).push(1, 0).push(1, 0);         // [retSize, retOffset, argsSize, argsOffset]
        a.op(Op.CALLVALUE);                                    // [..., value]
        a.push(1, 0).op(Op.CALLDATALOAD);                      // [..., to] (CALL takes its low 160 bits)
        a.op(Op.GAS).op(Op.CALL);                              // [success]
        a.op(Op.ISZERO).pushLabel("fail").op(Op.JUMPI);        // the inner call failed: revert
        a.push(1, 32).op(Op.CALLDATALOAD).pushLabel("fail").op(Op.JUMPI); // the flag: revert after the call
        a.op(Op.STOP);
        a.label("fail").push(1, 0).op(Op.DUP1).op(Op.REVERT);
        return a.assemble();
    }
}
