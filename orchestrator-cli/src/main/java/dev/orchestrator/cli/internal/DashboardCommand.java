package dev.orchestrator.cli.internal;

import dev.orchestrator.core.Orchestrator;
import dev.orchestrator.dashboard.Dashboard;
import dev.orchestrator.dashboard.DashboardOptions;
import dev.orchestrator.templates.plan.LlmPlanner;
import dev.orchestrator.templates.plan.PlanningContext;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.CountDownLatch;
import org.jspecify.annotations.Nullable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code orchestrator dashboard}: serves the live web dashboard over the data directory's store until stopped. Its
 * engine executes runs like a worker's (it claims the runs no live engine holds); runs executed by other engines are
 * shown from the store, and cancel, resume and answer requests reach them through the store's commands.
 */
@Command(name = "dashboard", mixinStandardHelpOptions = true)
final class DashboardCommand extends CliCommand {
  @Option(names = "--host", defaultValue = "127.0.0.1", descriptionKey = "opt.host")
  String host = "127.0.0.1";

  @Option(names = "--port", defaultValue = "8080", descriptionKey = "opt.port")
  int port = 8080;

  @Option(names = "--token", descriptionKey = "opt.token")
  @Nullable String token;

  DashboardCommand(Cli cli) {
    super(cli);
  }

  @Override
  public Integer call() throws InterruptedException {
    String access = token != null ? token : cli.env().apply("ORCHESTRATOR_DASHBOARD_TOKEN");
    // A long-lived process: it sends due notifications (any process's) while it serves.
    cli.notifications();
    DashboardOptions.Builder options = DashboardOptions.builder().host(host).port(port)
        .defaultProject(cli.project());
    if (access != null && !access.isBlank()) {
      options.accessToken(access);
    }
    // The "Describe a workflow" box: the configured instances (no command-line agent), the offline planner, and
    // the LLM planner on the default provider when it is a real one; plans are saved among your own templates.
    Orchestrator[] engine = new Orchestrator[1];
    if (!cli.config().instances().isEmpty()) {
      PlanningContext context = TaskCommand.context(cli, List.of());
      options.planningContext(context).templateDirectory(cli.dataDir().resolve("templates"));
      String p = context.defaultProvider();
      if (!cli.setup().isSimulated(p)) {
        String project = cli.project();
        options.llmPlanner(LlmPlanner.builder().provider(p)
            .runner(w -> Objects.requireNonNull(engine[0]).submit(project, w)).build());
      }
    }
    // The template form schedules too: stored as `schedule add` stores them, and fired by `orchestrator worker`.
    dev.orchestrator.core.schedule.Scheduling schedules = null;
    if (cli.store() instanceof dev.orchestrator.spi.store.ScheduleStore store) {
      schedules = dev.orchestrator.core.schedule.Scheduling.builder().orchestrator(cli.observer()).store(store)
          .clock(java.time.Clock.systemUTC()).scheduler(dev.orchestrator.Scheduler.none()).firing(false)
          .refreshInterval(java.time.Duration.ZERO).build();
      options.scheduling(schedules);
    }
    DashboardOptions built;
    try {
      dev.orchestrator.notifiers.ActionLinks links = OneTapSettings.links(cli.env());
      if (links != null) {
        dev.orchestrator.dashboard.OneTap oneTap = dev.orchestrator.dashboard.OneTap.of(links);
        String slack = cli.env().apply(OneTapSettings.SLACK);
        options.oneTap(slack == null || slack.isBlank() ? oneTap : oneTap.slackSigningSecret(slack));
      }
      built = options.build();
    } catch (IllegalArgumentException | IllegalStateException e) {
      throw CliException.wrap(e, ExitCodes.USAGE, "dashboard.options", e.getMessage());
    }
    // Built once the options are known good: from its start it claims the runs no live engine holds.
    Orchestrator orchestrator = cli.executor(Cli.engineName("dashboard"), true, null);
    engine[0] = orchestrator;
    CountDownLatch stop = new CountDownLatch(1);
    try (Dashboard dashboard = Dashboard.start(orchestrator, built);
        Interrupts i = Interrupts.install(stop::countDown)) {
      cli.say("dashboard.started", dashboard.url());
      cli.out().flush();
      Runtime.getRuntime().addShutdownHook(new Thread(stop::countDown, "orchestrator-dashboard-stop"));
      stop.await();
    } finally {
      if (schedules != null) {
        schedules.close();
      }
    }
    return ExitCodes.OK;
  }
}
