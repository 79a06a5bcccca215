/**
 * Test doubles shared by the SDK's and the CLI's tests through the SDK test-jar: a fake CCP server on
 * the JDK's HTTP server, a clock moved by hand, and a sleeper that advances that clock instead of
 * waiting, so no test ever sleeps.
 */
package dev.ccp.sdk.testing;
