package dev.tessera.infra;

import static org.assertj.core.api.Assertions.assertThat;

import dev.tessera.gateway.auth.TenantService;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.util.UUID;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.openqa.selenium.By;
import org.openqa.selenium.JavascriptExecutor;
import org.openqa.selenium.OutputType;
import org.openqa.selenium.StaleElementReferenceException;
import org.openqa.selenium.TakesScreenshot;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.chrome.ChromeDriverService;
import org.openqa.selenium.chrome.ChromeOptions;
import org.openqa.selenium.support.ui.ExpectedConditions;
import org.openqa.selenium.support.ui.Select;
import org.openqa.selenium.support.ui.WebDriverWait;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.context.ApplicationContext;

/**
 * The console at {@code /} in a real browser (Debian's headless chromium through chromium-driver,
 * which {@code .ci/run} installs): sign in with an API key, submit, watch the event stream reach
 * SUCCEEDED, see the image scaled up with its latency chart and decode metrics, find it in the
 * gallery, see a refused submission's problem, the queue view, and the admin's tenants. Skipped,
 * saying why, only where no chromium or chromedriver is installed. Screenshots land in
 * {@code target/console-screenshots} (the ones in {@code docs/console} are copies).
 */
@TesseraStackTest
class ConsoleBrowserTest {

  private static final Path CHROMIUM = Path.of("/usr/bin/chromium");
  private static final Path CHROMEDRIVER = Path.of("/usr/bin/chromedriver");
  private static final Path SHOTS = Path.of("target/console-screenshots");

  private final ApplicationContext context;
  private final EndToEndScenario api;
  private final String base;
  private ChromeDriver browser;
  private WebDriverWait wait;

  ConsoleBrowserTest(ApplicationContext context, @LocalServerPort int port) {
    this.context = context;
    this.api = new EndToEndScenario(context, port);
    this.base = "http://localhost:" + port;
  }

  @BeforeEach
  void openBrowser() throws Exception {
    Assumptions.assumeTrue(Files.isExecutable(CHROMIUM) && Files.isExecutable(CHROMEDRIVER),
        "no browser: " + CHROMIUM + " or " + CHROMEDRIVER + " is missing; install them with "
            + "'apt-get install -y chromium chromium-driver' (.ci/run does) to run the console's "
            + "browser tests");
    ChromeOptions options = new ChromeOptions();
    options.setBinary(CHROMIUM.toFile());
    options.addArguments("--headless=new", "--no-sandbox", "--disable-dev-shm-usage",
        "--disable-gpu", "--window-size=1280,1100", "--hide-scrollbars");
    ChromeDriverService service = new ChromeDriverService.Builder()
        .usingDriverExecutable(CHROMEDRIVER.toFile()).build();
    browser = new ChromeDriver(service, options);
    wait = new WebDriverWait(browser, Duration.ofSeconds(90));
    wait.ignoring(StaleElementReferenceException.class);
    Files.createDirectories(SHOTS);
  }

  @AfterEach
  void closeBrowser() {
    if (browser != null) {
      browser.quit();
    }
  }

  private String newTenantKey() {
    TenantService tenants = context.getBean(TenantService.class);
    UUID tenant = tenants.ensureTenant("console-" + UUID.randomUUID());
    return tenants.issueKey(tenant, "browser").key();
  }

  private void signIn(String key) {
    browser.get(base + "/");
    browser.findElement(By.id("api-key")).sendKeys(key);
    browser.findElement(By.id("sign-in-button")).click();
    wait.until(ExpectedConditions.visibilityOfElementLocated(By.id("tabs")));
  }

  private void screenshot(String name) throws Exception {
    Path shot = ((TakesScreenshot) browser).getScreenshotAs(OutputType.FILE).toPath();
    Files.copy(shot, SHOTS.resolve(name + ".png"), StandardCopyOption.REPLACE_EXISTING);
  }

  private void type(String id, String text) {
    WebElement input = browser.findElement(By.id(id));
    input.clear();
    input.sendKeys(text);
  }

  @Test
  void signInSubmitWatchSucceedSeeTheImageFindItInTheGalleryAndSeeARefusal() throws Exception {
    api.awaitModel("fm-ar");
    String key = newTenantKey();
    browser.get(base + "/");
    type("api-key", "tsk_wrong_key");
    browser.findElement(By.id("sign-in-button")).click();
    wait.until(ExpectedConditions.textToBePresentInElementLocated(By.id("sign-in-error"),
        "API key"));
    assertThat(browser.findElement(By.id("tabs")).isDisplayed()).as("not signed in").isFalse();

    signIn(key);
    Object stored = ((JavascriptExecutor) browser)
        .executeScript("return sessionStorage.getItem('tessera.key')");
    assertThat(stored).as("the key in session storage").isEqualTo(key);
    Object local = ((JavascriptExecutor) browser).executeScript("return localStorage.length");
    assertThat(local).as("nothing in local storage").isEqualTo(0L);

    wait.until(d -> !new Select(d.findElement(By.id("model"))).getOptions().isEmpty());
    new Select(browser.findElement(By.id("class"))).selectByValue("7");
    assertThat(new Select(browser.findElement(By.id("class"))).getFirstSelectedOption().getText())
        .as("classes by name").contains("Sneaker");
    type("seed", "42");
    browser.findElement(By.id("submit-button")).click();

    WebElement card = wait.until(ExpectedConditions.presenceOfElementLocated(
        By.cssSelector("#runs .run")));
    String id = card.getAttribute("data-id");
    wait.until(d -> "succeeded".equals(((JavascriptExecutor) d).executeScript(
        "const c = document.querySelector(\".run[data-id='" + id + "']\");"
            + " return c && c.dataset.lastEvent")));
    // the card is drawn again when the final view is read: look the image up each time
    String img = "document.querySelector(\".run[data-id='" + id + "'] img.pixelated\")";
    wait.until(d -> Boolean.TRUE.equals(((JavascriptExecutor) d).executeScript(
        "const i = " + img + "; return !!i && i.complete && i.naturalWidth > 0")));
    Object natural = ((JavascriptExecutor) browser).executeScript("const i = " + img
        + "; return [i.naturalWidth, i.clientWidth, getComputedStyle(i).imageRendering]");
    assertThat(natural.toString()).as("a 32-pixel image shown 256 pixels wide, crisply")
        .isEqualTo("[32, 256, pixelated]");
    WebElement done = browser.findElement(By.cssSelector(".run[data-id='" + id + "']"));
    assertThat(done.findElement(By.cssSelector(".status")).getText()).isEqualTo("SUCCEEDED");
    assertThat(done.findElement(By.cssSelector(".states")).getText()).as("states as streamed")
        .endsWith("SUCCEEDED");
    assertThat(done.findElements(By.cssSelector(".bars.latency .bar"))).as("latency bars")
        .hasSizeGreaterThanOrEqualTo(3);
    assertThat(done.findElement(By.cssSelector("table.metrics")).getText()).contains("steps 256");
    screenshot("generate");

    // the same generation in the gallery, found through the listing
    browser.findElement(By.id("tab-gallery")).click();
    WebElement thumb = wait.until(ExpectedConditions.presenceOfElementLocated(
        By.cssSelector("#gallery-items .thumb[data-id='" + id + "'] img")));
    assertThat(thumb.isDisplayed()).isTrue();
    new Select(browser.findElement(By.id("gallery-status"))).selectByVisibleText("FAILED");
    browser.findElement(By.id("gallery-apply")).click();
    wait.until(ExpectedConditions.invisibilityOfElementLocated(
        By.cssSelector("#gallery-items .thumb[data-id='" + id + "']")));
    new Select(browser.findElement(By.id("gallery-status"))).selectByVisibleText("SUCCEEDED");
    browser.findElement(By.id("gallery-apply")).click();
    wait.until(ExpectedConditions.presenceOfElementLocated(
        By.cssSelector("#gallery-items .thumb[data-id='" + id + "'] img")));
    browser.findElement(By.cssSelector("#gallery-items .thumb[data-id='" + id + "']")).click();
    wait.until(ExpectedConditions.presenceOfElementLocated(
        By.cssSelector("#gallery-detail .run[data-id='" + id + "'] img.pixelated")));
    screenshot("gallery");

    // a refused submission shows the problem, naming the field
    browser.findElement(By.id("tab-generate")).click();
    type("temperature", "-1");
    browser.findElement(By.id("submit-button")).click();
    wait.until(ExpectedConditions.textToBePresentInElementLocated(By.id("submit-error"),
        "field: temperature"));
    assertThat(browser.findElement(By.id("submit-error")).getText())
        .startsWith("A field has a value out of its range");
    screenshot("refused");

    browser.findElement(By.id("tab-queue")).click();
    wait.until(d -> d.findElement(By.id("queue-throughput")).getText().contains("fm-ar"));
    assertThat(browser.findElement(By.id("queue-waiting")).getText()).contains("model");
    screenshot("queue");
  }

  @Test
  void theAdminTokenOpensTenantsKeysUsageAndDeadLetters() throws Exception {
    String tenantKey = newTenantKey();
    signIn(TesseraStackTest.ADMIN_TOKEN);
    assertThat(browser.findElement(By.id("tab-generate")).isDisplayed()).isFalse();
    wait.until(d -> d.findElement(By.id("tenants")).getText().contains("console-"));
    type("tenant-name", "browser-made-" + UUID.randomUUID().toString().substring(0, 8));
    browser.findElement(By.cssSelector("#tenant-form button")).click();
    wait.until(d -> d.findElement(By.id("tenants")).getText().contains("browser-made-"));
    browser.findElement(By.xpath("//table[@id='tenants']//tr[td[starts-with(., "
        + "'browser-made-')]]//button")).click();
    wait.until(ExpectedConditions.presenceOfElementLocated(By.cssSelector("#tenant-detail .chart")));
    browser.findElement(By.xpath("//div[@id='tenant-detail']/button")).click();
    wait.until(ExpectedConditions.textToBePresentInElementLocated(By.id("tenant-detail"),
        "tsk_"));
    assertThat(browser.findElement(By.id("dead-letters")).getText()).contains("generation");
    screenshot("admin");
    assertThat(tenantKey).startsWith("tsk_");
  }
}
