package org.mpcwallet.bank.integration.persistence;

import io.micronaut.core.annotation.Nullable;
import io.micronaut.data.annotation.Id;
import io.micronaut.data.annotation.MappedEntity;
import io.micronaut.data.annotation.TypeDef;
import io.micronaut.data.model.DataType;
import java.time.Instant;
import java.util.UUID;

/** A row of {@code api_clients} (V20). */
@MappedEntity("api_clients")
public record ApiClientRow(@Id UUID id, String name, UUID userId,
                           @TypeDef(type = DataType.STRING_ARRAY) String[] allowedCidrs, UUID createdBy,
                           Instant createdAt, @Nullable Instant disabledAt) {
}
