package dev.ccp.spi.wire;

import com.fasterxml.jackson.annotation.JsonProperty;

/** {@code POST /v1/admin/policies/prod/promote}: make a {@code dev} version the next {@code prod} version. */
public record PromoteRequest(@JsonProperty("version") Long version) {
}
