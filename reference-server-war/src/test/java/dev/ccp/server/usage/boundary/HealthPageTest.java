package dev.ccp.server.usage.boundary;

import static org.assertj.core.api.Assertions.assertThat;

import dev.ccp.server.platform.pages.Templates;
import dev.ccp.spi.wire.HealthCell;
import dev.ccp.spi.wire.HealthSeries;
import dev.ccp.spi.wire.ModelHealthResponse;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class HealthPageTest {

    private static final Instant FROM = Instant.parse("2026-11-25T10:00:00Z");

    /** One model over 24 hours with these requests per hour (null: no data), 1 % errors and 800 ms p95. */
    private static ModelHealthResponse health(Long... requests) {
        List<HealthCell> cells = new ArrayList<>();
        for (int h = 0; h < 24; h++) {
            Long r = h < requests.length ? requests[h] : null;
            Instant start = FROM.plus(Duration.ofHours(h));
            cells.add(r == null ? HealthCell.noData(start) : new HealthCell(start, false, r, 0.01, 0.0, 200L, 800L, r * 100, r * 10, 0.5));
        }
        HealthCell total = new HealthCell(FROM, false, 1_080L, 0.01, 0.0, 200L, 1_250L, 1_234_567L, 10_800L, 0.5);
        HealthSeries model = new HealthSeries("claude-sonnet-4-5-20250929", total, cells);
        return new ModelHealthResponse("acme", "24h", 3600, 5, FROM, FROM.plus(Duration.ofHours(24)), List.of(model),
                new HealthSeries("all", total, cells));
    }

    @SuppressWarnings("unchecked")
    private static Map<String, Object> chart(ModelHealthResponse health, int chart) {
        return ((List<Map<String, Object>>) HealthPage.scope(health).get("charts")).get(chart);
    }

    @SuppressWarnings("unchecked")
    private static List<Map<String, Object>> requestsSeries(ModelHealthResponse health, String part) {
        return ((List<Map<String, Object>>) ((List<Map<String, Object>>) chart(health, 0).get("series")).get(0).get(part));
    }

    @SuppressWarnings("unchecked")
    private static List<String> gridlineLabels(ModelHealthResponse health, int chart) {
        return ((List<Map<String, Object>>) chart(health, chart).get("gridlines")).stream().map(g -> (String) g.get("text")).toList();
    }

    @Test
    void bucketWithoutDataBreaksTheLineAndHasNoDot() {
        ModelHealthResponse health = health(10L, 20L, 30L, null, 40L, 50L);

        List<Map<String, Object>> segments = requestsSeries(health, "segments");
        assertThat(segments).hasSize(2);
        assertThat(((String) segments.get(0).get("points")).split(" ")).hasSize(3);
        assertThat(((String) segments.get(1).get("points")).split(" ")).hasSize(2);
        assertThat(requestsSeries(health, "dots")).hasSize(5);
    }

    @Test
    void valueAxisHasNiceTicksWithThousandsSeparators() {
        assertThat(gridlineLabels(health(1_000L, 400L), 0)).containsExactly("0", "250", "500", "750", "1,000");
        assertThat(gridlineLabels(health(1_080L, 400L), 0)).containsExactly("0", "500", "1,000", "1,500");
        assertThat(gridlineLabels(health(10L), 1)).containsExactly("0 %", "0.25 %", "0.5 %", "0.75 %", "1 %");
        assertThat(gridlineLabels(health(10L), 2)).containsExactly("0 ms", "200 ms", "400 ms", "600 ms", "800 ms");
    }

    @Test
    void topGridlineMeetsTheHighestValueAtTheTopOfTheChart() {
        Map<String, Object> requests = chart(health(1_000L, 400L), 0);
        @SuppressWarnings("unchecked")
        List<Map<String, Object>> gridlines = (List<Map<String, Object>>) requests.get("gridlines");
        assertThat(gridlines.get(0).get("y")).isEqualTo((long) (int) requests.get("bottom"));
        assertThat(gridlines.get(gridlines.size() - 1).get("y")).isEqualTo((long) (int) requests.get("top"));
        assertThat(requestsSeries(health(1_000L, 400L), "dots").get(0).get("y")).isEqualTo(gridlines.get(gridlines.size() - 1).get("y"));
    }

    @Test
    void countsOfWholeThingsGetNoFractionalTicks() {
        assertThat(HealthPage.levels(2, true)).containsExactly(0, 1, 2);
        assertThat(HealthPage.levels(10, true)).containsExactly(0, 5, 10);
        assertThat(HealthPage.levels(0, true)).containsExactly(0);
    }

    @Test
    void totalsGroupThousands() {
        @SuppressWarnings("unchecked")
        List<Map<String, Object>> rows = (List<Map<String, Object>>) HealthPage.scope(health(10L)).get("rows");
        assertThat(rows.get(0)).containsEntry("requests", "1,080").containsEntry("tokensIn", "1,234,567")
                .containsEntry("tokensOut", "10,800").containsEntry("p95", "1,250");
        assertThat(rows.get(1)).containsEntry("model", "all models").containsEntry("requests", "1,080");
    }

    @Test
    void pageDrawsLabelledGridlinesAndKeepsModelNamesWhole() {
        String page = new Templates().render("health", Map.of("title", "Model health", "health", HealthPage.scope(health(1_000L, 400L))));

        assertThat(page).contains(">1,000</text>", ">1,080</td>", "stroke=\"#d8dee4\"");
        assertThat(page).contains("<td class=\"model\">claude-sonnet-4-5-20250929</td>", "td.model, .legend .entry { white-space: nowrap; }");
        assertThat(page).doesNotContain("<script");
    }
}
