package org.mpcwallet.crypto.protocol;

import org.mpcwallet.crypto.core.ProtocolFailure;

/**
 * The outcome of one state-machine transition (docs/protocol.md §8): continue with a new state and an outbound
 * message, finish with a result (and possibly a last outbound message), or abort with a failure value.
 *
 * @param <S> the party's state type
 * @param <R> the party's result type
 */
public sealed interface Step<S, R> permits Step.Continue, Step.Done, Step.Aborted {

    /** The encoded envelope to send, or null. */
    byte[] outbound();

    /** Next state; {@code outbound} is the encoded envelope to send (never null). */
    record Continue<S, R>(S state, byte[] outbound) implements Step<S, R> {
        public Continue {
            if (state == null || outbound == null) {
                throw new IllegalArgumentException("continue needs a state and a message");
            }
        }
    }

    /** Finished with {@code result}; {@code outbound} is a last message to send, or null. */
    record Done<S, R>(R result, byte[] outbound) implements Step<S, R> {
        public Done {
            if (result == null) {
                throw new IllegalArgumentException("done needs a result");
            }
        }
    }

    /** Aborted: the session is over, nothing is sent, the failure says why. */
    record Aborted<S, R>(ProtocolFailure failure) implements Step<S, R> {
        public Aborted {
            if (failure == null) {
                throw new IllegalArgumentException("abort needs a failure");
            }
        }

        @Override
        public byte[] outbound() {
            return null;
        }
    }
}
