package org.mpcwallet.bank.pipeline.transfer.app;

import jakarta.inject.Singleton;
import java.util.List;
import java.util.UUID;
import org.mpcwallet.bank.mpc.port.TransferControls;
import org.mpcwallet.bank.pipeline.transfer.persistence.SweepRepository;
import org.mpcwallet.bank.pipeline.transfer.persistence.TxRequestRepository;
import org.mpcwallet.signer.permit.SigningPermit;

/**
 * The pipeline's answer to the channel's {@link TransferControls} port: a transfer's sign request may be co-signed
 * only while the transfer is SIGN_PENDING on exactly that sign request; its KYT verdict, policy result and approvals
 * go into the permit's controls snapshot.
 */
@Singleton
public class PipelineTransferControls implements TransferControls {
    private final TxRequestRepository requests;
    private final SweepRepository sweeps;

    public PipelineTransferControls(TxRequestRepository requests, SweepRepository sweeps) {
        this.requests = requests;
        this.sweeps = sweeps;
    }

    @Override
    public Answer forSignRequest(UUID signRequestId) {
        var snapshot = requests.controlsOf(signRequestId);
        if (snapshot.isEmpty()) {
            return new Answer.NotATransfer();
        }
        TxRequestRepository.ControlsSnapshot s = snapshot.get();
        if (!"SIGN_PENDING".equals(s.status()) || !signRequestId.equals(s.signRequestId())) {
            return new Answer.WrongState("the transaction request is " + s.status()
                    + "; this sign request is not the one it waits for");
        }
        return new Answer.Ready(List.of(new SigningPermit.Control("tx-request", s.txRequestId().toString()),
                new SigningPermit.Control("kyt", String.valueOf(s.kytVerdict())),
                new SigningPermit.Control("policy", String.valueOf(s.policyResult())),
                new SigningPermit.Control("approvals", s.approvals() + "/" + s.requiredApprovals())));
    }

    @Override
    public boolean isSweep(UUID signRequestId) {
        return sweeps.isSweepSignRequest(signRequestId);
    }
}
