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
        for (String token : seats) {
            http.json("POST", "v1/ingest/rollups", token, UsageIT.batch(UsageIT.row("claude-sonnet-4-5", 1, 10)));
        }
        String login = Http.body(http.get("v1/me", seats.get(0))).get("login").asText();
        String org = Http.body(http.get("v1/me", seats.get(0))).get("org").asText();

        ChromeOptions options = new ChromeOptions().setBinary(CHROMIUM.toFile()).addArguments("--headless", "--no-sandbox",
                "--disable-gpu", "--disable-quic", "--no-first-run", "--disable-background-networking", "--disable-component-update",
                "--disable-sync", "--blink-settings=scriptEnabled=false");
        WebDriver browser = new ChromeDriver(new ChromeDriverService.Builder().usingDriverExecutable(DRIVER.toFile()).build(), options);
        try {
            browser.get(http.base() + "dashboards/health");
            assertThat(browser.getCurrentUrl()).contains("/login");
            browser.findElement(By.name("login")).sendKeys(login);
            browser.findElement(By.name("org")).sendKeys(org);
            browser.findElement(By.cssSelector("button[type=submit]")).click();

            // click() may return before the post's navigation starts on a busy machine; wait for the page.
            WebDriverWait navigation = new WebDriverWait(browser, Duration.ofSeconds(30));
            navigation.withMessage(() -> "still at " + browser.getCurrentUrl() + ": " + browser.findElement(By.tagName("body")).getText())
                    .until(ExpectedConditions.urlContains("/dashboards/health"));
            assertThat(browser.findElement(By.tagName("h1")).getText()).isEqualTo("Model health");
            assertThat(browser.findElements(By.tagName("svg"))).hasSize(3);
            assertThat(browser.findElements(By.cssSelector("polyline, circle"))).isNotEmpty();
            assertThat(browser.findElement(By.tagName("table")).getText()).contains("claude-sonnet-4-5", "50");

            browser.findElement(By.linkText("Last 7 days")).click();
            navigation.until(ExpectedConditions.urlContains("window=7d"));
            assertThat(browser.getCurrentUrl()).endsWith("window=7d");
            assertThat(browser.findElement(By.cssSelector("p.muted")).getText()).contains("6-hour buckets");
        } finally {
            browser.quit();
        }
    }
}
