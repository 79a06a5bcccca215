/**
 * The Slack app: installed per Slack workspace through OAuth v2 and connected to one org, Slack users
 * linked to CCP accounts by signing in on the web, the {@code /ccp} slash command, one message per
 * run kept current in its channel, and Approve and Reject buttons that decide through the runs
 * feature. Every request is verified (v0 signature, timestamp, replay on any node) before it is read.
 */
package dev.ccp.server.slack;
