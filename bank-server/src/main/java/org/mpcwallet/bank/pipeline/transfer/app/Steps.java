package org.mpcwallet.bank.pipeline.transfer.app;

import java.time.Instant;
import org.mpcwallet.bank.chain.ChainResult;
import org.mpcwallet.bank.pipeline.transfer.domain.TxRequest;
import org.mpcwallet.bank.pipeline.transfer.persistence.TxRequestRepository;
import org.mpcwallet.bank.pipeline.transfer.persistence.TxRequestRepository.Change;

/** What the pipeline's steps share: waiting for a later look, node answers that must be there, clipped details. */
final class Steps {
    private Steps() {
    }

    static <T> T value(ChainResult<T> r, String what) {
        if (r instanceof ChainResult.Ok<T> ok) {
            return ok.value();
        }
        throw new IllegalStateException("the node failed on " + what + ": " + r);
    }

    static boolean later(TxRequestRepository requests, TxRequest r, String why, int seconds, Change... more) {
        Change[] changes = new Change[more.length + (why == null ? 0 : 1)];
        System.arraycopy(more, 0, changes, 0, more.length);
        if (why != null) {
            changes[more.length] = Change.lastError(clip(why));
        }
        requests.update(r, r.status(), Instant.now().plusSeconds(seconds), changes);
        return false;
    }

    static String clip(String s) {
        if (s == null) {
            return null;
        }
        String t = s.replaceAll("\\p{Cntrl}", " ");
        return t.length() > 300 ? t.substring(0, 300) : t;
    }
}
