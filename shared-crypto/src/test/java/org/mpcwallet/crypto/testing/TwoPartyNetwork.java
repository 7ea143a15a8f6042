package org.mpcwallet.crypto.testing;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;
import java.util.function.BiFunction;
import org.mpcwallet.crypto.core.Party;
import org.mpcwallet.crypto.core.ProtocolFailure;
import org.mpcwallet.crypto.protocol.Envelope;
import org.mpcwallet.crypto.protocol.Step;

/**
 * In-process network for two protocol parties. Every message travels as bytes and is round-tripped through the
 * envelope codec (decode, re-encode, compare). A {@link Hook} sees each message and decides what is delivered:
 * nothing (drop), several copies (duplicate), other bytes (tamper), or earlier messages (replay, reorder).
 */
public final class TwoPartyNetwork {
    private TwoPartyNetwork() {}

    /** Decides what is delivered for the {@code index}-th message (0-based) sent by {@code from}. */
    public interface Hook {
        List<byte[]> intercept(int index, Party from, byte[] message, List<byte[]> sentSoFar);

        static Hook honest() {
            return (i, from, m, sent) -> List.of(m);
        }
    }

    /** One party: its current state and transition function, and its outcome once finished. */
    public static final class Endpoint<S, R> {
        private final Party party;
        private final BiFunction<S, byte[], Step<S, R>> next;
        private S state;
        private R result;
        private ProtocolFailure failure;
        private int deliveredAfterEnd;

        private Endpoint(Party party, S state, BiFunction<S, byte[], Step<S, R>> next) {
            this.party = party;
            this.state = state;
            this.next = next;
        }

        /** A responder waiting in {@code initial}. */
        public static <S, R> Endpoint<S, R> waiting(Party party, S initial, BiFunction<S, byte[], Step<S, R>> next) {
            return new Endpoint<>(party, initial, next);
        }

        /** An initiator that already took its first step; returns the endpoint, the first message is {@link #first}. */
        public static <S, R> Endpoint<S, R> started(Party party, Step<S, R> firstStep,
                BiFunction<S, byte[], Step<S, R>> next) {
            Endpoint<S, R> e = new Endpoint<>(party, null, next);
            e.pendingFirst = e.apply(firstStep);
            return e;
        }

        private byte[] pendingFirst;

        public byte[] first() {
            return pendingFirst;
        }

        private byte[] apply(Step<S, R> step) {
            if (step instanceof Step.Continue<S, R> c) {
                state = c.state();
                return c.outbound();
            }
            if (step instanceof Step.Done<S, R> d) {
                result = d.result();
                state = null;
                return d.outbound();
            }
            failure = ((Step.Aborted<S, R>) step).failure();
            state = null;
            return null;
        }

        byte[] receive(byte[] message) {
            if (finished()) {
                deliveredAfterEnd++;
                return null;
            }
            return apply(next.apply(state, message));
        }

        public boolean finished() {
            return result != null || failure != null;
        }

        public R result() {
            return result;
        }

        public ProtocolFailure failure() {
            return failure;
        }

        public S state() {
            return state;
        }

        public int deliveredAfterEnd() {
            return deliveredAfterEnd;
        }
    }

    /** All messages sent (before the hook), in order. */
    public record Run(List<byte[]> sent, List<Party> senders) {}

    /** Runs the exchange: P1's first message is delivered to P2, and so on, until nothing is in flight. */
    public static Run run(Endpoint<?, ?> p1, Endpoint<?, ?> p2, Hook hook) {
        List<byte[]> sent = new ArrayList<>();
        List<Party> senders = new ArrayList<>();
        Deque<Object[]> inFlight = new ArrayDeque<>();
        Endpoint<?, ?> initiator = p1.first() != null ? p1 : p2;
        if (initiator.first() == null) {
            return new Run(sent, senders); // the initiator refused to start (e.g. a locked key): nothing is sent
        }
        enqueue(initiator.first(), initiator.party, sent, senders, inFlight, hook);
        int guard = 0;
        while (!inFlight.isEmpty()) {
            if (++guard > 1000) {
                throw new AssertionError("protocol did not terminate");
            }
            Object[] d = inFlight.poll();
            Party from = (Party) d[0];
            byte[] msg = (byte[]) d[1];
            Endpoint<?, ?> to = from == Party.P1 ? p2 : p1;
            byte[] reply = to.receive(msg);
            if (reply != null) {
                enqueue(reply, to.party, sent, senders, inFlight, hook);
            }
        }
        return new Run(sent, senders);
    }

    private static void enqueue(byte[] msg, Party from, List<byte[]> sent, List<Party> senders,
            Deque<Object[]> inFlight, Hook hook) {
        assertArrayEquals(msg, Envelope.decode(msg).encode(), "every message must round-trip through the codec");
        int index = 0;
        for (Party p : senders) {
            if (p == from) {
                index++;
            }
        }
        List<byte[]> snapshot = List.copyOf(sent);
        sent.add(msg.clone());
        senders.add(from);
        for (byte[] m : hook.intercept(index, from, msg, snapshot)) {
            inFlight.add(new Object[] {from, m});
        }
    }
}
