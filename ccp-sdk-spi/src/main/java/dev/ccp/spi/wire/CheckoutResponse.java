package dev.ccp.spi.wire;

import com.fasterxml.jackson.annotation.JsonProperty;

/** The provider's checkout page for a purchase: open it in a browser to pay. */
public record CheckoutResponse(
        @JsonProperty("url") String url,
        @JsonProperty("plan") String plan,
        @JsonProperty("org") String org) {
}
