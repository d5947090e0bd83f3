package dev.orchestrator.dashboard;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import com.icegreen.greenmail.configuration.GreenMailConfiguration;
import com.icegreen.greenmail.util.GreenMail;
import com.icegreen.greenmail.util.GreenMailUtil;
import com.icegreen.greenmail.util.ServerSetup;
import com.icegreen.greenmail.util.ServerSetupTest;
import dev.orchestrator.notifiers.ActionLinks;
import dev.orchestrator.notifiers.NotificationConfig;
import dev.orchestrator.notifiers.NotificationListener;
import dev.orchestrator.run.Run;
import dev.orchestrator.run.RunStatus;
import dev.orchestrator.testkit.MutableClock;
import dev.orchestrator.workflow.Approval;
import dev.orchestrator.workflow.Workflow;
import jakarta.mail.internet.MimeMessage;
import java.io.File;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.ServerSocket;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.openqa.selenium.By;
import org.openqa.selenium.JavascriptExecutor;
import org.openqa.selenium.OutputType;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.chrome.ChromeDriverService;
import org.openqa.selenium.chrome.ChromeOptions;
import org.openqa.selenium.support.ui.WebDriverWait;

/**
 * A phone (Chromium emulating a 390x844 screen) approving through the one-tap link of an email that a local SMTP
 * server (GreenMail) received; the same link refused the second time, changed, and after it expired; the installable
 * dashboard's service worker and inbox. Screenshots go to {@code target/screenshots}, and to the directory named by
 * {@code -Dmobile.docsScreenshots=...} when given (docs/mobile.md's pictures). Skipped like
 * {@link DashboardBrowserIT} when Chromium is absent outside CI.
 */
class PhoneApprovalBrowserIT {
  static final Duration WAIT = Duration.ofSeconds(10);
  static final byte[] SECRET = "phone-scenario-secret-of-32-bytes-or-more".getBytes(StandardCharsets.UTF_8);
  private static final Pattern LINK = Pattern.compile("(Approve|Reject): (http\\S+)");

  private static ChromeDriver driver;
  private static Path profile;
  private GreenMail smtp;
  private NotificationListener notifications;
  private Fixture fx;
  private final MutableClock linkClock = MutableClock.create();

  @BeforeAll
  static void startBrowser() throws IOException {
    assumeTrue(Files.isExecutable(DashboardBrowserIT.CHROMIUM) || System.getenv("CI") != null,
        "Browser tests skipped: /usr/bin/chromium is not installed and CI is not set");
    System.setProperty("webdriver.chrome.driver", DashboardBrowserIT.CHROMEDRIVER.toString());
    profile = Files.createTempDirectory("phone-chromium-");
    ChromeOptions options = new ChromeOptions();
    options.setBinary(DashboardBrowserIT.CHROMIUM.toFile());
    options.addArguments("--headless=new", "--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage",
        "--disable-background-networking", "--disable-component-update", "--disable-sync", "--no-first-run",
        "--user-data-dir=" + profile, "--window-size=390,844", "--lang=en-US");
    options.setExperimentalOption("mobileEmulation", Map.of("deviceMetrics",
        Map.of("width", 390, "height", 844, "pixelRatio", 2.0, "touch", true)));
    ChromeDriverService service = new ChromeDriverService.Builder()
        .usingDriverExecutable(new File(DashboardBrowserIT.CHROMEDRIVER.toString())).usingAnyFreePort().build();
    driver = new ChromeDriver(service, options);
    driver.manage().timeouts().pageLoadTimeout(WAIT);
    Files.createDirectories(DashboardBrowserIT.SCREENSHOTS);
  }

  @AfterAll
  static void stopBrowser() throws IOException {
    if (driver != null) {
      driver.quit();
    }
    if (profile != null) {
      try (var files = Files.walk(profile)) {
        files.sorted(java.util.Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
      }
    }
  }

  @BeforeEach
  void start() throws IOException {
    smtp = new GreenMail(ServerSetup.dynamicPort(new ServerSetup[] {ServerSetupTest.SMTP}))
        .withConfiguration(GreenMailConfiguration.aConfig().withUser("bot@example.com", "bot", "smtp-pass"));
    smtp.start();
    int port;
    try (ServerSocket s = new ServerSocket(0)) {
      port = s.getLocalPort();
    }
    ActionLinks links = ActionLinks.of(SECRET, URI.create("http://127.0.0.1:" + port + "/"), Duration.ofHours(24),
        linkClock);
    notifications = NotificationListener.builder().config(NotificationConfig.parse("""
        {"notifications": {
          "channels": {"email": {"type": "email", "host": "127.0.0.1", "port": %d, "security": "none",
            "username": "bot", "password": "smtp-pass", "from": "Orchestrator <bot@example.com>",
            "to": "ana@example.com", "timeout": "5s"}},
          "rules": [{"event": "input_requested", "notify": ["email"]}]}}
        """.formatted(smtp.getSmtp().getPort()))).actionLinks(links).build();
    OneTap oneTap = OneTap.of(links).webPushPublicKey(
        "BP4z9KsN6nGRTbVYI_c7VJSPQTBtkgcy27mlmlMoZIIgDll6e3vCYLocInmYWAmS6TlzAC8wEqKK6PBru3jl7A8");
    fx = Fixture.start(DashboardOptions.builder().port(port).oneTap(oneTap).build(), c -> { },
        b -> b.listener(notifications));
  }

  @AfterEach
  void stop() {
    if (fx != null) {
      fx.close();
    }
    if (notifications != null) {
      notifications.close();
    }
    if (smtp != null) {
      smtp.stop();
    }
  }

  /** Submits release notes whose output needs approval and lets claude write them. */
  private Run releaseNotesAwaitingApproval() {
    Workflow w = Workflow.builder("release").task("notes", t -> t.title("Release notes")
        .instructions("Write the release notes").approval(Approval.after())).build();
    Run run = fx.orchestrator.submit("blog", w);
    OneTapLinksTest.await(() -> fx.claude.callCount() == 1, "claude's call");
    fx.answer(fx.claude, 0, "Version 2 starts twice as fast and fixes the export of long reports.", "0.25");
    OneTapLinksTest.await(() -> !fx.orchestrator.questions("blog").isEmpty(), "the approval");
    return run;
  }

  /** The approve and reject links of the one email received. */
  private Map<String, String> linksFromEmail() {
    assertThat(smtp.waitForIncomingEmail(WAIT.toMillis(), 1)).as("an email within " + WAIT).isTrue();
    MimeMessage[] mails = smtp.getReceivedMessages();
    String body = GreenMailUtil.getBody(mails[0]).replace("=\r\n", "").replace("=3D", "=");
    Matcher m = LINK.matcher(body);
    Map<String, String> out = new java.util.HashMap<>();
    while (m.find()) {
      out.put(m.group(1).toLowerCase(java.util.Locale.ROOT), m.group(2));
    }
    assertThat(out).as("links in the email:\n" + body).containsOnlyKeys("approve", "reject");
    return out;
  }

  @Test
  void aPhoneApprovesThroughTheLinkOfAnEmailOnceAndOnlyOnce() {
    Run run = releaseNotesAwaitingApproval();
    Map<String, String> links = linksFromEmail();

    driver.get(links.get("approve"));
    waitForText("#act", "Approve");
    assertThat(js("return window.innerWidth")).isEqualTo(390L);
    assertThat(driver.findElement(By.id("title")).getText()).isEqualTo("Release notes");
    assertThat(driver.findElement(By.id("output")).getText()).startsWith("Version 2 starts twice as fast");
    assertThat(driver.findElement(By.id("cost")).getText()).contains("0.25");
    WebElement act = driver.findElement(By.id("act"));
    assertThat(act.getRect().getHeight()).as("touch target height").isGreaterThanOrEqualTo(44);
    assertThat(act.getRect().getWidth()).as("touch target width").isGreaterThanOrEqualTo(44);
    screenshot("mobile-approve");

    act.click();
    waitForText("#result", "Approved.");
    screenshot("mobile-approved");
    assertThat(run.completion().join().status()).isEqualTo(RunStatus.SUCCEEDED);

    driver.get(links.get("approve"));
    waitForTextContaining("#result", "This link was used already");
    screenshot("mobile-used");

    String tampered = links.get("reject").replace("a=reject", "a=approve");
    driver.get(tampered);
    waitForTextContaining("#result", "signature does not match");
    screenshot("mobile-tampered");

    linkClock.advance(Duration.ofHours(25));
    driver.get(links.get("reject"));
    waitForTextContaining("#result", "expired");
  }

  @Test
  void anExpiredLinkIsRefusedAndTheTaskStillWaits() {
    releaseNotesAwaitingApproval();
    Map<String, String> links = linksFromEmail();
    linkClock.advance(Duration.ofHours(24));
    driver.get(links.get("approve"));
    waitForTextContaining("#result", "Link refused: the link expired");
    screenshot("mobile-expired");
    assertThat(fx.orchestrator.questions("blog")).hasSize(1);
  }

  @Test
  void theServiceWorkerRegistersAndTheInboxApprovesInOneTap() {
    Run run = releaseNotesAwaitingApproval();
    driver.get(fx.dashboard.url() + "inbox.html");
    Object state = ((JavascriptExecutor) driver).executeAsyncScript("const done = arguments[arguments.length - 1];"
        + "navigator.serviceWorker.ready.then(r => done(r.active ? r.active.scriptURL : 'none'))"
        + ".catch(e => done('failed: ' + e));");
    assertThat(String.valueOf(state)).endsWith("/sw.js");
    assertThat(js("return document.querySelector('link[rel=manifest]').href")).asString()
        .endsWith("/manifest.webmanifest");
    waitForTextContaining("#inbox-status", "1 waiting");
    List<WebElement> buttons = driver.findElements(By.cssSelector("#inbox button"));
    assertThat(buttons).extracting(b -> b.getText()).containsExactly("Approve", "Reject");
    for (WebElement b : buttons) {
      assertThat(b.getRect().getHeight()).isGreaterThanOrEqualTo(44);
    }
    new WebDriverWait(driver, WAIT).until(d -> d.findElement(By.id("push-enable")).isDisplayed());
    assertThat(driver.findElement(By.id("push-enable")).getRect().getHeight()).isGreaterThanOrEqualTo(44);
    screenshot("mobile-inbox");
    buttons.get(0).click();
    waitForTextContaining("#inbox-status", "Nothing waits for you.");
    assertThat(run.completion().join().status()).isEqualTo(RunStatus.SUCCEEDED);

    driver.get(fx.dashboard.url().toString());
    new WebDriverWait(driver, WAIT).until(d -> !d.findElements(By.cssSelector(".tabs a")).isEmpty());
    for (WebElement tab : driver.findElements(By.cssSelector(".tabs a"))) {
      assertThat(tab.getRect().getHeight()).as("tab " + tab.getText()).isGreaterThanOrEqualTo(44);
    }
    Object cut = js("return [...document.querySelectorAll('.tabs a')].filter(a => a.scrollWidth > a.clientWidth)"
        + ".map(a => a.textContent)");
    assertThat((List<?>) cut).as("tabs whose label is cut").isEmpty();
    screenshot("mobile-dashboard");
  }

  // --- helpers ---

  private static void waitForText(String css, String expected) {
    String[] last = {null};
    try {
      new WebDriverWait(driver, WAIT).until(d -> {
        List<WebElement> e = d.findElements(By.cssSelector(css));
        return !e.isEmpty() && expected.equals(last[0] = e.get(0).getText());
      });
    } catch (org.openqa.selenium.TimeoutException e) {
      throw new AssertionError("'" + css + "' did not show '" + expected + "' (it showed '" + last[0] + "')", e);
    }
  }

  private static void waitForTextContaining(String css, String expected) {
    String[] last = {null};
    try {
      new WebDriverWait(driver, WAIT).until(d -> {
        List<WebElement> e = d.findElements(By.cssSelector(css));
        return !e.isEmpty() && (last[0] = e.get(0).getText()).contains(expected);
      });
    } catch (org.openqa.selenium.TimeoutException e) {
      throw new AssertionError("'" + css + "' did not show '" + expected + "' (it showed '" + last[0] + "')", e);
    }
  }

  private static Object js(String script) {
    return ((JavascriptExecutor) driver).executeScript(script);
  }

  private static void screenshot(String name) {
    try {
      Path to = DashboardBrowserIT.SCREENSHOTS.resolve(name + ".png");
      Files.write(to, driver.getScreenshotAs(OutputType.BYTES));
      String docs = System.getProperty("mobile.docsScreenshots");
      if (docs != null) {
        Files.copy(to, Path.of(docs).resolve(name + ".png"), StandardCopyOption.REPLACE_EXISTING);
      }
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
