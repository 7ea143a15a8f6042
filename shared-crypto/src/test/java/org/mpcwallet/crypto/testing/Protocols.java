package org.mpcwallet.crypto.testing;

import org.mpcwallet.crypto.core.Party;
import org.mpcwallet.crypto.ec.EcdsaSignature;
import org.mpcwallet.crypto.protocol.Env;
import org.mpcwallet.crypto.protocol.P1KeyShare;
import org.mpcwallet.crypto.protocol.P2KeyShare;
import org.mpcwallet.crypto.protocol.keygen.KeygenP1;
import org.mpcwallet.crypto.protocol.keygen.KeygenP2;
import org.mpcwallet.crypto.protocol.refresh.RefreshP1;
import org.mpcwallet.crypto.protocol.refresh.RefreshP2;
import org.mpcwallet.crypto.protocol.sign.P1KeyHolder;
import org.mpcwallet.crypto.protocol.sign.P1Presignature;
import org.mpcwallet.crypto.protocol.sign.P2Presignature;
import org.mpcwallet.crypto.protocol.sign.PresignP1;
import org.mpcwallet.crypto.protocol.sign.PresignP2;
import org.mpcwallet.crypto.protocol.sign.SignP1;
import org.mpcwallet.crypto.protocol.sign.SignP2;
import org.mpcwallet.crypto.testing.TwoPartyNetwork.Endpoint;
import org.mpcwallet.crypto.testing.TwoPartyNetwork.Hook;

/** Drives whole protocol runs over {@link TwoPartyNetwork}. */
public final class Protocols {
    private Protocols() {}

    /** Both endpoints and the run, after it ended. */
    public record Outcome<R1, R2>(Endpoint<?, R1> p1, Endpoint<?, R2> p2, TwoPartyNetwork.Run run) {}

    public static Outcome<P1KeyShare, P2KeyShare> keygen(byte[] sid, Env env1, Env env2, Hook hook) {
        Endpoint<KeygenP1.State, P1KeyShare> p1 =
                Endpoint.started(Party.P1, KeygenP1.start(sid, Fixtures.bankParams(), env1), (s, m) -> KeygenP1.next(s, m, env1));
        Endpoint<KeygenP2.State, P2KeyShare> p2 =
                Endpoint.waiting(Party.P2, KeygenP2.start(sid, Fixtures.deviceParams()), (s, m) -> KeygenP2.next(s, m, env2));
        return new Outcome<>(p1, p2, TwoPartyNetwork.run(p1, p2, hook));
    }

    public static Outcome<EcdsaSignature, SignP2.Sent> sign(P1KeyHolder holder, P2KeyShare share, byte[] sid,
            byte[] hash, byte[] p2Hash, Env env1, Env env2, Hook hook) {
        Endpoint<SignP1.State, EcdsaSignature> p1 = Endpoint.started(Party.P1, holder.signStart(sid, hash, env1),
                (s, m) -> holder.signNext(s, m, env1));
        Endpoint<SignP2.State, SignP2.Sent> p2 = Endpoint.waiting(Party.P2, SignP2.start(share, sid, p2Hash),
                (s, m) -> SignP2.next(s, m, env2));
        return new Outcome<>(p1, p2, TwoPartyNetwork.run(p1, p2, hook));
    }

    public static Outcome<P1Presignature, P2Presignature> presign(P1KeyHolder holder, P2KeyShare share, byte[] sid,
            Env env1, Env env2, Hook hook) {
        Endpoint<PresignP1.AwaitingNonce, P1Presignature> p1 =
                Endpoint.started(Party.P1, holder.presignStart(sid, env1), (s, m) -> holder.presignNext(s, m));
        Endpoint<PresignP2.State, P2Presignature> p2 = Endpoint.waiting(Party.P2, PresignP2.start(share, sid),
                (s, m) -> PresignP2.next(s, m, env2));
        return new Outcome<>(p1, p2, TwoPartyNetwork.run(p1, p2, hook));
    }

    public static Outcome<P1KeyShare, P2KeyShare> refresh(P1KeyShare p1Share, P2KeyShare p2Share, byte[] sid,
            Env env1, Env env2, Hook hook) {
        Endpoint<RefreshP1.State, P1KeyShare> p1 = Endpoint.started(Party.P1, RefreshP1.start(p1Share, sid, Fixtures.bankParams(), env1),
                (s, m) -> RefreshP1.next(s, m, env1));
        Endpoint<RefreshP2.State, P2KeyShare> p2 = Endpoint.waiting(Party.P2, RefreshP2.start(p2Share, sid, Fixtures.deviceParams()),
                (s, m) -> RefreshP2.next(s, m, env2));
        return new Outcome<>(p1, p2, TwoPartyNetwork.run(p1, p2, hook));
    }
}
