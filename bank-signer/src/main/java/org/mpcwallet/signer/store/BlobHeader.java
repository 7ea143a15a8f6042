package org.mpcwallet.signer.store;

/**
 * The public header of a share blob, read without a KEK and <em>not authenticated</em>: for routing and operator
 * diagnostics only (which KEK and epoch a stored blob needs). Never trust it for a security decision; {@link
 * EncryptedShareStore#open} authenticates it.
 */
public record BlobHeader(int version, String keysetId, long epoch, String kekId) {}
