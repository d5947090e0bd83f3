package dev.orchestrator.dashboard;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import com.fasterxml.jackson.databind.JsonNode;
import dev.orchestrator.run.Run;
import dev.orchestrator.templates.Template;
import dev.orchestrator.templates.TemplateTask;
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
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.openqa.selenium.By;
import org.openqa.selenium.Dimension;
import org.openqa.selenium.JavascriptExecutor;
import org.openqa.selenium.Keys;
import org.openqa.selenium.OutputType;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.chrome.ChromeDriverService;
import org.openqa.selenium.chrome.ChromeOptions;
import org.openqa.selenium.interactions.Actions;
import org.openqa.selenium.support.ui.Select;
import org.openqa.selenium.support.ui.WebDriverWait;

/**
 * The run page, the runs list, the template form, the charts and the visual builder in headless Chromium, driven
 * by Selenium through Debian's driver (as {@link DashboardBrowserIT}). One browser and one dashboard (with runs
 * already in its store, see {@link PagesFixture}) serve every test, so they stay quick on a small machine.
 * Screenshots go to {@code target/screenshots}; with {@code -Ddashboard.docsDir=$PWD/docs} the representative ones
 * are copied there for docs/dashboard.md.
 */
class DashboardPagesIT {
  static final Duration WAIT = Duration.ofSeconds(15);

  private static ChromeDriver driver;
  private static Path profile;
  private static PagesFixture fx;
  private static Http http;

  @BeforeAll
  static void start() throws IOException {
    assumeTrue(Files.isExecutable(DashboardBrowserIT.CHROMIUM) || System.getenv("CI") != null,
        "Browser tests skipped: /usr/bin/chromium is not installed (apt-get install chromium chromium-driver) and "
            + "CI is not set");
    System.setProperty("webdriver.chrome.driver", DashboardBrowserIT.CHROMEDRIVER.toString());
    profile = Files.createTempDirectory("dashboard-pages-chromium-");
    ChromeOptions options = new ChromeOptions();
    options.setBinary(DashboardBrowserIT.CHROMIUM.toFile());
    options.addArguments("--headless=new", "--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage",
        "--disable-background-networking", "--disable-component-update", "--disable-sync", "--no-first-run",
        "--user-data-dir=" + profile, "--window-size=1400,1000", "--lang=en-US");
    ChromeDriverService service = new ChromeDriverService.Builder()
        .usingDriverExecutable(new File(DashboardBrowserIT.CHROMEDRIVER.toString())).usingAnyFreePort().build();
    driver = new ChromeDriver(service, options);
    driver.manage().timeouts().pageLoadTimeout(WAIT);
    Files.createDirectories(DashboardBrowserIT.SCREENSHOTS);
    fx = new PagesFixture();
    http = fx.http();
  }

  @AfterAll
  static void stop() throws IOException {
    if (driver != null) {
      driver.quit();
    }
    if (fx != null) {
      fx.close();
    }
    if (profile != null) {
      try (var files = Files.walk(profile)) {
        files.sorted(java.util.Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
      }
    }
  }

  @BeforeEach
  void size() {
    driver.manage().window().setSize(new Dimension(1400, 1000));
  }

  @Test
  void aFourTaskFanInIsBuiltByDragAndDropRefusesACycleIsSavedRunAndTurnsGreen() throws IOException {
    open("#builder");
    WebElement palette = find("#palette [data-palette=task]");
    WebElement canvas = find("#builder-canvas");
    int[][] at = {{-250, -140}, {-250, 90}, {0, -25}, {240, -25}};
    for (int i = 0; i < at.length; i++) {
      new Actions(driver).clickAndHold(palette).moveToElement(canvas, at[i][0], at[i][1]).release().perform();
      int n = i + 1;
      until("task " + n + " on the canvas", () -> count("#builder-canvas .bnode") == n);
    }
    link("task1", "task3");
    link("task2", "task3");
    link("task3", "task4");
    until("three dependencies drawn", () -> count("#builder-edges path.edge") == 3);
    until("the server's checks pass", () -> "true".equals(attr("#builder-problems", "data-ok")));
    assertThat(text("#builder-dry")).contains("Wave 1: task1 (claude), task2 (claude)").contains("Wave 3: task4");

    // task1 waiting for task4 would close a loop: the server names the cycle, and the page takes the link back.
    link("task4", "task1");
    until("the cycle refused on its nodes", () -> has("#builder-canvas .bnode.refused[data-task-id=task1]"));
    String problem = text("#builder-canvas .bnode[data-task-id=task1] [data-role=problems]");
    assertThat(problem).contains("Refused").contains("cycle").contains("task1").contains("task4");
    // The loop runs task1 -> task3 -> task4 -> task1: task2 is not part of it.
    assertThat(count("#builder-canvas .bnode.refused")).isEqualTo(3);
    assertThat(has("#builder-canvas .bnode.refused[data-task-id=task2]")).isFalse();
    screenshot("builder-cycle-refused");
    copyToDocs("builder-cycle-refused", "dashboard-builder-cycle.png");
    until("the link taken back and the checks passing again", () -> count("#builder-edges path.edge") == 3
        && "true".equals(attr("#builder-problems", "data-ok")));

    // The side panel edits the selected task; the keyboard reaches every node.
    find("#builder-canvas .bnode[data-task-id=task4]").sendKeys(Keys.ENTER);
    WebElement title = find("#bf-title");
    title.clear();
    title.sendKeys("Publish");
    until("the node shows its new title", () -> text("#builder-canvas .bnode[data-task-id=task4] .bnode-title")
        .equals("Publish"));
    WebElement name = find("#builder-name");
    name.clear();
    name.sendKeys("Fan in demo");
    until("the checks pass after editing", () -> "true".equals(attr("#builder-problems", "data-ok"))
        && find("#builder-save").isEnabled() && !has("#builder-canvas .bnode.refused"));
    js("document.getElementById('toast').hidden = true"); // the refusal's notice, shown above
    screenshot("builder");
    copyToDocs("builder", "dashboard-builder.png");

    find("#builder-save-name").sendKeys("fan-in-demo");
    find("#builder-save").click();
    until("saved", () -> "fan-in-demo".equals(attr("#builder", "data-saved")));
    Template saved = Template.read(fx.templates.resolve("fan-in-demo.json"));
    assertThat(saved.name()).isEqualTo("Fan in demo");
    assertThat(saved.tasks()).extracting(TemplateTask::id).containsExactly("task1", "task2", "task3", "task4");
    assertThat(saved.task("task3").dependsOn()).containsExactlyInAnyOrder("task1", "task2");
    assertThat(saved.task("task4").title()).isEqualTo("Publish");

    find("#builder-run").click();
    until("the run page opened", () -> driver.getCurrentUrl().contains("#run/list/"));
    until("every node green", () -> count("#run-graph g.node[data-state=SUCCEEDED]") == 4);
    assertThat(count("#run-graph path.edge")).isEqualTo(3);
    assertThat(driver.findElement(By.cssSelector("#run-graph g.node[data-state=SUCCEEDED] rect"))
        .getCssValue("fill")).isEqualTo("rgb(220, 243, 229)");
    screenshot("builder-run");
  }

  @Test
  void theBuilderWorksFromTheKeyboardAndOpensExportsAndImportsTemplates() {
    open("#builder");
    // Keyboard only: two tasks from the palette, the second made to depend on the first, moved, one removed.
    WebElement palette = find("#palette [data-palette=task]");
    palette.sendKeys(Keys.ENTER);
    palette.sendKeys(Keys.ENTER);
    until("two tasks", () -> count("#builder-canvas .bnode") == 2);
    find("#builder-canvas .bnode[data-task-id=task2]").sendKeys(Keys.ENTER);
    until("the side panel of task2", () -> text("#builder-panel h3").equals("Task task2"));
    find("#builder-panel input[data-depends=task1]").sendKeys(Keys.SPACE);
    until("task2 waits for task1", () -> count("#builder-edges path.edge[data-from=task1][data-to=task2]") == 1);
    WebElement node = find("#builder-canvas .bnode[data-task-id=task2]");
    int left = node.getLocation().getX();
    node.sendKeys(Keys.ARROW_RIGHT, Keys.ARROW_RIGHT);
    until("moved by the arrow keys", () -> find("#builder-canvas .bnode[data-task-id=task2]").getLocation().getX()
        == left + 20);
    find("#builder-canvas .bnode[data-task-id=task2]").sendKeys(Keys.DELETE);
    until("removed with Delete", () -> count("#builder-canvas .bnode") == 1 && count("#builder-edges path.edge") == 0);

    // A copy of a template, laid out; its JSON exported, changed and imported back.
    new Select(find("#builder-open")).selectByValue("weekly-digest");
    until("the copy on the canvas", () -> count("#builder-canvas .bnode") == 2
        && count("#builder-edges path.edge[data-from=collect][data-to=write]") == 1);
    assertThat(find("#builder-name").getAttribute("value")).isEqualTo("Copy of Weekly Digest");
    until("the copy checked", () -> "true".equals(attr("#builder-problems", "data-ok")));
    find("#builder-export").click();
    String json = find("#builder-json").getAttribute("value");
    assertThat(json).contains("\"depends_on\": [\n        \"collect\"\n      ]").contains("\"topic\"")
        .contains("{{tasks.collect.output}}");
    assertThat(Template.parse(json).tasks()).hasSize(2);
    WebElement box = find("#builder-json");
    box.clear();
    ((JavascriptExecutor) driver).executeScript("arguments[0].value = arguments[1]", box,
        json.replace("\"Copy of Weekly Digest\"", "\"Imported digest\"").replace("{{topic}}", "{{subject}}"));
    find("#builder-import").click();
    until("imported", () -> "Imported digest".equals(find("#builder-name").getAttribute("value")));
    // The import names a parameter no one declared: the server's check says so on the task.
    until("the missing parameter on its node", () -> text("#builder-canvas .bnode[data-task-id=collect] "
        + "[data-role=problems]").contains("subject"));
    assertThat(attr("#builder-problems", "data-ok")).isEqualTo("false");
    assertThat(find("#builder-run").isEnabled()).isFalse();

    // A tablet held upright: the builder stacks, the canvas stays usable and nothing is wider than the screen.
    driver.manage().window().setSize(new Dimension(820, 1180));
    until("stacked", () -> find("#builder-canvas").getSize().getWidth() > 600);
    assertThat(js("return document.documentElement.scrollWidth <= window.innerWidth")).isEqualTo(true);
    screenshot("builder-tablet");
  }

  @Test
  void theRunPageAnswersATasksQuestion() {
    Run run = fx.orchestrator.submit("list", Workflow.builder("Asked")
        .task("ask", t -> t.title("Write with the right tone").instructions("Write; the tone is: {{input}}")
            .provider("asker")).build());
    open("#run/list/" + run.id());
    until("the question on the page", () -> has("#run-task .question textarea"));
    assertThat(text("#run-task .question")).contains("Which tone should it take?");
    find("#run-task .question textarea").sendKeys("cheerful");
    find("#run-task [data-action=answer]").click();
    until("the task done with the answer", () -> has("#run-graph g.node[data-task-id=ask][data-state=SUCCEEDED]")
        && text("#run-task").contains("cheerful"));
    assertThat(text("#run-task .qa")).contains("Which tone should it take?").contains("cheerful");
    PagesFixture.finish(run);
  }

  @Test
  void theRunPageShowsTheGraphPromptSanitisedMarkdownAttemptsAndTimeline() {
    String id = http.getJson("api/runs?q=topic%203").get("runs").get(0).get("id").asText();
    open("#run/list/" + id);
    until("the graph", () -> count("#run-graph g.node[data-state=SUCCEEDED]") == 2);
    assertThat(attr("#run-graph path.edge", "data-from")).isEqualTo("collect");
    find("#run-graph g.node[data-task-id=write]").click();
    until("the task's details", () -> "write".equals(attr("#run-task", "data-task-id")));
    until("the Markdown output", () -> has("#run-task .markdown strong"));
    assertThat(text("#run-task .markdown strong")).isEqualTo("bold point");
    assertThat(text("#run-task .markdown h2")).isEqualTo("Summary");
    assertThat(count("#run-task .markdown script, #run-task .markdown img, #run-task .markdown [onerror]")).isZero();
    assertThat(js("return window.__pwned === undefined")).isEqualTo(true);
    assertThat(text("#run-task [data-role=prompt]")).contains("Write a plain digest of 300 words");
    assertThat(text("#run-task table.attempts tbody")).contains("claude").contains("120 / 40").contains("$0.02");
    assertThat(text("#run-task .guards")).contains("FLAG").contains("two-points on the output: the digest has only two "
        + "points");
    until("the timeline", () -> "2".equals(attr("#run-timeline", "data-attempts")) && has("#run-timeline svg path"));
    screenshot("run-page");
    copyToDocs("run-page", "dashboard-run.png");
  }

  @Test
  void theRunPageShowsATasksConversationAsAThreadAndItsCommitsLive() throws IOException {
    Run run = fx.conversation();
    open("#run/talk/" + run.id());
    until("the task's details", () -> "draft".equals(attr("#run-task", "data-task-id")));
    until("the conversation", () -> count("#run-task [data-role=conversation] .message") == 3);
    assertThat(count("#run-task .thread-attempt[data-attempt='1']")).isEqualTo(1);
    List<WebElement> messages = driver.findElements(By.cssSelector("#run-task .thread .message"));
    assertThat(messages).extracting(m -> m.getAttribute("data-kind")).containsExactly("question", "answer", "final");
    assertThat(messages.get(0).findElement(By.cssSelector(".message-head")).getText())
        .contains("author → critic").containsIgnoringCase("question").contains("50 / 12 tokens").contains("$0.01");
    assertThat(messages.get(0).findElement(By.cssSelector(".message-text")).getText())
        .contains("Is").contains("warm enough?");
    assertThat(messages.get(1).getText()).contains("critic → author").contains("30 / 10 tokens").contains("$0.03")
        .contains("Too formal; be warmer.");
    assertThat(text("#run-task .message[data-kind=final] .message-text strong")).isEqualTo("warmer");
    // The question's <script> and <img onerror> neither show as elements nor run.
    assertThat(count("#run-task .thread script, #run-task .thread img, #run-task .thread [onerror]")).isZero();
    assertThat(js("return window.__pwned === undefined")).isEqualTo(true);
    assertThat(has("#run-task .commits")).isFalse();
    assertThat(has("#run-header .run-branch")).isFalse();

    fx.commit(run);
    until("the commits, live", () -> count("#run-task .commits > li") == 2);
    assertThat(text("#run-task .commits > li[data-commit-action=task]")).contains("3f2a9c1").contains("TASK")
        .contains("orchestrator/" + run.id() + "/draft").contains("posts/launch.md").contains("README.md");
    assertThat(attr("#run-task .commits > li[data-commit-action=task] .commit-id", "title"))
        .isEqualTo(PagesFixture.TASK_COMMIT);
    assertThat(text("#run-task .commits > li[data-commit-action=merge]")).contains("9b8c7d6").contains("MERGE")
        .contains("orchestrator/" + run.id() + "/@run");
    until("the run's branch", () -> has("#run-header .run-branch"));
    assertThat(text("#run-header .run-branch")).isEqualTo("Branch orchestrator/" + run.id() + "/@run");
    screenshot("run-conversation");
    copyToDocs("run-conversation", "dashboard-run-conversation.png");

    // With the project's repository on this machine, a commit opens its diff, as text.
    Path repo = Files.createTempDirectory("dashboard-pages-vcs-");
    try {
      String commit = fx.commitInRepository(run, repo, "launch.md",
          "A warmer launch post.\n<img src=x onerror=\"window.__pwned = 5\">\n");
      until("the new commit's diff", () -> has("#run-task .commits > li[data-commit='" + commit + "'] .commit-diff"));
      find("#run-task .commits > li[data-commit='" + commit + "'] .commit-diff summary").click();
      String diff = "#run-task .commits > li[data-commit='" + commit + "'] [data-role=diff]";
      until("the diff read", () -> text(diff).contains("+A warmer launch post."));
      assertThat(text(diff)).contains("+++ b/launch.md")
          .contains("+<img src=x onerror=\"window.__pwned = 5\">");
      assertThat(count("#run-task .commits img, #run-task .commits [onerror]")).isZero();
      assertThat(js("return window.__pwned === undefined")).isEqualTo(true);
    } finally {
      fx.dropRepository(repo);
    }
  }

  @Test
  void theRunPageFollowsATaskLiveAndItsControlsSteerIt() {
    Run run = fx.orchestrator.submit("list", Workflow.builder("Live")
        .task("wait", t -> t.title("Wait for slow").instructions("Hang").provider("slow")).build());
    open("#run/list/" + run.id());
    until("the task running", () -> has("#run-graph g.node[data-task-id=wait][data-state=RUNNING]"));
    until("its controls", () -> has("#run-task [data-action=cancel]"));
    find("#run-task [data-action=cancel]").click();
    until("the node cancelled, live", () -> has("#run-graph g.node[data-task-id=wait][data-state=CANCELLED]"));
    PagesFixture.finish(run);
    until("the run's own controls", () -> has("#run-header [data-action=rerun]"));
  }

  @Test
  void theRunsListIsSearchedFilteredAndPaged() {
    open("#history");
    until("the first page", () -> count("#run-table tbody tr") == 20);
    int total = http.getJson("api/runs").get("total").asInt();
    assertThat(text("#runs-page")).isEqualTo("1–20 of " + total);
    find("#runs-next").click();
    until("the second page", () -> text("#runs-page").equals("21–" + total + " of " + total));
    assertThat(count("#run-table tbody tr")).isEqualTo(total - 20);

    new Select(find("#run-filters select[name=status]")).selectByValue("FAILED");
    until("only the failed run", () -> count("#run-table tbody tr") == 1);
    assertThat(attr("#run-table tbody tr", "data-status")).isEqualTo("FAILED");
    assertThat(text("#run-table tbody tr")).contains("Broken").contains("flaky");
    new Select(find("#run-filters select[name=status]")).selectByValue("");
    new Select(find("#run-filters select[name=provider]")).selectByValue("chatgpt");
    until("the chatgpt runs", () -> count("#run-table tbody tr") == 2 && text("#run-table").contains("Report"));
    new Select(find("#run-filters select[name=provider]")).selectByValue("");
    find("#run-filters input[name=q]").sendKeys("topic 7");
    until("the search's one run", () -> count("#run-table tbody tr") == 1);
    assertThat(text("#run-table tbody tr")).contains("Weekly Digest");
    screenshot("runs-list");
    find("#run-filters input[name=q]").clear();
    find("#run-filters input[name=q]").sendKeys(" ");
    until("every run again", () -> count("#run-table tbody tr") == 20);
    screenshot("runs");
    copyToDocs("runs", "dashboard-runs.png");
  }

  @Test
  void aTemplateRunStartsFromTheFormItsSchemaGenerates() {
    open("#history");
    until("the templates", () -> count("#template-pick option") > 1);
    new Select(find("#template-pick")).selectByValue("weekly-digest");
    until("the form", () -> has("#template-form form[data-template=weekly-digest]"));
    assertThat(attr("#param-words", "type")).isEqualTo("number");
    assertThat(attr("#param-words", "value")).isEqualTo("300");
    assertThat(attr("#param-words", "max")).isEqualTo("2000");
    assertThat(find("#param-tone").getTagName()).isEqualTo("select");
    assertThat(attr("#param-topic", "required")).isNotNull();
    find("#param-topic").sendKeys("comets");
    new Select(find("#param-tone")).selectByValue("playful");
    WebElement words = find("#param-words");
    words.clear();
    words.sendKeys("450");
    find("#template-cron").sendKeys("0 9 * * MON");
    screenshot("template-form");
    copyToDocs("template-form", "dashboard-template-form.png");
    find("#template-form [data-action=schedule]").click();
    until("scheduled", () -> attr("#template-form", "data-scheduled") != null);
    assertThat(fx.scheduling.find(attr("#template-form", "data-scheduled")).orElseThrow().schedule().params())
        .containsEntry("topic", "comets").containsEntry("words", "450").containsEntry("tone", "playful");
    find("#template-form [data-action=start]").click();
    until("the run page", () -> driver.getCurrentUrl().contains("#run/list/"));
    until("both tasks green", () -> count("#run-graph g.node[data-state=SUCCEEDED]") == 2);
    String runId = driver.getCurrentUrl().replaceAll(".*#run/list/", "");
    JsonNode d = http.getJson("api/projects/list/runs/" + runId + "/detail");
    assertThat(d.get("params").get("topic").asText()).isEqualTo("comets");
    assertThat(d.get("tasks").get(1).get("prompt").asText()).contains("Write a playful digest of 450 words");
    assertThat(text("#run-header")).contains("topic = comets");
  }

  @Test
  void theChartsDrawTheStoresSpendStatesAndProviders() {
    open("#charts");
    for (String chart : List.of("chart-spend-provider", "chart-spend-project", "chart-states", "chart-providers")) {
      until(chart + " drawn", () -> "true".equals(attr("#" + chart, "data-rendered")));
      assertThat(count("#" + chart + " svg path")).as(chart).isPositive();
    }
    assertThat(Integer.parseInt(attr("#chart-spend-provider", "data-series"))).isGreaterThanOrEqualTo(2);
    assertThat(Integer.parseInt(attr("#chart-states", "data-series"))).isGreaterThanOrEqualTo(3);
    assertThat(text("#chart-spend-project")).contains("limit $5.00");
    assertThat(text("#chart-spend-provider")).contains("claude limit $2.00");
    assertThat(text("#chart-providers")).contains("flaky");
    screenshot("charts");
    copyToDocs("charts", "dashboard-charts.png");
  }

  // --- helpers ---

  /** Drags from one node's output port onto another node: "to" then depends on "from". */
  private static void link(String from, String to) {
    int before = count("#builder-edges path.edge");
    new Actions(driver).clickAndHold(find("#builder-canvas .bnode[data-task-id=" + from + "] .port.out"))
        .moveToElement(find("#builder-canvas .bnode[data-task-id=" + to + "] .bnode-title")).release().perform();
    until(to + " linked to " + from + " and checked", () -> !"true".equals(attr("#builder", "data-checking"))
        && (count("#builder-edges path.edge") != before || has("#builder-canvas .bnode.refused")));
  }

  private static void open(String hash) {
    driver.get("about:blank"); // a new document each time: only the hash would differ
    driver.get(fx.dashboard.url() + hash);
    until("the page ready", () -> "true".equals(js("return document.body.dataset.ready || ''")));
  }

  private static void until(String what, java.util.function.BooleanSupplier condition) {
    WebDriverWait w = new WebDriverWait(driver, WAIT);
    w.pollingEvery(Duration.ofMillis(25));
    w.ignoring(org.openqa.selenium.StaleElementReferenceException.class);
    w.ignoring(org.openqa.selenium.NoSuchElementException.class);
    w.withMessage(() -> what + " (toast: " + js("return document.getElementById('toast').textContent") + "; ready: "
        + js("return document.body.dataset.ready") + "; refreshed: "
        + js("return document.body.dataset.refreshed") + "; now: " + js("return Date.now()") + "; sync session: "
        + js("const x = new XMLHttpRequest(); x.open('GET', 'api/projects', false); x.send(); return x.status;")
        + "; page: "
        + js("return document.querySelector('main').innerText.slice(0, 600)") + ")");
    w.until(d -> condition.getAsBoolean());
  }

  private static WebElement find(String css) {
    return driver.findElement(By.cssSelector(css));
  }

  private static boolean has(String css) {
    return !driver.findElements(By.cssSelector(css)).isEmpty();
  }

  private static int count(String css) {
    return driver.findElements(By.cssSelector(css)).size();
  }

  private static String text(String css) {
    return find(css).getText();
  }

  private static String attr(String css, String name) {
    List<WebElement> found = driver.findElements(By.cssSelector(css));
    return found.isEmpty() ? null : found.get(0).getAttribute(name);
  }

  private static Object js(String script) {
    return ((JavascriptExecutor) driver).executeScript(script);
  }

  private static void screenshot(String name) {
    try {
      Files.write(DashboardBrowserIT.SCREENSHOTS.resolve("pages-" + name + ".png"),
          driver.getScreenshotAs(OutputType.BYTES));
    } catch (IOException | RuntimeException e) {
      // A screenshot that cannot be taken does not fail the test.
    }
  }

  /** With -Ddashboard.docsDir, copies a screenshot into the docs under the given name. */
  private static void copyToDocs(String name, String as) {
    String dir = System.getProperty("dashboard.docsDir");
    if (dir == null) {
      return;
    }
    try {
      Files.copy(DashboardBrowserIT.SCREENSHOTS.resolve("pages-" + name + ".png"), Path.of(dir, as),
          StandardCopyOption.REPLACE_EXISTING);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
