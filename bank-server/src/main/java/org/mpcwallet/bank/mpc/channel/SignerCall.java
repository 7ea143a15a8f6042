package org.mpcwallet.bank.mpc.channel;

/** A call the runner makes to the signer for a session; its reply comes back as {@link ChannelInput.SignerReplied}. */
public sealed interface SignerCall {

    /** P1's first keygen step for the keyset, under the session id {@code sid}. */
    record KeygenStart(String keysetId, byte[] sid) implements SignerCall {
        public KeygenStart {
            sid = sid.clone();
        }
    }

    /** P1's first refresh step. */
    record RefreshStart(String keysetId, byte[] sid) implements SignerCall {
        public RefreshStart {
            sid = sid.clone();
        }
    }

    /** P1's first signing step, admitted by a signed permit. */
    record SignStart(String keysetId, byte[] sid, byte[] permit, byte[] permitSignature) implements SignerCall {
        public SignStart {
            sid = sid.clone();
            permit = permit.clone();
            permitSignature = permitSignature.clone();
        }
    }

    /** The device's next message for the signer session behind {@code handle}. */
    record Next(String handle, byte[] payload) implements SignerCall {
        public Next {
            payload = payload.clone();
        }

        @Override
        public String toString() {
            return "Next[" + payload.length + " bytes]";
        }
    }
}
