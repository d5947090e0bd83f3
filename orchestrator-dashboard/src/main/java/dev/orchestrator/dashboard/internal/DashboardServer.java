package dev.orchestrator.dashboard.internal;

import com.fasterxml.jackson.databind.JsonNode;
import dev.orchestrator.OrchestratorException;
import dev.orchestrator.Priority;
import dev.orchestrator.core.Orchestrator;
import dev.orchestrator.dashboard.DashboardOptions;
import dev.orchestrator.run.Run;
import dev.orchestrator.spi.store.Command;
import io.javalin.Javalin;
import io.javalin.config.JavalinConfig;
import io.javalin.http.Context;
import io.javalin.http.staticfiles.Location;
import java.net.URI;
import java.util.Map;
import java.util.Objects;
import org.eclipse.jetty.util.thread.QueuedThreadPool;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The HTTP server: Javalin routes for the JSON API and the event stream, and the pages from the jar. Thread-safe.
 */
public final class DashboardServer implements AutoCloseable {
  private static final Logger log = LoggerFactory.getLogger(DashboardServer.class);
  /** Who the engine records as cancelling, when the dashboard cancels. */
  static final String ACTOR = "dashboard";
  private static final int MAX_TEXT = 10_000;

  private final Orchestrator orchestrator;
  private final DashboardOptions options;
  private final Views views;
  private final Security security;
  private final EventHub hub;
  private final Javalin app;
  private final URI url;
  private volatile boolean closed;

  private DashboardServer(Orchestrator orchestrator, DashboardOptions options) {
    this.orchestrator = orchestrator;
    this.options = options;
    this.views = new Views(orchestrator, options);
    this.security = new Security(options);
    this.hub = new EventHub(orchestrator, views::projects);
    this.app = Javalin.create(this::configure);
    try {
      app.start(options.host(), options.port());
    } catch (RuntimeException e) {
      hub.close();
      throw new OrchestratorException("the dashboard could not listen on " + options.host() + ":" + options.port()
          + " (" + e.getMessage() + "): choose another port, or 0 for any free port", e);
    }
    hub.start();
    String h = options.host().contains(":") && !options.host().startsWith("[") ? "[" + options.host() + "]"
        : options.host();
    this.url = URI.create("http://" + h + ":" + app.port() + "/");
  }

  /**
   * Starts a server.
   *
   * @throws OrchestratorException when the address cannot be bound
   */
  public static DashboardServer start(Orchestrator orchestrator, DashboardOptions options) {
    return new DashboardServer(Objects.requireNonNull(orchestrator, "orchestrator"),
        Objects.requireNonNull(options, "options"));
  }

  /** The base address, such as {@code http://127.0.0.1:41234/}; it never carries the token. */
  public URI url() {
    return url;
  }

  /** How many browsers hold an event stream open now. */
  public int streams() {
    return hub.clientCount();
  }

  private void configure(JavalinConfig config) {
    config.startup.showJavalinBanner = false;
    config.startup.showOldJavalinVersionWarning = false;
    config.http.maxRequestSize = 64 * 1024;
    QueuedThreadPool pool = new QueuedThreadPool(32, 2);
    pool.setName("orchestrator-dashboard-http");
    pool.setDaemon(true);
    config.jetty.threadPool = pool;
    config.staticFiles.add(files -> {
      files.hostedPath = "/";
      files.directory = "/dev/orchestrator/dashboard/web";
      files.location = Location.CLASSPATH;
    });
    var r = config.routes;
    r.before(security::check);
    r.exception(Security.Redirected.class, (e, ctx) -> { });
    r.exception(ApiException.class, (e, ctx) -> error(ctx, e.status(), e.getMessage()));
    r.exception(IllegalArgumentException.class, (e, ctx) -> error(ctx, 400, e.getMessage()));
    r.exception(IllegalStateException.class, (e, ctx) -> error(ctx, 409, e.getMessage()));
    r.exception(Exception.class, (e, ctx) -> {
      log.warn("Dashboard request failed (method={}, path={})", ctx.method(), ctx.path(), e);
      error(ctx, 500, "the dashboard failed to answer: see the application's log");
    });

    r.get("/api/session", ctx -> {
      Security.Session s = security.current(ctx);
      json(ctx, new Views.SessionView(s == null ? "" : s.csrf(), views.projects(), views.defaultProject(),
          security.tokenRequired()));
    });
    r.get("/api/projects", ctx -> json(ctx, views.projectViews()));
    r.get("/api/projects/{project}/runs", ctx -> json(ctx, views.runs(ctx.pathParam("project"), limit(ctx))));
    r.get("/api/projects/{project}/runs/{run}", ctx -> json(ctx, views.run(ctx.pathParam("project"),
        ctx.pathParam("run"))));
    r.get("/api/projects/{project}/queue", ctx -> json(ctx, views.queue(ctx.pathParam("project"))));
    r.get("/api/projects/{project}/questions", ctx -> json(ctx, views.questions(ctx.pathParam("project"))));
    r.get("/api/projects/{project}/cost", ctx -> json(ctx, views.cost(ctx.pathParam("project"))));
    r.get("/api/cost", ctx -> json(ctx, views.cost(null)));
    r.get("/api/budgets", ctx -> json(ctx, orchestrator.budgets()));
    r.get("/api/providers", ctx -> json(ctx, views.providers()));
    r.sse("/api/events", client -> {
      String project = client.ctx().queryParam("project");
      client.keepAlive();
      hub.add(client, project == null ? "" : views.checkProject(project));
    });

    r.post("/api/projects/{project}/runs/{run}/cancel", ctx -> {
      String why = reason(ctx, "cancelled from the dashboard");
      if (!elsewhere(ctx, Command.Kind.CANCEL, null, why)) {
        run(ctx).cancel(ACTOR, why);
        ok(ctx);
      }
    });
    r.post("/api/projects/{project}/runs/{run}/tasks/{task}/cancel", ctx -> {
      String why = reason(ctx, "cancelled from the dashboard");
      if (!elsewhere(ctx, Command.Kind.CANCEL, ctx.pathParam("task"), why)) {
        run(ctx).cancelTask(ctx.pathParam("task"), ACTOR, why);
        ok(ctx);
      }
    });
    r.post("/api/projects/{project}/runs/{run}/tasks/{task}/resume", ctx -> {
      if (!elsewhere(ctx, Command.Kind.RESUME, ctx.pathParam("task"), "resumed from the dashboard")) {
        run(ctx).resume(ctx.pathParam("task"));
        ok(ctx);
      }
    });
    r.post("/api/projects/{project}/runs/{run}/tasks/{task}/retry", ctx -> {
      Run run = run(ctx);
      String task = ctx.pathParam("task");
      if (run.task(task).state() != dev.orchestrator.run.TaskState.FAILED) {
        throw new ApiException(409, "task '" + task + "' is " + run.task(task).state() + ", not FAILED: only a failed "
            + "task can be retried (resume a cancelled one)");
      }
      run.resume(task);
      ok(ctx);
    });
    r.post("/api/projects/{project}/runs/{run}/tasks/{task}/priority", ctx -> {
      String p = text(ctx, "priority", true);
      run(ctx).changePriority(ctx.pathParam("task"), Priority.parse(Objects.requireNonNull(p)));
      ok(ctx);
    });
    r.post("/api/projects/{project}/pause", ctx -> {
      orchestrator.pauseProject(views.checkProject(ctx.pathParam("project")), reason(ctx, "paused from the dashboard"));
      ok(ctx);
    });
    r.post("/api/projects/{project}/resume", ctx -> {
      orchestrator.resumeProject(views.checkProject(ctx.pathParam("project")));
      ok(ctx);
    });
    r.post("/api/providers/{provider}/pause", ctx -> {
      orchestrator.pauseProvider(ctx.pathParam("provider"), reason(ctx, "paused from the dashboard"));
      ok(ctx);
    });
    r.post("/api/providers/{provider}/resume", ctx -> {
      orchestrator.resumeProvider(ctx.pathParam("provider"));
      ok(ctx);
    });
    r.post("/api/questions/{question}/answer", ctx -> {
      String id = ctx.pathParam("question");
      checkQuestionShown(id);
      orchestrator.answer(id, Objects.requireNonNull(text(ctx, "answer", true)));
      ok(ctx);
    });
  }

  /** With a project list configured, a question of another project is not this dashboard's to answer. */
  private void checkQuestionShown(String questionId) {
    if (options.projects().isEmpty()) {
      return;
    }
    for (String p : options.projects()) {
      if (orchestrator.questions(p).stream().anyMatch(q -> q.id().equals(questionId))) {
        return;
      }
    }
    throw new ApiException(404, "there is no open question '" + questionId + "' in the projects shown: list them "
        + "with GET /api/projects/{project}/questions");
  }

  /**
   * When the run is executed by another process sharing the store, queues the request as a store command for that
   * process (202 Accepted) and returns true; false when the run is this engine's.
   */
  private boolean elsewhere(Context ctx, Command.Kind kind, @org.jspecify.annotations.Nullable String target,
      String text) {
    String project = views.checkProject(ctx.pathParam("project"));
    String runId = ctx.pathParam("run");
    if (orchestrator.run(project, runId).isPresent() || orchestrator.store().run(project, runId).isEmpty()) {
      return false;
    }
    try {
      orchestrator.store().submitCommand(new Command(java.util.UUID.randomUUID().toString(), kind, project, runId,
          target, ACTOR, text, orchestrator.clock().instant()));
    } catch (UnsupportedOperationException e) {
      throw new ApiException(409, "run '" + runId + "' is executed by another process and this store cannot pass "
          + "commands between processes: steer it from there");
    }
    ctx.status(202).json(java.util.Map.of("queued", true, "kind", kind.name()));
    return true;
  }

  private Run run(Context ctx) {
    String project = views.checkProject(ctx.pathParam("project"));
    String runId = ctx.pathParam("run");
    return orchestrator.run(project, runId).orElseThrow(() -> {
      boolean stored = orchestrator.store().run(project, runId).isPresent();
      return stored
          ? new ApiException(409, "run '" + runId + "' was submitted by another process: steer it from there")
          : new ApiException(404, "project '" + project + "' has no run '" + runId + "'");
    });
  }

  private static int limit(Context ctx) {
    String l = ctx.queryParam("limit");
    if (l == null) {
      return 20;
    }
    try {
      int n = Integer.parseInt(l);
      if (n >= 1 && n <= 500) {
        return n;
      }
    } catch (NumberFormatException e) {
      // Falls through to the message below.
    }
    throw new ApiException(400, "limit must be a whole number within 1..500 (was '" + l + "')");
  }

  private static String reason(Context ctx, String otherwise) {
    String r = text(ctx, "reason", false);
    return r == null || r.isBlank() ? otherwise : r;
  }

  private static @Nullable String text(Context ctx, String field, boolean required) {
    JsonNode body = Json.read(ctx.body());
    JsonNode v = body.get(field);
    if (v == null || v.isNull()) {
      if (required) {
        throw new ApiException(400, "the body needs '" + field + "': send {\"" + field + "\": \"...\"}");
      }
      return null;
    }
    if (!v.isTextual()) {
      throw new ApiException(400, "'" + field + "' must be a string (was " + v.getNodeType() + ")");
    }
    String s = v.asText();
    if (s.length() > MAX_TEXT) {
      throw new ApiException(400, "'" + field + "' must be at most " + MAX_TEXT + " characters (was " + s.length()
          + ")");
    }
    return s;
  }

  private static void json(Context ctx, Object value) {
    ctx.contentType("application/json").result(Json.write(value));
  }

  private static void ok(Context ctx) {
    json(ctx, Map.of("ok", true));
  }

  private static void error(Context ctx, int status, @Nullable String message) {
    String m = message == null ? "error " + status : message;
    ctx.status(status);
    String accept = ctx.header("Accept");
    if (!ctx.path().startsWith("/api/") && accept != null && accept.contains("text/html")) {
      // Fixed text only: nothing from the request is echoed into HTML.
      ctx.contentType("text/html; charset=utf-8").result("<!doctype html><meta charset=utf-8><title>Orchestrator"
          + "</title><h1>" + (status == 401 ? "Access token required" : "Request refused") + "</h1><p>"
          + (status == 401 ? "This dashboard needs its access token. Open the address the application printed, "
              + "ending in ?token=..." : "The dashboard refused this request (HTTP " + status + ").") + "</p>");
      return;
    }
    json(ctx, Map.of("error", m, "status", status));
  }

  /** Stops the server and its threads. Idempotent. */
  @Override
  public void close() {
    if (closed) {
      return;
    }
    closed = true;
    hub.close();
    app.stop();
    log.info("Dashboard stopped (url={})", url);
  }
}
