package org.mpcwallet.bank.audit.persistence;

import io.micronaut.data.annotation.Id;
import io.micronaut.data.annotation.MappedEntity;

/**
 * The one row of {@code audit_head} (V1, {@code id} = 1): the chain's head, its sequence number and hash (32 bytes;
 * seq 0 and all zero for an empty log). Every writer locks it.
 */
@MappedEntity("audit_head")
public record AuditHeadRow(@Id short id, long seq, byte[] hash) {
}
