package org.mpcwallet.bank.audit.api;

import com.fasterxml.jackson.annotation.JsonInclude;
import io.micronaut.core.annotation.Nullable;
import io.micronaut.http.annotation.Controller;
import io.micronaut.security.annotation.Secured;
import io.micronaut.http.annotation.Get;
import io.micronaut.scheduling.TaskExecutors;
import io.micronaut.scheduling.annotation.ExecuteOn;
import io.micronaut.serde.annotation.Serdeable;
import org.mpcwallet.bank.audit.app.AuditLog;
import org.mpcwallet.bank.audit.domain.ChainVerification;

/** {@code GET /v1/audit/verify}: walks the audit chain. */
@Secured({"ADMIN", "COMPLIANCE"})
@Controller("/v1/audit")
@ExecuteOn(TaskExecutors.BLOCKING)
class AuditController {

    /** {@code firstBrokenSeq} and {@code reason} are null when the chain verifies. */
    @Serdeable
    @JsonInclude(JsonInclude.Include.ALWAYS)
    record VerifyResponse(boolean ok, long count, @Nullable Long firstBrokenSeq, @Nullable String reason) {
    }

    private final AuditLog auditLog;

    AuditController(AuditLog auditLog) {
        this.auditLog = auditLog;
    }

    @Get("/verify")
    VerifyResponse verify() {
        ChainVerification v = auditLog.verify();
        return new VerifyResponse(v.ok(), v.count(), v.firstBrokenSeq(), v.reason());
    }
}
