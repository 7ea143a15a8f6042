package org.mpcwallet.web.wallet;

import java.util.List;
import org.mpcwallet.crypto.device.DeviceSession;

/**
 * One running session as {@link DeviceCore} drives it: a {@link DeviceSession} (keygen, SIGN, refresh) or a
 * {@link PresignedRun} (presign, online), which the shared core offers as different types.
 */
interface Run {
    DeviceSession.Reaction<?> onFrame(String text);

    DeviceSession.Progress progress();

    /** The frames that end the session at the bank (a {@code cancel}), if any. */
    List<String> abandon();

    static Run of(DeviceSession<?> s) {
        return new Run() {
            @Override
            public DeviceSession.Reaction<?> onFrame(String text) {
                return s.onFrame(text);
            }

            @Override
            public DeviceSession.Progress progress() {
                return s.progress();
            }

            @Override
            public List<String> abandon() {
                return s.abandon();
            }
        };
    }
}
