/**
 * The admin pages under {@code /admin}: an org's owners and admins see and change its members,
 * invites, audit log, policy channels and billing in the browser, without JavaScript. The pages hold
 * no rules of their own: every change goes through the same control layer as the API, and a member
 * who does not manage the org sees what members may see, or a plain refusal.
 */
package dev.ccp.server.admin;
