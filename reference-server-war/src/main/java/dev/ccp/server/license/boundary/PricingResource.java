package dev.ccp.server.license.boundary;

import dev.ccp.server.license.control.LicenseService;
import dev.ccp.server.license.control.Plans;
import dev.ccp.server.platform.pages.Pages;
import dev.ccp.server.platform.pages.Templates;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** {@code GET /pricing}: the plans from configuration and what each includes, where every paywall points. */
@ApplicationScoped
@Path("pricing")
public class PricingResource {

    private static final Map<String, String> LABELS = new LinkedHashMap<>();

    static {
        LABELS.put("zai_offload", "Z.ai offload");
        LABELS.put("dashboards", "Dashboards");
        LABELS.put("privacy_tier", "Privacy tier");
    }

    @Inject
    LicenseService licenses;
    @Inject
    Templates templates;

    @GET
    @Produces(MediaType.TEXT_HTML)
    public Response pricing() {
        Plans plans = licenses.plans();
        List<Map<String, Object>> rows = new ArrayList<>();
        for (Plans.Plan plan : plans.all()) {
            List<Map<String, Object>> cells = new ArrayList<>();
            for (String entitlement : LABELS.keySet()) {
                Object value = plan.entitlements().get(entitlement);
                cells.add(Map.of("value", value instanceof Boolean b ? (b ? "✓" : "–") : value == null ? "–" : value.toString()));
            }
            rows.add(Map.of("title", plan.title(), "seats", plan.seats(), "cells", cells));
        }
        Map<String, Object> page = new HashMap<>();
        page.put("title", "Plans");
        page.put("freeTitle", plans.free().title());
        page.put("features", LABELS.values().stream().map(l -> Map.of("label", l)).toList());
        page.put("plans", rows);
        return Pages.html(200, templates.render("pricing", page)).build();
    }
}
