package org.mpcwallet.signer;

import org.mpcwallet.crypto.ec.Point;

/** Public facts about a loaded keyset: its id, share epoch, joint public key Q and whether it is locked. */
public record KeysetInfo(String keysetId, int epoch, Point publicKey, boolean locked) {}
