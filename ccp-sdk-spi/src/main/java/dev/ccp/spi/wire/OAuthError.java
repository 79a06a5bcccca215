package dev.ccp.spi.wire;

import com.fasterxml.jackson.annotation.JsonProperty;

/** RFC 6749 §5.2 error response, with the RFC 8628 §3.5 device flow codes. */
public record OAuthError(
        @JsonProperty("error") String error,
        @JsonProperty("error_description") String errorDescription) {

    public static final String AUTHORIZATION_PENDING = "authorization_pending";
    public static final String SLOW_DOWN = "slow_down";
    public static final String ACCESS_DENIED = "access_denied";
    public static final String EXPIRED_TOKEN = "expired_token";
    public static final String INVALID_GRANT = "invalid_grant";
    public static final String INVALID_REQUEST = "invalid_request";
    public static final String INVALID_CLIENT = "invalid_client";
    public static final String UNSUPPORTED_GRANT_TYPE = "unsupported_grant_type";
    public static final String UNSUPPORTED_TOKEN_TYPE = "unsupported_token_type";
}
