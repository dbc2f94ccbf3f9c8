package io.switchboard.it;

import org.openqa.selenium.JavascriptExecutor;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.chrome.ChromeDriverService;
import org.openqa.selenium.chrome.ChromeOptions;
import org.openqa.selenium.support.ui.WebDriverWait;

import java.io.File;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Comparator;
import java.util.Objects;
import java.util.stream.Stream;

/**
 * Headless Debian Chromium driven through the Debian chromedriver, both given explicitly so
 * Selenium Manager never downloads a browser or driver. {@code example.com} resolves to the
 * server under test, so pages and the lesson's {@code wss://example.com/...} reach it unchanged.
 */
final class Browser implements AutoCloseable {

    static final String CHROMIUM = System.getProperty("switchboard.it.chromium", "/usr/bin/chromium");
    static final String CHROMEDRIVER = System.getProperty("switchboard.it.chromedriver", "/usr/bin/chromedriver");

    final ChromeDriver driver;
    private final Path profile;

    private Browser(ChromeDriver driver, Path profile) {
        this.driver = driver;
        this.profile = profile;
    }

    /** Starts a fresh browser in which {@code example.com} (any port, http or https) is 127.0.0.1:{@code port}. */
    static Browser mappingExampleComTo(int port) throws IOException {
        Path profile = Files.createTempDirectory("switchboard-it-chromium");
        ChromeOptions options = new ChromeOptions();
        options.setBinary(CHROMIUM);
        options.addArguments(
                "--headless=new", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
                "--disable-background-networking", "--disable-component-update", "--disable-sync",
                "--disable-dev-shm-usage",
                // Plain-http test pages must load as http, not be tried as https first.
                "--disable-features=HttpsUpgrades,HttpsFirstBalancedModeAutoEnable",
                "--user-data-dir=" + profile,
                "--host-resolver-rules=MAP example.com 127.0.0.1:" + port,
                // The test's self-signed certificate for example.com.
                "--ignore-certificate-errors");
        ChromeDriverService service = new ChromeDriverService.Builder()
                .usingDriverExecutable(new File(CHROMEDRIVER))
                .usingAnyFreePort()
                .build();
        return new Browser(new ChromeDriver(service, options), profile);
    }

    /** Runs {@code script} in the current page and returns its result. */
    @SuppressWarnings("unchecked")
    <T> T js(String script, Object... args) {
        return (T) ((JavascriptExecutor) driver).executeScript(script, args);
    }

    /** Whether {@code script} returns true in the current page within {@code timeout}. */
    boolean becomesTrueWithin(Duration timeout, String script) {
        try {
            new WebDriverWait(driver, timeout).until(d -> Objects.equals(Boolean.TRUE, js(script)));
            return true;
        } catch (org.openqa.selenium.TimeoutException e) {
            return false;
        }
    }

    /** Waits until {@code script} returns true in the current page. */
    void awaitTrue(String script) {
        new WebDriverWait(driver, Duration.ofSeconds(20))
                .withMessage(() -> "never true: " + script + "\npage recorded: " + recorded())
                .until(d -> Objects.equals(Boolean.TRUE, js(script)));
    }

    /** What the test page's recorder holds, for failure messages. */
    String recorded() {
        try {
            return js("return JSON.stringify(window.recorded)");
        } catch (RuntimeException e) {
            return "(unavailable: " + e.getMessage() + ")";
        }
    }

    @Override
    public void close() {
        try {
            driver.quit();
        } finally {
            deleteRecursively(profile);
        }
    }

    static void deleteRecursively(Path dir) {
        try (Stream<Path> paths = Files.walk(dir)) {
            paths.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
