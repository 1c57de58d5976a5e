package io.granary.app;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.File;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.openqa.selenium.By;
import org.openqa.selenium.Dimension;
import org.openqa.selenium.OutputType;
import org.openqa.selenium.TakesScreenshot;
import org.openqa.selenium.WebDriver;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.chrome.ChromeDriverService;
import org.openqa.selenium.chrome.ChromeOptions;
import org.openqa.selenium.support.ui.ExpectedConditions;
import org.openqa.selenium.support.ui.WebDriverWait;

/**
 * The grower's journey in a real browser against the real jar: an owner creates an app key and a magic link
 * through the API; the grower opens the link, connects the Sandbox provider, approves, lands on the success page,
 * and the credential turns VALID. Then a replayed state, a deleted link and a forged link all fail cleanly.
 * Screenshots (phone and desktop) go to target/screenshots for a human to judge the pages.
 *
 * <p>Needs Debian's {@code chromium} and {@code chromium-driver} ({@code apt-get install -y chromium chromium-driver}).
 * Without them the test fails under CI ({@code CI=true}) and is skipped, with a message, elsewhere.
 */
final class MagicLinkBrowserIT {

    static final File CHROMIUM = new File("/usr/bin/chromium");
    static final File CHROMEDRIVER = new File("/usr/bin/chromedriver");
    static final Dimension PHONE = new Dimension(390, 844);
    static final Dimension DESKTOP = new Dimension(1280, 900);
    static final String CLIENT_SECRET = "sandbox-app-secret-Zq81";
    static final Path SHOTS = Path.of("target", "screenshots");

    @TempDir
    static Path dir;

    static GranaryProcess granary;
    static ChromeDriverService service;
    static WebDriver browser;
    static ApiClient api;

    @BeforeAll
    static void start() throws Exception {
        if (!CHROMIUM.canExecute() || !CHROMEDRIVER.canExecute()) {
            String message = "Chromium is not installed: run `apt-get install -y chromium chromium-driver` (needs "
                    + CHROMIUM + " and " + CHROMEDRIVER + ")";
            if ("true".equalsIgnoreCase(System.getenv("CI"))) {
                fail(message);
            }
            Assumptions.abort(message);
        }
        Files.createDirectories(SHOTS);
        granary = new GranaryProcess(dir.resolve("data"), Map.of("GRANARY_SANDBOX", "true")).start();
        api = new ApiClient(granary.baseUrl()).login(GranaryProcess.ADMIN_EMAIL, GranaryProcess.ADMIN_PASSWORD);

        // Selenium Manager must not download anything: the driver and browser are Debian's.
        System.setProperty("webdriver.chrome.driver", CHROMEDRIVER.getPath());
        service = new ChromeDriverService.Builder().usingDriverExecutable(CHROMEDRIVER).usingAnyFreePort().build();
        ChromeOptions options = new ChromeOptions().setBinary(CHROMIUM.getPath()).addArguments("--headless=new",
                "--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage", "--disable-background-networking",
                "--disable-component-update", "--disable-sync", "--no-first-run", "--hide-scrollbars",
                "--user-data-dir=" + Files.createDirectories(dir.resolve("chromium-profile")));
        browser = new ChromeDriver(service, options);
        browser.manage().timeouts().pageLoadTimeout(Duration.ofSeconds(30));
    }

    @AfterAll
    static void stop() throws Exception {
        if (browser != null) {
            browser.quit();
        }
        if (service != null) {
            service.stop();
        }
        if (granary != null) {
            granary.stop();
        }
    }

    @Test
    void grower_connectsSandbox_throughAMagicLink_andReplaysAndDeadLinksFailCleanly() throws Exception {
        String userId = api.post("/services/usermanagement/api/users", "{\"name\":\"Ada <i>Grower</i>\"}").json().get("id").asText();
        ApiClient.Answer appKey = api.post("/services/usermanagement/api/app-keys/Sandbox/farmapp",
                "{\"clientId\":\"farmapp-web\",\"clientSecret\":\"" + CLIENT_SECRET + "\"}");
        assertEquals(201, appKey.status(), appKey.body());
        assertFalse(appKey.body().contains(CLIENT_SECRET), "app key answers never carry the secret");
        ApiClient.Answer list = api.get("/services/usermanagement/api/app-keys/Sandbox");
        assertEquals("[{\"provider\":\"Sandbox\",\"appName\":\"farmapp\",\"clientEnvironment\":\"PRODUCTION\",\"createdTime\":\""
                + list.json().get(0).get("createdTime").asText() + "\"}]", list.body());

        JsonNode created = createLink(userId);
        String link = created.get("link").asText();
        assertTrue(link.startsWith(granary.baseUrl() + "/services/widgets/magic-link?t="), link);

        // The link page: escaped name, both providers, strict headers.
        ApiClient.Answer raw = new ApiClient(granary.baseUrl()).get(link.substring(granary.baseUrl().length()));
        assertEquals(200, raw.status());
        assertTrue(raw.header("Content-Security-Policy").contains("default-src 'none'"), raw.header("Content-Security-Policy"));
        assertEquals("no-referrer", raw.header("Referrer-Policy"));
        assertTrue(raw.body().contains("Ada &lt;i&gt;Grower&lt;/i&gt;"), "the user's name is escaped");

        browser.manage().window().setSize(PHONE);
        browser.get(link);
        assertTrue(text().contains("Sandbox Farm Data"), text());
        assertTrue(text().contains("Not connected"), text());
        shot("01-link-phone");
        browser.manage().window().setSize(DESKTOP);
        shot("01-link-desktop");

        browser.findElement(By.linkText("Connect")).click();
        wait(ExpectedConditions.urlContains("/sandbox/authorize"));
        assertTrue(browser.getCurrentUrl().contains("code_challenge_method=S256"), "PKCE is sent to a provider that accepts it");
        shot("02-sandbox-authorize-desktop");
        browser.findElement(By.xpath("//button[normalize-space()='Approve']")).click();
        wait(ExpectedConditions.urlContains("/services/widgets/callback"));
        String callback = browser.getCurrentUrl();
        assertTrue(browser.findElement(By.tagName("h1")).getText().contains("Sandbox Farm Data connected"), text());
        shot("03-success-desktop");
        browser.manage().window().setSize(PHONE);
        shot("03-success-phone");

        String status = awaitStatus(userId, "VALID");
        assertEquals("VALID", status, "the scheduler validated the credential attached through the normal path");

        browser.get(link);
        assertTrue(text().contains("Connected"), text());
        assertTrue(browser.findElements(By.xpath("//button[normalize-space()='Disconnect']")).size() == 1, "disconnect offered");
        shot("04-link-connected-phone");

        // Replaying the callback (same state, same browser) is refused: the state was taken.
        browser.get(callback);
        assertTrue(text().contains("already completed or has expired"), text());
        shot("05-replayed-state-phone");
        assertEquals("VALID", api.get("/services/usermanagement/api/users/" + userId + "/sandbox-credentials").json().get("status").asText(),
                "a replay changes nothing");

        // A deleted link and a forged one both show the friendly expiry page.
        JsonNode doomed = createLink(userId);
        assertEquals(204, api.delete("/services/widgets/api/magic-link/provider/" + doomed.get("id").asText()).status());
        browser.get(doomed.get("link").asText());
        assertTrue(text().contains("This link has expired"), text());
        shot("06-expired-phone");
        browser.manage().window().setSize(DESKTOP);
        shot("06-expired-desktop");
        browser.get(link.substring(0, link.length() - 4) + "AAAA");
        assertTrue(text().contains("This link has expired"), text());

        // Owner's view of the link: opened twice by now, never the secret in detail answers.
        JsonNode detail = api.get("/services/widgets/api/magic-link/provider/" + created.get("id").asText()).json();
        assertTrue(detail.get("usageCount").asInt() >= 2, detail.toString());
        assertFalse(detail.get("lastAccessedAt").isNull());

        // Disconnect from the page removes the credential.
        browser.get(link);
        browser.findElement(By.xpath("//button[normalize-space()='Disconnect']")).click();
        wait(ExpectedConditions.textToBePresentInElementLocated(By.tagName("main"), "Not connected"));
        assertEquals(404, api.get("/services/usermanagement/api/users/" + userId + "/sandbox-credentials").status());

        String log = granary.log();
        assertFalse(log.contains(CLIENT_SECRET), "the app's client secret never reaches the log");
        assertFalse(log.contains(link.substring(link.indexOf('.') + 1)), "the link's secret never reaches the log");
        assertFalse(log.contains("code="), "authorization codes never reach the log");
    }

    private JsonNode createLink(String userId) throws Exception {
        ApiClient.Answer answer = api.post("/services/widgets/api/magic-link/users/" + userId + "/provider",
                "{\"expiresIn\":3600,\"allowedProviders\":[\"Sandbox\",\"JohnDeere\"],\"settings\":{\"companyName\":\"Prairie Co-op\","
                        + "\"showLeafUserName\":true,\"disconnectEnabled\":true,\"backgroundColor\":\"#2b5797\"}}");
        assertEquals(201, answer.status(), answer.body());
        return answer.json();
    }

    private String awaitStatus(String userId, String wanted) throws Exception {
        long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
        String status = null;
        while (System.nanoTime() < deadline) {
            ApiClient.Answer answer = api.get("/services/usermanagement/api/users/" + userId + "/sandbox-credentials");
            status = answer.status() == 200 ? answer.json().get("status").asText() : "HTTP " + answer.status();
            if (wanted.equals(status)) {
                return status;
            }
            Thread.sleep(200);
        }
        return status;
    }

    private static String text() {
        return browser.findElement(By.tagName("body")).getText();
    }

    private static void wait(org.openqa.selenium.support.ui.ExpectedCondition<?> condition) {
        new WebDriverWait(browser, Duration.ofSeconds(20)).until(condition);
    }

    private static void shot(String name) throws Exception {
        Files.write(SHOTS.resolve(name + ".png"), ((TakesScreenshot) browser).getScreenshotAs(OutputType.BYTES));
    }
}
