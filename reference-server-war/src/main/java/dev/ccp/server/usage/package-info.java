/**
 * Minimized usage: idempotent ingest of hourly rollup rows, and the model health views over them
 * (JSON, CSV and a server-rendered page), which show a group only when enough distinct seats stand
 * behind it (k-safety).
 */
package dev.ccp.server.usage;
