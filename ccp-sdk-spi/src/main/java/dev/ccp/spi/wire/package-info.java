/**
 * The JSON shapes of the HTTP API as records. Field names are the wire names (snake_case where the
 * OAuth RFCs fix them); unknown fields are ignored when reading so that older clients keep working
 * against newer servers.
 */
package dev.ccp.spi.wire;
