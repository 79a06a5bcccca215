package dev.ccp.server.audit.boundary;

import dev.ccp.server.audit.control.AuditContext;
import dev.ccp.server.platform.ServerConfig;
import dev.ccp.server.platform.http.Requests;
import jakarta.inject.Inject;
import jakarta.servlet.FilterChain;
import jakarta.servlet.ServletException;
import jakarta.servlet.annotation.WebFilter;
import jakarta.servlet.http.HttpFilter;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;

/** Gives the audit log each request's client address (behind a trusted proxy, the one it names) and user agent. */
@WebFilter(filterName = "audit-context", urlPatterns = "/*", asyncSupported = true)
public class RequestContext extends HttpFilter {

    private static final long serialVersionUID = 1L;

    @Inject
    transient ServerConfig config;

    @Override
    protected void doFilter(HttpServletRequest request, HttpServletResponse response, FilterChain chain)
            throws IOException, ServletException {
        AuditContext.set(Requests.clientAddress(config, request), request.getHeader("User-Agent"));
        try {
            chain.doFilter(request, response);
        } finally {
            AuditContext.clear();
        }
    }
}
