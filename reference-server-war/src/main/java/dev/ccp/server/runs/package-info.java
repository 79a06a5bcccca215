/**
 * Runs: the steps a coding tool proposes in a git workspace, checked against the org's policy on
 * the server, decided once by a person allowed to, followed through numbered events; and the
 * runners that carry out the runs queued for a workspace. The pages that show runs are the admin
 * frame's ({@code admin.boundary.RunPagesResource}); they call {@link dev.ccp.server.runs.control.Runs}.
 */
package dev.ccp.server.runs;
