package org.mpcwallet.signer.spi;

/** A keyset's current sealed share: its epoch and the MPCS v1 blob. */
public record StoredShare(int epoch, byte[] blob) {
    public StoredShare {
        if (blob == null) {
            throw new IllegalArgumentException("blob required");
        }
        blob = blob.clone();
    }

    @Override
    public byte[] blob() {
        return blob.clone();
    }
}
