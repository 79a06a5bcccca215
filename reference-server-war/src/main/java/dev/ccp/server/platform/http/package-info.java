/**
 * HTTP at the edge of every feature: problem+json errors for everything a client can get wrong,
 * the filters that guard bodies, headers and caching, JSON, the operator's bearer check and the
 * OpenAPI document.
 */
package dev.ccp.server.platform.http;
