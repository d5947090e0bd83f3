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
import dev.orchestrator.event.TaskPausedEvent;
import dev.orchestrator.event.TaskStartedEvent;
import dev.orchestrator.event.TaskTransitionEvent;
import dev.orchestrator.run.Run;
import dev.orchestrator.run.RunStatus;
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
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInfo;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
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
  /** For the scenarios beside a run another engine executes. */
  private SharedFixture shared;
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
    if (shared != null) {
      assertThat(shared.dashboardCalls()).as("calls made by the dashboard's engine").isZero();
      shared.close();
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
    // A task an event shows before the runs view has come is titled by its id for that moment: wait for the view.
    waitForText(taskCss(run, "evil") + " .title", script);
    waitForText(taskCss(run, "worse") + " .title", img);
    waitForText(".run[data-run-id='" + run.id() + "'] .run-head .title", "<b>bold</b> workflow");
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

  @Test
  void aWorkflowDescribedInWordsIsPlannedShownAndRunOnAPhoneSizedPage() {
    fx = Fixture.start(DashboardOptions.builder().projects("blog")
        .planningContext(dev.orchestrator.templates.plan.PlanningContext.builder()
            .provider("claude", "anthropic").provider("chatgpt", "openai").defaultProvider("claude").build())
        .build());
    driver.manage().window().setSize(new Dimension(390, 844));
    open(fx.dashboard.url().toString());
    wait(WAIT).until(d -> "true".equals(js("return document.body.dataset.ready || '';")));
    WebElement box = wait(WAIT).until(d -> d.findElement(By.id("plan-request")));
    box.sendKeys(DashboardApiTest.Describing.ROADMAP);
    click("#plan-button");

    wait(WAIT).until(d -> d.findElements(By.cssSelector(".plan-tasks li")).size() == 3);
    List<WebElement> tasks = driver.findElements(By.cssSelector(".plan-tasks li"));
    assertThat(tasks.get(0).getText()).contains("chatgpt");
    assertThat(tasks.get(1).getText()).contains("claude");
    assertThat(driver.findElements(By.cssSelector(".plan-graph .node"))).hasSize(3);
    List<WebElement> edges = driver.findElements(By.cssSelector(".plan-graph line.edge"));
    String first = tasks.get(0).getAttribute("data-task");
    String second = tasks.get(1).getAttribute("data-task");
    String third = tasks.get(2).getAttribute("data-task");
    assertThat(edges).extracting(e -> e.getAttribute("data-from") + "->" + e.getAttribute("data-to"))
        .containsExactlyInAnyOrder(first + "->" + second, second + "->" + third);
    assertThat(text("[data-cost='low']")).startsWith("$");
    assertThat(text("[data-cost='expected']")).startsWith("$");
    assertThat(text("[data-cost='high']")).startsWith("$");
    assertThat(driver.findElements(By.cssSelector(".plan-order li"))).hasSize(3);
    screenshot(scenario + "-planned");
    Object overflow = js("return document.documentElement.scrollWidth > window.innerWidth + 1;");
    assertThat(overflow).as("nothing is wider than a phone's screen").isEqualTo(Boolean.FALSE);
    assertThat(fx.orchestrator.runs("blog")).as("planning runs nothing").isEmpty();

    click("#plan-run");
    wait(WAIT).until(d -> !fx.orchestrator.runs("blog").isEmpty());
    String runId = fx.orchestrator.runs("blog").get(0).id();
    wait(WAIT).until(d -> !d.findElements(By.cssSelector(".run[data-run-id='" + runId + "']")).isEmpty());
    assertThat(driver.findElements(By.id("plan-run"))).as("the plan is put away once it runs").isEmpty();
    fx.orchestrator.run("blog", runId).orElseThrow().cancel("test", "done");
  }

  // --- Beside a run that another engine executes: a second Orchestrator on the same store plays the process that
  // --- runs the work (as `orchestrator run --detach` would); the dashboard's engine only observes and steers.

  @Test
  void aQuestionOfARunElsewhereIsAnsweredInThePageAndTheTaskGoesOn() {
    shared = SharedFixture.start(DashboardOptions.ofDefaults(),
        c -> c.script(Reply.ask("Which tone should the post take?")), w -> { });
    Run run = shared.worker.submit("blog", Workflow.builder("post")
        .task("outline", t -> t.title("Outline the post").instructions("Outline a post about tides")).build());
    InputRequestedEvent asked = (InputRequestedEvent) shared.events.await(e -> e instanceof InputRequestedEvent);
    open(shared.dashboard.url() + "#questions");
    WebElement form = wait(WAIT).until(d -> d.findElement(
        By.cssSelector("form[data-question-id='" + asked.questionId() + "']")));
    assertThat(form.findElement(By.cssSelector(".question-text")).getText())
        .isEqualTo("Which tone should the post take?");
    assertThat(text("#question-count")).isEqualTo("1");
    waitForState(run, "outline", "AWAITING_INPUT");

    form.findElement(By.cssSelector("textarea")).sendKeys("Playful, for teenagers");
    form.findElement(By.cssSelector("button[data-action='answer']")).click();
    // The worker takes the answer from the store and calls its provider again, with the answer in the prompt.
    shared.events.await(e -> e instanceof TaskStartedEvent s && s.taskId().equals("outline") && s.attempt() == 2);
    Await.until("the worker's second call", () -> shared.claude.callCount() >= 2);
    assertThat(shared.claude.requests().get(1).prompt()).contains("Playful, for teenagers");
    wait(WAIT).until(d -> d.findElements(By.cssSelector("form[data-question-id]")).isEmpty());
    waitForState(run, "outline", "RUNNING");
    assertThat(text("#question-count")).isEmpty();
    assertThat(shared.observer.questions("blog")).isEmpty();
    run.cancel("test", "done");
  }

  @Test
  void pausingTheProjectInThePageStopsNewStartsElsewhereWithinASecond() {
    shared = SharedFixture.startAnswering(SharedFixture.Stores.inMemory(), Duration.ofMillis(100), "0.01");
    open(shared.dashboard.url() + "#queue");
    wait(WAIT).until(d -> "true".equals(js("return document.body.dataset.ready || '';")));
    // A chain of quick tasks: the worker starts one about every 100 ms until it is paused.
    Run run = shared.worker.submit("blog", chain(60));
    shared.events.awaitState("t5", TaskState.SUCCEEDED);
    click("button[data-action='pause-project']");
    wait(WAIT).until(d -> d.findElement(By.id("project-control")).getText().contains("PAUSED"));
    Instant pausedAt = Await.value("the stored pause", () -> shared.store.pauses().stream().findFirst()
        .map(dev.orchestrator.spi.store.Pause::at).orElse(null));
    TaskPausedEvent held = (TaskPausedEvent) shared.events.await(e -> e instanceof TaskPausedEvent);
    waitForState(run, held.taskId(), "PAUSED");
    assertThat(run.task(held.taskId()).state()).isEqualTo(TaskState.PAUSED);

    List<TaskStartedEvent> starts = run.events().stream().filter(TaskStartedEvent.class::isInstance)
        .map(TaskStartedEvent.class::cast).toList();
    assertThat(starts).hasSizeGreaterThan(5);
    Instant lastStart = starts.get(starts.size() - 1).at();
    Duration afterPause = Duration.between(pausedAt, lastStart);
    report("pause: last start %d ms after the pause was stored (%d tasks had started)", afterPause.toMillis(),
        starts.size());
    assertThat(afterPause).as("the last start came %s after the pause", afterPause)
        .isLessThan(Duration.ofSeconds(1));
    // Held: nothing starts while the project is paused, however long.
    long calls = shared.claude.callCount();
    shared.worker.circuit("claude"); // a round trip through the worker's loop, after anything it had queued
    assertThat(shared.claude.callCount()).isEqualTo(calls);
    assertThat(run.task(held.taskId()).state()).isEqualTo(TaskState.PAUSED);

    click("button[data-action='resume-project']");
    shared.events.await(e -> e instanceof TaskStartedEvent s && s.taskId().equals(held.taskId()));
    waitForState(run, held.taskId(), "RUNNING", "SUCCEEDED");
    wait(WAIT).until(d -> d.findElement(By.id("project-control")).getText().contains("ACTIVE"));
    run.cancel("test", "done");
  }

  /** Over the in-memory store, and over an H2 file that both engines open, as the command line's processes do. */
  @ParameterizedTest(name = "{0} store")
  @ValueSource(strings = {"in-memory", "H2 file"})
  void stateChangesOfARunElsewhereShowInThePageWithAMedianLatencyUnderASecond(String store, @TempDir Path dataDir) {
    shared = SharedFixture.startAnswering(store.equals("H2 file") ? SharedFixture.Stores.h2(dataDir)
        : SharedFixture.Stores.inMemory(), Duration.ofMillis(150), "0.01");
    open(shared.dashboard.url().toString());
    wait(WAIT).until(d -> "true".equals(js("return document.body.dataset.ready || '';")));
    // Records, from outside the page's code, when each task first shows each state.
    js("window.__seen = []; const keys = new Set();"
        + "new MutationObserver(() => { const now = Date.now();"
        + "  for (const el of document.querySelectorAll('#runs .task')) {"
        + "    const key = el.dataset.runId + '/' + el.dataset.taskId + '/' + el.dataset.state;"
        + "    if (!keys.has(key)) { keys.add(key); window.__seen.push({run: el.dataset.runId,"
        + "      task: el.dataset.taskId, state: el.dataset.state, at: now}); } } })"
        + ".observe(document.getElementById('runs'), {subtree: true, childList: true, attributes: true});");
    Run run = shared.worker.submit("blog", chain(10));
    assertThat(run.completion().orTimeout(20, TimeUnit.SECONDS).join().status()).isEqualTo(RunStatus.SUCCEEDED);
    // The run's status can come from a view read a moment ahead of the stream; its tasks' last states come by events.
    wait(WAIT).until(d -> d.findElements(By.cssSelector(".run[data-run-id='" + run.id() + "'] .task")).stream()
        .filter(el -> "SUCCEEDED".equals(el.getAttribute("data-state"))).count() == 10);

    List<TaskTransitionEvent> changes = run.events().stream().filter(TaskTransitionEvent.class::isInstance)
        .map(TaskTransitionEvent.class::cast).toList();
    assertThat(changes).hasSizeGreaterThanOrEqualTo(20);
    @SuppressWarnings("unchecked")
    List<Map<String, Object>> seen = (List<Map<String, Object>>) js("return window.__seen;");
    List<Long> latencies = new ArrayList<>();
    List<String> missing = new ArrayList<>();
    for (TaskTransitionEvent e : changes) {
      seen.stream().filter(s -> run.id().equals(s.get("run")) && e.taskId().equals(s.get("task"))
          && e.to().name().equals(s.get("state"))).findFirst().ifPresentOrElse(
              s -> latencies.add(((Number) s.get("at")).longValue() - e.at().toEpochMilli()),
              () -> missing.add(e.taskId() + " " + e.to()));
    }
    assertThat(missing).as("state changes that never showed").isEmpty();
    List<Long> sorted = latencies.stream().sorted().toList();
    long median = sorted.get(sorted.size() / 2);
    report("latency (%s store) over %d state changes: median %d ms, 90th percentile %d ms, max %d ms", store,
        sorted.size(), median,
        sorted.get(sorted.size() * 9 / 10), sorted.get(sorted.size() - 1));
    assertThat(median).as("median event-to-page latency in ms").isLessThan(1000);
    // The page applied every event of the run, each once, in order.
    @SuppressWarnings("unchecked")
    List<Map<String, Object>> applied = (List<Map<String, Object>>) js("return window.__dashboardLog.applied;");
    List<Long> appliedSequences = applied.stream().map(a -> ((Number) a.get("sequence")).longValue()).toList();
    List<Long> runSequences = shared.store.eventsAfter(0, 10_000).stream()
        .filter(e -> e.event().runId().equals(run.id())).map(dev.orchestrator.spi.store.StoredEvent::sequence).toList();
    assertThat(appliedSequences).containsAll(runSequences).isSorted().doesNotHaveDuplicates();
    assertThat(driver.findElements(By.cssSelector(".run[data-run-id='" + run.id() + "'] .task[data-state='SUCCEEDED']")))
        .hasSize(10);
  }

  @Test
  void aBudgetSetElsewhereAfterTheDashboardStartedShowsAndSpendMovesLive() {
    shared = SharedFixture.start();
    open(shared.dashboard.url() + "#cost");
    wait(WAIT).until(d -> "true".equals(js("return document.body.dataset.ready || '';")));
    assertThat(text("#gauges")).contains("No budget is set.");

    shared.worker.setBudget(Budget.of(BudgetScope.project("blog"), Money.usd("4")));
    String fill = ".gauge[data-scope='project blog'] .gauge-fill";
    wait(WAIT).until(d -> !d.findElements(By.cssSelector(fill)).isEmpty());
    assertThat(driver.findElement(By.cssSelector(fill)).getAttribute("data-share")).isIn("0", "0.0");

    Run run = shared.worker.submit("blog", DashboardApiTest.twoTasks());
    shared.answer(shared.claude, 0, "An outline", "1.00");
    wait(WAIT).until(d -> "0.25".equals(d.findElement(By.cssSelector(fill)).getAttribute("data-share")));
    assertThat(text(".gauge[data-scope='project blog'] .gauge-text")).contains("$1.00 of $4.00 (25%)");
    assertThat(text("#cost-summary")).contains("$1.00").contains("$3.00");
    assertThat(text("#by-provider")).contains("claude").contains("$1.00");
    screenshot(scenario + "-quarter");

    shared.answer(shared.claude, 1, "A draft", "2.00");
    wait(WAIT).until(d -> "0.75".equals(d.findElement(By.cssSelector(fill)).getAttribute("data-share")));
    assertThat(text("#by-provider")).contains("$3.00");
    open(shared.dashboard.url() + "#providers");
    wait(WAIT).until(d -> d.findElement(By.cssSelector(".provider[data-provider='claude'] .today")).getText()
        .equals("$3.00"));
    assertThat(run.completion().orTimeout(10, TimeUnit.SECONDS).join().status()).isEqualTo(RunStatus.SUCCEEDED);
  }

  @Test
  void aPageWhoseStreamReconnectsGetsTheEventsItMissedInOrder() {
    shared = SharedFixture.start(DashboardOptions.builder().defaultProject("blog").build(), c -> { }, w -> { });
    open(shared.dashboard.url().toString());
    wait(WAIT).until(d -> "true".equals(js("return document.body.dataset.ready || '';")));
    Run run = shared.worker.submit("blog", DashboardApiTest.twoTasks());
    waitForState(run, "outline", "RUNNING");
    long seen = ((Number) js("return Number(document.body.dataset.sequence);")).longValue();
    assertThat(seen).isEqualTo(shared.store.lastEventSequence());

    // The dashboard goes away; meanwhile the worker goes on; a new dashboard comes up at the same address.
    shared.restartDashboard(() -> {
      shared.answer(shared.claude, 0, "An outline", "0.10");
      shared.events.awaitState("draft", TaskState.RUNNING);
    });
    List<Long> missed = shared.store.eventsAfter(seen, 1000).stream()
        .filter(e -> e.event().project().equals("blog") || e.event().project().isEmpty())
        .map(dev.orchestrator.spi.store.StoredEvent::sequence).toList();
    assertThat(missed).isNotEmpty();
    // The browser reconnects by itself, sending Last-Event-ID; the new server sends the missed events from the store.
    wait(Duration.ofSeconds(20)).until(d -> ((Number) js("return Number(document.body.dataset.sequence);"))
        .longValue() >= missed.get(missed.size() - 1));
    @SuppressWarnings("unchecked")
    List<Map<String, Object>> applied = (List<Map<String, Object>>) js("return window.__dashboardLog.applied;");
    List<Long> sequences = applied.stream().map(a -> ((Number) a.get("sequence")).longValue()).toList();
    assertThat(sequences).containsAll(missed).isSorted().doesNotHaveDuplicates();
    waitForState(run, "outline", "SUCCEEDED");
    waitForState(run, "draft", "RUNNING");
    wait(WAIT).until(d -> "live".equals(d.findElement(By.id("live")).getText()));
    run.cancel("test", "done");
  }

  private static Workflow chain(int length) {
    Workflow.Builder b = Workflow.builder("chain");
    for (int i = 0; i < length; i++) {
      String id = "t" + i;
      String previous = "t" + (i - 1);
      b.task(id, t -> {
        t.title("Step " + id).instructions("step " + id);
        if (!id.equals("t0")) {
          t.dependsOn(previous);
        }
      });
    }
    return b.build();
  }

  /** A measured figure, printed for the build log and kept in target/screenshots/measurements.txt. */
  private static void report(String format, Object... args) {
    String line = String.format(java.util.Locale.ROOT, format, args);
    System.out.println("[dashboard] " + line);
    try {
      Files.writeString(SCREENSHOTS.resolve("measurements.txt"), line + System.lineSeparator(),
          java.nio.file.StandardOpenOption.CREATE, java.nio.file.StandardOpenOption.APPEND);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  @Test
  void theLearningSectionShowsTheFiguresAndWhatShadowComparisonsFound() throws Exception {
    dev.orchestrator.spi.provider.CostEstimate cent = dev.orchestrator.spi.provider.CostEstimate.of(
        dev.orchestrator.TokenUsage.NONE, Money.usd("0.01"), Money.usd("0.01"), Money.usd("0.01"), Duration.ZERO);
    dev.orchestrator.spi.provider.CostEstimate dime = dev.orchestrator.spi.provider.CostEstimate.of(
        dev.orchestrator.TokenUsage.NONE, Money.usd("0.10"), Money.usd("0.10"), Money.usd("0.10"), Duration.ZERO);
    dev.orchestrator.testkit.FakeProvider gemini = dev.orchestrator.testkit.FakeProvider.builder("gemini")
        .costPerCall(Money.usd("0.01")).estimate(cent).otherwise(r -> Reply.text("cheap answer")).build();
    // The judge prefers the answer saying "cheap", wherever the comparison put it.
    dev.orchestrator.testkit.FakeProvider judge = dev.orchestrator.testkit.FakeProvider.builder("judge").otherwise(r -> {
      String p = r.prompt();
      boolean aCheap = p.substring(p.indexOf("Answer A:"), p.indexOf("Answer B:")).contains("cheap");
      return Reply.text("{\"winner\":\"" + (aCheap ? "a" : "b") + "\",\"reason\":\"as good, cheaper\"}");
    }).build();
    fx = Fixture.start(DashboardOptions.builder().projects("blog").build(),
        c -> c.costPerCall(Money.usd("0.10")).estimate(dime).otherwise(r -> Reply.text("dear answer")),
        b -> b.provider(gemini, 2).provider(judge, 2).shadowEvaluation(
            dev.orchestrator.core.learn.ShadowPolicy.builder().sampleRate(1).promoteAfter(1, 1).judge("judge").build()));
    Run run = fx.orchestrator.submit("blog", Workflow.builder("summary").task("sum", t -> t.title("Summary")
        .instructions("Summarise the tides").taskType("summarization").providers("claude", "gemini")).build());
    assertThat(run.completion().get(10, TimeUnit.SECONDS).status()).isEqualTo(RunStatus.SUCCEEDED);
    List<Run> comparisons = fx.orchestrator.shadowComparisons(WAIT);
    assertThat(comparisons).hasSize(1);
    assertThat(comparisons.get(0).completion().get(10, TimeUnit.SECONDS).status()).isEqualTo(RunStatus.SUCCEEDED);

    open(fx.dashboard.url() + "#learning");
    String row = "table.shadow-table tr[data-challenger='gemini'][data-type='summarization']";
    wait(WAIT).until(d -> !d.findElements(By.cssSelector(row)).isEmpty());
    assertThat(text(row)).isEqualTo("gemini summarization 1 1 $0.01 yes");
    assertThat(driver.findElement(By.cssSelector(row + " td:last-child")).getAttribute("title"))
        .startsWith("gemini won 1 of its last 1 shadow comparisons on summarization");
    assertThat(text("table.learning-table tr[data-provider='claude'][data-type='summarization']"))
        .startsWith("claude summarization 1 100% 100%");
    assertThat(text("ul.recommendations")).contains("Assign summarization to gemini (promoted by shadow evaluation");
    assertThat(text("#learning")).as("no missing part shows as text").doesNotContain("null");
    screenshot(scenario + "-learning");
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

  private static void waitForState(Run run, String taskId, String... states) {
    String css = ".run[data-run-id='" + run.id() + "'] .task[data-task-id='" + taskId + "']";
    String state = String.join(" or ", states);
    try {
      wait(WAIT).until(d -> d.findElements(By.cssSelector(css)).stream()
          .anyMatch(e -> List.of(states).contains(e.getAttribute("data-state"))));
    } catch (org.openqa.selenium.TimeoutException e) {
      throw new AssertionError("task " + taskId + " did not show " + state + " within " + WAIT + "; the page shows: "
          + driver.findElements(By.cssSelector(css)).stream().map(el -> el.getAttribute("data-state")).toList()
          + "; engine: " + run.task(taskId).state(), e);
    }
  }

  /** Waits until the element's text is exactly {@code expected}; fails showing the last text seen. */
  private static void waitForText(String css, String expected) {
    String[] last = {null};
    try {
      wait(WAIT).until(d -> expected.equals(last[0] = d.findElement(By.cssSelector(css)).getText()));
    } catch (org.openqa.selenium.TimeoutException e) {
      throw new AssertionError("'" + css + "' did not show '" + expected + "' within " + WAIT + " (it showed '" + last[0]
          + "')", e);
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
