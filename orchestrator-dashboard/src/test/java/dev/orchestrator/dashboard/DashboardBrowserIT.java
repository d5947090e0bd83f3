package dev.orchestrator.dashboard;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.orchestrator.Money;
import dev.orchestrator.Priority;
import dev.orchestrator.budget.Budget;
import dev.orchestrator.budget.BudgetScope;
import dev.orchestrator.event.BudgetThresholdCrossedEvent;
import dev.orchestrator.event.InputRequestedEvent;
import dev.orchestrator.event.TaskStartedEvent;
import dev.orchestrator.run.Run;
import dev.orchestrator.run.TaskState;
import dev.orchestrator.testkit.FakeProvider.Reply;
import dev.orchestrator.workflow.Workflow;
import java.io.File;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInfo;
import org.openqa.selenium.By;
import org.openqa.selenium.Dimension;
import org.openqa.selenium.JavascriptExecutor;
import org.openqa.selenium.NoAlertPresentException;
import org.openqa.selenium.OutputType;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.chrome.ChromeDriverService;
import org.openqa.selenium.chrome.ChromeOptions;
import org.openqa.selenium.support.ui.WebDriverWait;

/**
 * The pages in real headless Chromium (Debian's {@code chromium} and {@code chromium-driver}), driven by Selenium
 * through the Debian driver so nothing is downloaded. One browser serves every scenario; each scenario has its own
 * orchestrator and dashboard on a free port. Screenshots go to {@code target/screenshots}.
 *
 * <p>Skipped, with a message, when {@code /usr/bin/chromium} is absent and {@code CI} is not set; under CI it runs
 * (and fails loudly if the packages are missing).
 */
class DashboardBrowserIT {
  static final Path CHROMIUM = Path.of("/usr/bin/chromium");
  static final Path CHROMEDRIVER = Path.of("/usr/bin/chromedriver");
  static final Path SCREENSHOTS = Path.of("target/screenshots");
  static final Duration WAIT = Duration.ofSeconds(10);

  private static ChromeDriver driver;
  private static Path profile;
  private Fixture fx;
  private String scenario = "scenario";

  @BeforeAll
  static void startBrowser() throws IOException {
    assumeTrue(Files.isExecutable(CHROMIUM) || System.getenv("CI") != null,
        "Browser tests skipped: /usr/bin/chromium is not installed (apt-get install chromium chromium-driver) and "
            + "CI is not set");
    // Debian's driver, named explicitly: Selenium Manager is never asked to find or download one.
    System.setProperty("webdriver.chrome.driver", CHROMEDRIVER.toString());
    profile = Files.createTempDirectory("dashboard-chromium-");
    ChromeOptions options = new ChromeOptions();
    options.setBinary(CHROMIUM.toFile());
    options.addArguments("--headless=new", "--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage",
        "--disable-background-networking", "--disable-component-update", "--disable-sync", "--no-first-run",
        "--user-data-dir=" + profile, "--window-size=1280,900", "--lang=en-US");
    ChromeDriverService service = new ChromeDriverService.Builder()
        .usingDriverExecutable(new File(CHROMEDRIVER.toString())).usingAnyFreePort().build();
    driver = new ChromeDriver(service, options);
    driver.manage().timeouts().pageLoadTimeout(WAIT);
    Files.createDirectories(SCREENSHOTS);
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
  void name(TestInfo info) {
    scenario = info.getTestMethod().map(java.lang.reflect.Method::getName).orElse("scenario");
    driver.manage().window().setSize(new Dimension(1280, 900));
  }

  @AfterEach
  void stop() {
    if (driver != null) {
      screenshot(scenario + "-end");
    }
    if (fx != null) {
      fx.close();
    }
  }

  @Test
  void aTaskGoesFromReadyToSucceededLiveWithoutReloading() {
    fx = Fixture.start();
    Run run = fx.orchestrator.submit("blog", DashboardApiTest.twoTasks());
    fx.events.awaitState("outline", TaskState.RUNNING);
    open(fx.dashboard.url().toString());
    waitForState(run, "draft", "READY");
    waitForState(run, "outline", "RUNNING");
    js("window.__sameDocument = 'yes';");
    screenshot(scenario + "-ready");

    fx.answer(fx.claude, 0, "An outline", "0.10");
    fx.events.awaitState("draft", TaskState.RUNNING);
    waitForState(run, "draft", "RUNNING");
    long before = System.nanoTime();
    fx.answer(fx.claude, 1, "A draft", "0.20");
    waitForState(run, "draft", "SUCCEEDED");
    long millis = (System.nanoTime() - before) / 1_000_000;
    assertThat(millis).as("the change showed after %d ms", millis).isLessThan(1000);
    assertThat(js("return window.__sameDocument;")).isEqualTo("yes");
    assertThat(text(".run[data-run-id='" + run.id() + "']")).contains("SUCCEEDED");
  }

  @Test
  void cancelsARunningTaskByClicking() {
    fx = Fixture.start();
    Run run = fx.orchestrator.submit("blog", DashboardApiTest.twoTasks());
    fx.events.awaitState("outline", TaskState.RUNNING);
    open(fx.dashboard.url().toString());
    waitForState(run, "outline", "RUNNING");
    click(taskCss(run, "outline") + " button[data-action='cancel']");
    waitForState(run, "outline", "CANCELLED");
    assertThat(run.task("outline").state()).isEqualTo(TaskState.CANCELLED);
    assertThat(run.task("outline").cancellation().by()).isEqualTo("dashboard");
    assertThat(fx.claude.cancelledCount()).isEqualTo(1);
    // The freed slot goes to the next task, live, and the cancelled one offers a resume.
    waitForState(run, "draft", "RUNNING");
    wait(WAIT).until(d -> d.findElements(By.cssSelector(taskCss(run, "outline")
        + " button[data-action='resume']")).size() == 1);
  }

  @Test
  void answersAQuestionFromThePage() {
    fx = Fixture.start(DashboardOptions.ofDefaults(), c -> c.script(Reply.ask("Which tone should the post take?")),
        b -> { });
    fx.orchestrator.submit("blog", Workflow.builder("post")
        .task("outline", t -> t.title("Outline the post").instructions("Outline a post about tides")).build());
    InputRequestedEvent asked = (InputRequestedEvent) fx.events.await(e -> e instanceof InputRequestedEvent);
    open(fx.dashboard.url() + "#questions");
    WebElement form = wait(WAIT).until(d -> d.findElement(
        By.cssSelector("form[data-question-id='" + asked.questionId() + "']")));
    assertThat(form.findElement(By.cssSelector(".question-text")).getText())
        .isEqualTo("Which tone should the post take?");
    assertThat(text("#question-count")).isEqualTo("1");
    screenshot(scenario + "-open");
    form.findElement(By.cssSelector("textarea")).sendKeys("Playful, for teenagers");
    form.findElement(By.cssSelector("button[data-action='answer']")).click();
    fx.events.await(e -> e instanceof TaskStartedEvent s && s.taskId().equals("outline") && s.attempt() == 2);
    wait(WAIT).until(d -> d.findElements(By.cssSelector("form[data-question-id]")).isEmpty());
    assertThat(fx.claude.requests().get(1).prompt()).contains("Playful, for teenagers");
    assertThat(fx.orchestrator.questions("blog")).isEmpty();
  }

  @Test
  void theBudgetGaugeMovesAsMoneyIsSpent() {
    fx = Fixture.start(DashboardOptions.ofDefaults(), c -> { },
        b -> b.budget(Budget.of(BudgetScope.project("blog"), Money.usd("4"))));
    Run run = fx.orchestrator.submit("blog", DashboardApiTest.twoTasks());
    fx.events.awaitState("outline", TaskState.RUNNING);
    open(fx.dashboard.url() + "#cost");
    String fill = ".gauge[data-scope='project blog'] .gauge-fill";
    wait(WAIT).until(d -> "0.0".equals(d.findElement(By.cssSelector(fill)).getAttribute("data-share"))
        || "0".equals(d.findElement(By.cssSelector(fill)).getAttribute("data-share")));
    double emptyWidth = width(fill);

    fx.answer(fx.claude, 0, "An outline", "1.00");
    wait(WAIT).until(d -> "0.25".equals(d.findElement(By.cssSelector(fill)).getAttribute("data-share")));
    screenshot(scenario + "-quarter");
    double quarter = width(fill);
    assertThat(quarter).isGreaterThan(emptyWidth);
    assertThat(text(".gauge[data-scope='project blog'] .gauge-text")).contains("$1.00 of $4.00 (25%)");

    fx.events.awaitState("draft", TaskState.RUNNING);
    fx.answer(fx.claude, 1, "A draft", "2.00");
    fx.events.await(e -> e instanceof BudgetThresholdCrossedEvent t && t.threshold() == 0.75);
    wait(WAIT).until(d -> "0.75".equals(d.findElement(By.cssSelector(fill)).getAttribute("data-share")));
    assertThat(width(fill)).isGreaterThan(quarter);
    assertThat(driver.findElements(By.cssSelector(".gauge[data-scope='project blog'] .gauge-tick.crossed")))
        .hasSize(2);
    assertThat(text("#cost-summary")).contains("$3.00");
    assertThat(text("#by-provider")).contains("claude").contains("$3.00");
    assertThat(driver.findElements(By.cssSelector("#by-day svg rect.day-bar"))).hasSize(1);
    run.cancel("test", "done");
  }

  @Test
  void userTextIsShownAsTextNeverRun() {
    String script = "<script>alert(1)</script>";
    String img = "<img src=x onerror=alert(2)>";
    fx = Fixture.start(DashboardOptions.ofDefaults(), c -> c.script(Reply.hang(), Reply.ask(img)), b -> { });
    Run run = fx.orchestrator.submit("blog", Workflow.builder("<b>bold</b> workflow")
        .task("evil", t -> t.title(script).instructions("x"))
        .task("worse", t -> t.title(img).instructions("y").provider("chatgpt"))
        .build());
    fx.events.awaitState("evil", TaskState.RUNNING);
    open(fx.dashboard.url().toString());
    waitForState(run, "evil", "RUNNING");
    assertThat(text(taskCss(run, "evil") + " .title")).isEqualTo(script);
    assertThat(text(taskCss(run, "worse") + " .title")).isEqualTo(img);
    assertThat(text(".run[data-run-id='" + run.id() + "'] .run-head .title")).isEqualTo("<b>bold</b> workflow");
    assertThat(driver.findElements(By.cssSelector("#runs img, #runs b, #runs script"))).isEmpty();
    assertThat(driver.findElements(By.tagName("script"))).hasSize(1); // app.js only
    assertThatThrownBy(() -> driver.switchTo().alert()).isInstanceOf(NoAlertPresentException.class);
    assertThat(js("return typeof window.__pwned;")).isEqualTo("undefined");
  }

  @Test
  void aNonLoopbackBindRefusesTheBrowserWithoutTheToken() {
    String token = DashboardApiTest.TOKEN;
    fx = Fixture.start(DashboardOptions.builder().host("0.0.0.0").accessToken(token).build());
    fx.orchestrator.submit("blog", DashboardApiTest.twoTasks());
    // Bound to every interface; reached here through loopback, which the token check does not exempt.
    String local = "http://127.0.0.1:" + fx.dashboard.port() + "/";
    open(local);
    wait(WAIT).until(d -> !d.findElements(By.tagName("h1")).isEmpty());
    assertThat(text("h1")).isEqualTo("Access token required");
    assertThat(driver.getPageSource()).doesNotContain(token);
    screenshot(scenario + "-refused");

    open(local + "?token=" + token);
    wait(WAIT).until(d -> "true".equals(js("return document.body.dataset.ready || '';")));
    assertThat(driver.getCurrentUrl()).doesNotContain(token);
    wait(WAIT).until(d -> !d.findElements(By.cssSelector(".task[data-task-id='outline']")).isEmpty());
    // Signed in by cookie, the page can steer: pause a provider through the CSRF-protected POST.
    open(local + "#providers");
    click(".provider[data-provider='chatgpt'] button[data-action='pause-provider']");
    wait(WAIT).until(d -> fx.orchestrator.circuit("chatgpt").paused());
  }

  /** Builds a busy dashboard and photographs every section, at desktop and phone size, for the docs. */
  @Test
  void tourOfEverySectionForTheDocs() {
    fx = Fixture.start(DashboardOptions.builder().projects("quantum-self", "blog").build(),
        c -> c.script(Reply.text("Sources and notes")),
        b -> b.budget(Budget.of(BudgetScope.project("quantum-self"), Money.usd("5")))
            .budget(Budget.of(BudgetScope.providerDaily("claude"), Money.usd("2"))));
    fx.chatgpt.enqueue(Reply.hang(), Reply.ask("Should the article cite the 2019 study or the 2023 replication?"));
    Workflow article = Workflow.builder("Article pipeline")
        .task("research", t -> t.title("Research: habits that stick").instructions("Research"))
        .task("outline", t -> t.title("Outline the article").instructions("Outline").dependsOn("research")
            .priority(Priority.HIGH))
        .task("review", t -> t.title("Review the sources").instructions("Review").provider("chatgpt")
            .dependsOn("research"))
        .task("draft", t -> t.title("Draft 1,500 words").instructions("Draft").dependsOn("research"))
        .task("seo", t -> t.title("SEO keywords").instructions("SEO").provider("chatgpt").priority(Priority.LOW))
        .task("publish", t -> t.title("Publish").instructions("Publish").dependsOn("outline", "draft"))
        .build();
    Run run = fx.orchestrator.submit("quantum-self", article);
    fx.events.awaitState("research", TaskState.SUCCEEDED);
    fx.events.awaitState("outline", TaskState.RUNNING);
    fx.events.await(e -> e instanceof InputRequestedEvent);
    fx.events.awaitState("seo", TaskState.RUNNING);
    fx.answer(fx.chatgpt, 0, "budget, habits, focus", "0.35");
    fx.events.awaitState("seo", TaskState.SUCCEEDED);
    fx.answer(fx.claude, 1, "An outline", "1.40");
    fx.events.awaitState("draft", TaskState.RUNNING);

    open(fx.dashboard.url().toString());
    waitForState(run, "draft", "RUNNING");
    waitForState(run, "publish", "BLOCKED");
    Path runs = screenshot("tour-runs");
    copyToDocs(runs);
    for (String tab : List.of("queue", "providers", "questions", "cost")) {
      open(fx.dashboard.url() + "#" + tab);
      wait(WAIT).until(d -> "true".equals(js("return document.body.dataset.ready || '';")));
      screenshot("tour-" + tab);
    }
    assertThat(text("#gauges")).contains("project quantum-self").contains("claude daily");
    driver.manage().window().setSize(new Dimension(390, 844));
    open(fx.dashboard.url().toString());
    waitForState(run, "draft", "RUNNING");
    screenshot("tour-phone-runs");
    // Phone-sized: nothing is wider than the screen.
    Object overflow = js("return document.documentElement.scrollWidth > window.innerWidth + 1;");
    assertThat(overflow).isEqualTo(Boolean.FALSE);
    run.cancel("test", "done");
  }

  // --- helpers ---

  private static void copyToDocs(Path shot) {
    // Only when asked: the committed picture changes on purpose, not on every test run.
    String to = System.getProperty("dashboard.docsScreenshot");
    if (to != null && shot != null) {
      try {
        Files.copy(shot, Path.of(to), StandardCopyOption.REPLACE_EXISTING);
      } catch (IOException e) {
        throw new UncheckedIOException(e);
      }
    }
  }

  private static void open(String url) {
    driver.get(url);
  }

  private static WebDriverWait wait(Duration timeout) {
    WebDriverWait w = new WebDriverWait(driver, timeout);
    w.pollingEvery(Duration.ofMillis(25));
    w.ignoring(org.openqa.selenium.StaleElementReferenceException.class); // The page re-renders as events arrive.
    return w;
  }

  private static String taskCss(Run run, String taskId) {
    return ".run[data-run-id='" + run.id() + "'] .task[data-task-id='" + taskId + "']";
  }

  /** Clicks, retrying while a live update replaces the element. */
  private static void click(String css) {
    wait(WAIT).until(d -> {
      d.findElement(By.cssSelector(css)).click();
      return true;
    });
  }

  private static void waitForState(Run run, String taskId, String state) {
    String css = ".run[data-run-id='" + run.id() + "'] .task[data-task-id='" + taskId + "']";
    try {
      wait(WAIT).until(d -> d.findElements(By.cssSelector(css)).stream()
          .anyMatch(e -> state.equals(e.getAttribute("data-state"))));
    } catch (org.openqa.selenium.TimeoutException e) {
      throw new AssertionError("task " + taskId + " did not show " + state + " within " + WAIT + "; the page shows: "
          + driver.findElements(By.cssSelector(css)).stream().map(el -> el.getAttribute("data-state")).toList()
          + "; engine: " + run.task(taskId).state(), e);
    }
  }

  /** Reads text, retrying while a live update replaces the element. */
  private static String text(String css) {
    return wait(WAIT).until(d -> d.findElement(By.cssSelector(css)).getText());
  }

  private static double width(String css) {
    return wait(WAIT).until(d -> d.findElement(By.cssSelector(css)).getRect().getWidth());
  }

  private static Object js(String script) {
    return ((JavascriptExecutor) driver).executeScript(script);
  }

  private static Path screenshot(String name) {
    try {
      Path to = SCREENSHOTS.resolve(name + ".png");
      Files.write(to, driver.getScreenshotAs(OutputType.BYTES));
      return to;
    } catch (IOException | RuntimeException e) {
      return null;
    }
  }
}
