package org.mpcwallet.signer;

import org.mpcwallet.crypto.core.Bytes;
import org.mpcwallet.crypto.eth.Erc20;
import org.mpcwallet.crypto.eth.Erc20Transfer;
import org.mpcwallet.crypto.eth.EthTransaction;
import org.mpcwallet.signer.permit.SigningPermit;
import org.mpcwallet.signer.spi.SweepAuthorization;

/**
 * Whether a permit may be signed by a locked key (docs/key-rotation.md): only a sweep, that is a transaction whose
 * value reaches the stored sweep target and nothing else, decoded here from the permit's own signing payload (the
 * verifier already checked that its hash is the one signed). ETH: {@code to} is the target and there is no call data.
 * A token: an ERC-20 {@code transfer(target, amount)} carrying no ETH. Pure.
 */
final class SweepCheck {
    private SweepCheck() {}

    /** Null if {@code permit} is a sweep {@code sweep} allows now, else why not (no secrets). */
    static String refusal(SweepAuthorization sweep, SigningPermit permit) {
        if (sweep == null) {
            return "key is retired after a failed signature; an operator must rotate it (new key, sweep)";
        }
        if (sweep.retired() || sweep.left() == 0) {
            return "key is retired for good: its sweep is done and nothing is signed with it again";
        }
        EthTransaction tx;
        try {
            tx = EthTransaction.decodeSigningPayload(permit.signingPayload());
        } catch (IllegalArgumentException e) {
            return "a locked key signs only its sweep, and the permit's transaction does not decode";
        }
        byte[] data = tx.data();
        String payee;
        if (data.length == 0) {
            payee = hex(tx.to().bytes());
        } else {
            Erc20Transfer t;
            try {
                t = Erc20.decodeTransfer(data);
            } catch (IllegalArgumentException e) {
                return "a locked key signs only its sweep: this transaction calls a contract with something other "
                        + "than an ERC-20 transfer";
            }
            if (tx.value().signum() != 0) {
                return "a locked key signs only its sweep: a token sweep carries no ETH";
            }
            payee = hex(t.to().bytes());
        }
        if (!payee.equals(sweep.to())) {
            return "a locked key signs only its sweep to " + sweep.to() + "; this transaction pays " + payee;
        }
        return null;
    }

    private static String hex(byte[] address) {
        return "0x" + Bytes.toHex(address);
    }
}
