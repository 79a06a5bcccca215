/**
 * Billing: Polar (first) and Stripe (the alternative) turned into license state. Verified,
 * deduplicated webhooks and reconciliation against the provider's API feed subscription snapshots;
 * the newest snapshot of each subscription, by the provider's own clock, decides the org's plan,
 * its grace and its end, so the order deliveries arrive in never matters.
 */
package dev.ccp.server.billing;
