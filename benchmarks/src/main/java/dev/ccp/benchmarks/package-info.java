/**
 * JMH benchmarks. Each measures a CCP operation next to a baseline measured in the same run (a raw
 * Ed25519 verify of the same bytes), so the figures compare on any machine. See docs/benchmarks.md.
 */
package dev.ccp.benchmarks;
