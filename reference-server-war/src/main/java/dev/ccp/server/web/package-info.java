/**
 * Browser sessions for the server's own pages (the dashboards): a person signs in through the same
 * identity provider as the device flow and gets an HttpOnly session cookie for one org.
 */
package dev.ccp.server.web;
