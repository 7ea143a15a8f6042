package org.mpcwallet.bank.wallet.api;

import static org.mpcwallet.bank.web.ApiCalls.call;
import static org.mpcwallet.bank.web.ApiCalls.caller;

import io.micronaut.core.annotation.Nullable;
import io.micronaut.http.HttpResponse;
import io.micronaut.http.annotation.Body;
import io.micronaut.http.annotation.Controller;
import io.micronaut.http.annotation.Delete;
import io.micronaut.http.annotation.Get;
import io.micronaut.http.annotation.PathVariable;
import io.micronaut.http.annotation.Put;
import io.micronaut.scheduling.TaskExecutors;
import io.micronaut.scheduling.annotation.ExecuteOn;
import io.micronaut.security.annotation.Secured;
import io.micronaut.security.authentication.Authentication;
import io.micronaut.security.rules.SecurityRule;
import io.micronaut.serde.annotation.Serdeable;
import org.mpcwallet.bank.wallet.app.DeviceBackups;

/**
 * {@code /v1/wallets/{id}/device-backup} (docs/client-web.md "The bank's copy"): the OWNER's device share sealed
 * under a recovery code only they hold. {@code PUT {"envelope" (base64 share vault v1), "keyEpoch", "sealedWith":
 * "recovery-code"}} stores or replaces it, {@code GET} returns it with {@code current} (false once the key was
 * refreshed since), {@code DELETE} removes it.
 */
@io.swagger.v3.oas.annotations.tags.Tag(name = "Wallets", description = "Wallets, their keys, roles, balances, deposits and device backups.")
@org.mpcwallet.bank.web.openapi.ProblemResponses
@Controller("/v1/wallets/{id}/device-backup")
@Secured(SecurityRule.IS_AUTHENTICATED)
@ExecuteOn(TaskExecutors.BLOCKING)
class DeviceBackupController {

    @Serdeable
    record StoreRequest(@Nullable String envelope, @Nullable Long keyEpoch, @Nullable String sealedWith) {
        @Override
        public String toString() {
            return "StoreRequest[keyEpoch=" + keyEpoch + ", sealedWith=" + sealedWith + "]";
        }
    }

    @Serdeable
    record CopyResponse(String walletId, @Nullable String envelope, String sealedWith, long keyEpoch,
                        boolean current, String storedAt) {
        static CopyResponse of(DeviceBackups.Copy c, boolean withEnvelope) {
            return new CopyResponse(c.walletId(), withEnvelope ? c.envelopeBase64() : null, c.sealedWith(),
                    c.keyEpoch(), c.current(), c.storedAt().toString());
        }

        @Override
        public String toString() {
            return "CopyResponse[" + walletId + ", keyEpoch=" + keyEpoch + "]";
        }
    }

    private final DeviceBackups copies;

    DeviceBackupController(DeviceBackups copies) {
        this.copies = copies;
    }

    @Put
    CopyResponse store(@PathVariable String id, @Body StoreRequest body, Authentication auth) {
        return CopyResponse.of(call(() -> copies.store(caller(auth), id, body.envelope(), body.keyEpoch(),
                body.sealedWith())), false);
    }

    @Get
    CopyResponse read(@PathVariable String id, Authentication auth) {
        return CopyResponse.of(call(() -> copies.read(caller(auth), id)), true);
    }

    @io.micronaut.http.annotation.Status(io.micronaut.http.HttpStatus.NO_CONTENT)
    @Delete
    HttpResponse<Void> delete(@PathVariable String id, Authentication auth) {
        call(() -> {
            copies.delete(caller(auth), id);
            return null;
        });
        return HttpResponse.noContent();
    }
}
