package org.mpcwallet.crypto.protocol.sign;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import org.junit.jupiter.api.Test;
import org.mpcwallet.crypto.core.Bytes;
import org.mpcwallet.crypto.core.FailureKind;
import org.mpcwallet.crypto.core.Party;
import org.mpcwallet.crypto.protocol.Env;
import org.mpcwallet.crypto.protocol.P1KeyShare;
import org.mpcwallet.crypto.protocol.P2KeyShare;
import org.mpcwallet.crypto.protocol.Step;
import org.mpcwallet.crypto.protocol.keygen.KeygenP1;
import org.mpcwallet.crypto.protocol.keygen.KeygenP2;
import org.mpcwallet.crypto.testing.Fixtures;
import org.mpcwallet.crypto.testing.Tamper;

/**
 * Checklist row 16: no secret reaches an output channel. The protocols are run honestly and under attack while
 * stdout/stderr are captured; every state, result, failure and message produced is rendered; none may contain a
 * share, a nonce, a mask or a Paillier prime in any usual rendering (hex either case, decimal), and nothing may be
 * printed at all.
 */
class SecretsDoNotLeakTest {
    private final List<String> rendered = new ArrayList<>();
    private final List<byte[]> wire = new ArrayList<>();

    private <S, R> Step<S, R> seen(Step<S, R> step) {
        rendered.add(String.valueOf(step));
        if (step instanceof Step.Continue<S, R> c) {
            rendered.add(String.valueOf(c.state()));
        }
        if (step instanceof Step.Done<S, R> d) {
            rendered.add(String.valueOf(d.result()));
        }
        if (step instanceof Step.Aborted<S, R> a) {
            rendered.add(a.failure().toString());
            rendered.add(a.failure().reason());
        }
        if (step.outbound() != null) {
            wire.add(step.outbound());
        }
        return step;
    }

    private static <S, R> S state(Step<S, R> s) {
        return ((Step.Continue<S, R>) s).state();
    }

    @Test
    void noSecretInAnyRenderingOrOnStdoutOrStderr() {
        PrintStream out = System.out;
        PrintStream err = System.err;
        ByteArrayOutputStream captured = new ByteArrayOutputStream();
        PrintStream capture = new PrintStream(captured, true, StandardCharsets.UTF_8);
        List<BigInteger> secrets = new ArrayList<>();
        System.setOut(capture);
        System.setErr(capture);
        try {
            byte[] sid = Fixtures.sid("leak/keygen");
            Env e1 = Fixtures.env("leak/p1");
            Env e2 = Fixtures.env("leak/p2");
            Step<KeygenP1.State, P1KeyShare> a1 = seen(KeygenP1.start(sid, Fixtures.bankParams(), e1));
            Step<KeygenP2.State, P2KeyShare> b1 = seen(KeygenP2.next(KeygenP2.start(sid, Fixtures.deviceParams()), a1.outbound(), e2));
            Step<KeygenP1.State, P1KeyShare> a2 = seen(KeygenP1.next(state(a1), b1.outbound(), e1));
            Step<KeygenP2.State, P2KeyShare> b2 = seen(KeygenP2.next(state(b1), a2.outbound(), e2));
            Step<KeygenP1.State, P1KeyShare> a3 = seen(KeygenP1.next(state(a2), b2.outbound(), e1));
            P1KeyShare p1 = ((Step.Done<KeygenP1.State, P1KeyShare>) a3).result();
            P2KeyShare p2 = ((Step.Done<KeygenP2.State, P2KeyShare>) b2).result();
            secrets.add(p1.x1());
            secrets.add(p2.x2());
            secrets.add(p1.paillier().p());
            secrets.add(p1.paillier().q());
            secrets.add(p1.paillier().phi());
            rendered.add(p1.toString());
            rendered.add(p2.toString());
            rendered.add(p1.paillier().toString());

            // presign + online, honest and with a tampered ciphertext (the key-lock path)
            P1KeyHolder holder = new P1KeyHolder(p1);
            for (int i = 0; i < 3; i++) {
                byte[] psid = Fixtures.sid("leak/pre" + i);
                Step<PresignP1.AwaitingNonce, P1Presignature> c1 = seen(holder.presignStart(psid, e1));
                Step<PresignP2.State, P2Presignature> d1 = seen(PresignP2.next(PresignP2.start(p2, psid), c1.outbound(), e2));
                Step<PresignP1.AwaitingNonce, P1Presignature> c2 = seen(holder.presignNext(state(c1), d1.outbound()));
                Step<PresignP2.State, P2Presignature> d2 = seen(PresignP2.next(state(d1), c2.outbound(), e2));
                P1Presignature mine = ((Step.Done<PresignP1.AwaitingNonce, P1Presignature>) c2).result();
                P2Presignature theirs = ((Step.Done<PresignP2.State, P2Presignature>) d2).result();
                secrets.add(mine.k1());
                secrets.add(theirs.k2Inverse());
                secrets.add(theirs.rhoMask());
                byte[] hash = Fixtures.hash("leak" + i);
                OnlineP2.Result o1 = OnlineP2.encrypt(p2, theirs, hash, Fixtures.env("online-p2"));
                rendered.add(String.valueOf(o1));
                // 0: honest; 1: P2's message tampered (refused before decryption); 2: a bank-side fault (P1's
                // presignature with another k1) after the proof passed, which retires the key
                byte[] msg = i == 1 ? Tamper.body(o1.outbound(), b -> Tamper.flip(b, b.length - 1)) : o1.outbound();
                if (i == 2) {
                    holder.addPresignature(new P1Presignature(mine.id(), mine.keyFingerprint(),
                            mine.k1().add(java.math.BigInteger.ONE), mine.bigR(), mine.r2()));
                }
                Step<Void, ?> fin = seen(holder.online(theirs.idHex(), hash, msg, e1));
                if (i == 1) {
                    assertEquals(FailureKind.PROOF_INVALID, ((Step.Aborted<?, ?>) fin).failure().kind());
                }
                if (i == 2) {
                    assertEquals(FailureKind.KEY_COMPROMISE_RISK, ((Step.Aborted<?, ?>) fin).failure().kind());
                }
            }
            rendered.add(holder.toString());
            rendered.add(String.valueOf(holder.lockCause()));
            // a locked key's refusal
            seen(holder.signStart(Fixtures.sid("leak/locked"), Fixtures.hash("x"), e1));
            // malformed input at each party
            seen(KeygenP2.next(KeygenP2.start(sid, Fixtures.deviceParams()), new byte[] {1, 2, 3}, e2));
            seen(KeygenP1.next(state(KeygenP1.start(Fixtures.sid("leak/k2"), Fixtures.bankParams(), e1)), Tamper.body(b1.outbound(),
                    b -> Tamper.flip(b, 20)), e1));
        } finally {
            System.setOut(out);
            System.setErr(err);
        }
        assertEquals("", captured.toString(StandardCharsets.UTF_8), "protocol code must print nothing");
        assertFalse(rendered.isEmpty());
        String all = String.join("\n", rendered);
        for (BigInteger s : secrets) {
            for (String form : forms(s)) {
                assertFalse(all.contains(form), "a secret appears in a rendered state, result or failure");
            }
            byte[] raw = Bytes.unsigned(s);
            if (raw.length >= 16) {
                for (byte[] m : wire) {
                    assertFalse(Bytes.toHex(m).contains(Bytes.toHex(raw)), "a secret appears in a message");
                }
            }
        }
        assertNull(null);
    }

    private static List<String> forms(BigInteger s) {
        List<String> f = new ArrayList<>();
        String hex = s.toString(16);
        if (hex.length() >= 16) {
            f.add(hex);
            f.add(hex.toUpperCase(Locale.ROOT));
            f.add(s.toString());
            f.add(Bytes.toHex(Bytes.fixedWidth(s, Math.max(32, (s.bitLength() + 7) / 8))));
        }
        return f;
    }

    @Test
    void partyIsNamedButNeverAValueInFailures() {
        // a failure names the culprit and the check, e.g. for a bad point: nothing of the point's bytes
        Step<KeygenP2.State, P2KeyShare> s = KeygenP2.next(KeygenP2.start(Fixtures.sid("leak/p"), Fixtures.deviceParams()),
                new byte[] {9, 9, 9}, Fixtures.env("x"));
        String text = ((Step.Aborted<?, ?>) s).failure().toString();
        assertFalse(text.contains("090909"));
        assertEquals(Party.P1, ((Step.Aborted<?, ?>) s).failure().culprit());
    }
}
