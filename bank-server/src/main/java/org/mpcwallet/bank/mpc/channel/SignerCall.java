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

    /** P1's first presign step (S1). */
    record PresignStart(String keysetId, byte[] sid) implements SignerCall {
        public PresignStart {
            sid = sid.clone();
        }
    }

    /** Online signing: the device's O1 with the presignature and the permit the ONLINE session was opened with. */
    record Online(String keysetId, RunningSession.Online online, byte[] o1) implements SignerCall {
        public Online {
            o1 = o1.clone();
        }

        @Override
        public String toString() {
            return "Online[" + o1.length + " bytes]";
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
