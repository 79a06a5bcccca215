/**
 * The Slack app. So far the one check every request from Slack passes before anything of it is
 * read: its v0 signature, its timestamp, and that it is seen once on any node.
 */
package dev.ccp.server.slack;
