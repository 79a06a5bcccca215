package dev.ccp.server.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.nio.file.Files;
import java.time.Duration;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.openqa.selenium.By;
import org.openqa.selenium.WebDriver;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.chrome.ChromeDriverService;
import org.openqa.selenium.chrome.ChromeOptions;
import org.openqa.selenium.support.ui.ExpectedConditions;
import org.openqa.selenium.support.ui.WebDriverWait;

/**
 * A person in a real browser with JavaScript switched off: signs in on the form, reads the model
 * health page with its charts, switches the window. Runs where Debian's chromium and
 * chromium-driver are installed (CI installs them); skipped elsewhere.
 */
class DashboardBrowserIT extends ServerIT {

    static final Path CHROMIUM = Path.of("/usr/bin/chromium");
    static final Path DRIVER = Path.of("/usr/bin/chromedriver");

    @Test
    void aMemberSignsInAndReadsTheChartsWithoutJavaScript() {
        assumeTrue(Files.isExecutable(CHROMIUM) && Files.isExecutable(DRIVER), "chromium and chromium-driver are not installed");
        Http http = http();
        List<String> seats = UsageIT.teamOf(http, "browser", 4);
        // Hours 1-3 and 6-8 before the last closed hour have usage, 4 and 5 none: two lines with a gap.
        for (String token : seats) {
            http.json("POST", "v1/ingest/rollups", token, UsageIT.batch(UsageIT.row("claude-sonnet-4-5", 1, 10),
                    hoursBefore(UsageIT.row("claude-sonnet-4-5", 1, 1200), 1), hoursBefore(UsageIT.row("claude-sonnet-4-5", 1, 900), 2),
                    hoursBefore(UsageIT.row("claude-sonnet-4-5", 1, 300), 6), hoursBefore(UsageIT.row("claude-sonnet-4-5", 1, 450), 7),
                    hoursBefore(UsageIT.row("glm-4.6", 1, 40), 1), hoursBefore(UsageIT.row("glm-4.6", 1, 60), 2)));
        }
        String login = Http.body(http.get("v1/me", seats.get(0))).get("login").asText();
        String org = Http.body(http.get("v1/me", seats.get(0))).get("org").asText();

        WebDriver browser = chromium();
        try {
            browser.get(http.base() + "dashboards/health");
            assertThat(browser.getCurrentUrl()).contains("/login");
            browser.findElement(By.name("login")).sendKeys(login);
            browser.findElement(By.name("org")).sendKeys(org);
            browser.findElement(By.cssSelector("button[value=stand-in]")).click();

            // click() may return before the post's navigation starts on a busy machine; wait for the page.
            WebDriverWait navigation = new WebDriverWait(browser, Duration.ofSeconds(30));
            navigation.withMessage(() -> "still at " + browser.getCurrentUrl() + ": " + browser.findElement(By.tagName("body")).getText())
                    .until(ExpectedConditions.urlContains("/dashboards/health"));
            assertThat(browser.findElement(By.tagName("h1")).getText()).isEqualTo("Model health");
            assertThat(browser.findElements(By.tagName("svg"))).hasSize(3);
            assertThat(browser.findElements(By.cssSelector("polyline, circle"))).isNotEmpty();
            assertThat(browser.findElement(By.tagName("table")).getText()).contains("claude-sonnet-4-5", "14,300");
            screenshot(browser, "model-health-24h.png");

            browser.findElement(By.linkText("Last 7 days")).click();
            navigation.until(ExpectedConditions.urlContains("window=7d"));
            assertThat(browser.getCurrentUrl()).endsWith("window=7d");
            assertThat(browser.findElement(By.cssSelector("p.muted")).getText()).contains("6-hour buckets");
            screenshot(browser, "model-health-7d.png");
        } finally {
            browser.quit();
        }
    }

    /** Debian's headless chromium with JavaScript switched off, as a person who keeps it off browses. */
    static WebDriver chromium() {
        ChromeOptions options = new ChromeOptions().setBinary(CHROMIUM.toFile()).addArguments("--headless", "--no-sandbox",
                "--disable-gpu", "--disable-quic", "--no-first-run", "--disable-background-networking", "--disable-component-update",
                "--disable-sync", "--blink-settings=scriptEnabled=false");
        return new ChromeDriver(new ChromeDriverService.Builder().usingDriverExecutable(DRIVER.toFile()).build(), options);
    }

    /** The same row, {@code hours} earlier. */
    private static String hoursBefore(String row, int hours) {
        return row.replace(UsageIT.HOUR, java.time.Instant.parse(UsageIT.HOUR).minus(Duration.ofHours(hours)).toString());
    }

    /** Keeps what the browser shows when {@code -Dccp.it.screenshots=DIR} asks for it, for a person to look at. */
    static void screenshot(WebDriver browser, String name) {
        String dir = System.getProperty("ccp.it.screenshots", "");
        if (dir.isBlank()) {
            return;
        }
        browser.manage().window().setSize(new org.openqa.selenium.Dimension(1100, 1800));
        try {
            Files.createDirectories(Path.of(dir));
            Files.write(Path.of(dir, name), ((org.openqa.selenium.TakesScreenshot) browser).getScreenshotAs(org.openqa.selenium.OutputType.BYTES));
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }
}
