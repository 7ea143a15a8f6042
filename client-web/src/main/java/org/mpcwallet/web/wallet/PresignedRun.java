package org.mpcwallet.web.wallet;

import java.util.List;
import java.util.function.Function;
import org.mpcwallet.crypto.channel.Frame;
import org.mpcwallet.crypto.channel.FrameCodec;
import org.mpcwallet.crypto.device.DeviceSession;
import org.mpcwallet.crypto.device.OnlineSignDriver;
import org.mpcwallet.crypto.device.SessionFailure;

/**
 * A {@code presign} or {@code online} session (docs/presign-online.md): shared-crypto's {@link OnlineSignDriver}
 * exists only once the bank named the session, so this waits for the bank's {@code started} of the expected kind,
 * makes the driver from it and opens it (for online signing: O1, which leaves with the reaction to
 * {@code started}), then hands every frame to the driver. An {@code error} before {@code started} (a refusal) ends
 * it with the bank's code, as {@link DeviceSession} does.
 */
final class PresignedRun<R> implements Run {
    private final String kind;
    private final Function<Frame.Started, OnlineSignDriver<R>> make;
    private final List<String> labels;
    private OnlineSignDriver<R> driver;
    private boolean finished;
    private boolean over;

    PresignedRun(String kind, List<String> labels, Function<Frame.Started, OnlineSignDriver<R>> make) {
        this.kind = kind;
        this.labels = labels;
        this.make = make;
    }

    @Override
    public DeviceSession.Reaction<?> onFrame(String text) {
        if (driver != null) {
            DeviceSession.Reaction<R> r = driver.onFrame(text);
            finished = r.result() != null;
            over = r.finished();
            return r;
        }
        if (over) {
            return failed("UNKNOWN_SESSION", "the session is already over");
        }
        FrameCodec.Decoded<Frame.FromBank> decoded = FrameCodec.decodeFromBank(text);
        if (decoded instanceof FrameCodec.Decoded.Refused<Frame.FromBank> r) {
            return failed(r.code(), "the bank sent a malformed frame: " + r.detail());
        }
        Frame.FromBank f = ((FrameCodec.Decoded.Ok<Frame.FromBank>) decoded).frame();
        if (f instanceof Frame.Cosign || f instanceof Frame.Pong) {
            return new DeviceSession.Reaction<>(List.of(), null, null);
        }
        if (f instanceof Frame.Error e) {
            return failed(e.code(), e.detail());
        }
        if (!(f instanceof Frame.Started s)) {
            return failed("OUT_OF_ORDER", "expected 'started' first, got " + f.getClass().getSimpleName());
        }
        if (!kind.equals(s.kind())) {
            return failed("BAD_FRAME", "the bank started a " + s.kind() + " session, not " + kind);
        }
        try {
            driver = make.apply(s);
        } catch (IllegalArgumentException e) {
            return failed("BAD_FRAME", "the bank's 'started' does not fit this session: " + e.getMessage());
        }
        DeviceSession.Reaction<R> r = driver.open();
        over = r.finished();
        return r;
    }

    @Override
    public DeviceSession.Progress progress() {
        int last = labels.size() - 1;
        int step = finished ? last : driver == null ? 0 : Math.min(last - 1, 1);
        return new DeviceSession.Progress(step, last, labels.get(step));
    }

    @Override
    public List<String> abandon() {
        boolean wasOver = over || (driver != null && driver.isOver());
        over = true;
        return driver == null || wasOver ? List.of() : driver.abandon();
    }

    private DeviceSession.Reaction<R> failed(String code, String detail) {
        over = true;
        return new DeviceSession.Reaction<>(List.of(), null, new SessionFailure(code, detail));
    }
}
