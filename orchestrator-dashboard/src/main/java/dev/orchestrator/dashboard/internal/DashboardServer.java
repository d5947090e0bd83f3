package dev.orchestrator.dashboard.internal;

import com.fasterxml.jackson.databind.JsonNode;
import dev.orchestrator.OrchestratorException;
import dev.orchestrator.Priority;
import dev.orchestrator.core.Orchestrator;
import dev.orchestrator.dashboard.DashboardOptions;
import io.javalin.Javalin;
import io.javalin.config.JavalinConfig;
import io.javalin.http.Context;
import io.javalin.http.sse.SseClient;
import io.javalin.http.staticfiles.Location;
import java.net.URI;
import java.util.Map;
import java.util.Objects;
import java.util.function.Supplier;
import org.eclipse.jetty.util.thread.QueuedThreadPool;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The HTTP server: Javalin routes for the JSON API and the event stream, and the pages from the jar. Reads go to
 * {@link Views}, changes to {@link Steering}, the stream to {@link EventHub}. Thread-safe.
 */
public final class DashboardServer implements AutoCloseable {
  private static final Logger log = LoggerFactory.getLogger(DashboardServer.class);
  /** The response header of every view: the store's event sequence read before the view. */
  static final String SEQUENCE_HEADER = "X-Orchestrator-Sequence";
  private static final String AFTER_ATTRIBUTE = "dashboard.after";
  private static final String PROJECT_ATTRIBUTE = "dashboard.project";
  private static final int MAX_TEXT = 10_000;
  private static final int MAX_TEMPLATE = 60_000;

  private final Orchestrator orchestrator;
  private final Views views;
  private final Steering steering;
  private final Planning planning;
  private final RunDetails details;
  private final CommitDiffs diffs;
  private final RunSearch search;
  private final TemplateViews templates;
  private final BuilderChecks builder;
  private final ChartViews charts;
  private final Security security;
  private final EventHub hub;
  private final StoreWatch watch;
  private final Javalin app;
  private final URI url;
  private volatile boolean closed;

  private final DashboardOptions options;

  private DashboardServer(Orchestrator orchestrator, DashboardOptions options) {
    this.orchestrator = orchestrator;
    this.options = options;
    this.views = new Views(orchestrator, options);
    this.steering = new Steering(orchestrator, options, views);
    this.planning = new Planning(orchestrator, options, views);
    this.diffs = new CommitDiffs(orchestrator.store(), views);
    this.details = new RunDetails(orchestrator.store(), views, diffs);
    this.templates = new TemplateViews(orchestrator, options, views);
    this.search = new RunSearch(orchestrator.store(), views, orchestrator.clock().getZone(), templates::names);
    this.builder = new BuilderChecks(orchestrator, views, options.planningContext().orElse(null));
    this.charts = new ChartViews(orchestrator.store(), views, orchestrator.clock()::instant);
    this.security = new Security(options);
    this.hub = new EventHub(orchestrator, views::shows);
    this.watch = new StoreWatch(orchestrator.store(), hub::notice);
    this.app = Javalin.create(this::configure);
    try {
      app.start(options.host(), options.port());
    } catch (RuntimeException e) {
      throw new OrchestratorException("the dashboard could not listen on " + options.host() + ":" + options.port()
          + " (" + e.getMessage() + "): choose another port, or 0 for any free port", e);
    }
    hub.start();
    watch.start();
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
    // The front-end libraries (graph layout, charts, Markdown, sanitising) from their WebJars on the classpath.
    config.staticFiles.enableWebjars();
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
          security.tokenRequired(), planning.status(), templates.schedules()));
    });
    r.get("/api/projects", ctx -> view(ctx, views::projectViews));
    r.get("/api/projects/{project}/runs", ctx -> view(ctx, () -> views.runs(ctx.pathParam("project"), limit(ctx))));
    r.get("/api/projects/{project}/runs/{run}", ctx -> view(ctx, () -> views.run(ctx.pathParam("project"),
        ctx.pathParam("run"))));
    r.get("/api/projects/{project}/queue", ctx -> view(ctx, () -> views.queue(ctx.pathParam("project"))));
    r.get("/api/projects/{project}/questions", ctx -> view(ctx, () -> views.questions(ctx.pathParam("project"))));
    r.get("/api/projects/{project}/cost", ctx -> view(ctx, () -> views.cost(ctx.pathParam("project"))));
    r.get("/api/projects/{project}/learning", ctx -> view(ctx, () -> views.learning(ctx.pathParam("project"))));
    r.get("/api/projects/{project}/runs/{run}/detail", ctx -> view(ctx, () -> details.detail(
        ctx.pathParam("project"), ctx.pathParam("run"))));
    r.get("/api/projects/{project}/runs/{run}/commits/{commit}/diff", ctx -> view(ctx, () -> diffs.diff(
        ctx.pathParam("project"), ctx.pathParam("run"), ctx.pathParam("commit"))));
    r.get("/api/runs", ctx -> view(ctx, () -> search.search(RunSearch.Query.of(params(ctx)))));
    r.get("/api/charts", ctx -> view(ctx, () -> charts.charts(ctx.queryParam("project"))));
    r.get("/api/templates", ctx -> json(ctx, templates.list()));
    r.get("/api/templates/{template}", ctx -> json(ctx, templates.get(ctx.pathParam("template"))));
    r.post("/api/projects/{project}/templates/{template}/run", ctx -> json(ctx, templates.start(
        ctx.pathParam("project"), ctx.pathParam("template"), Json.read(ctx.body()).path("values"))));
    r.post("/api/projects/{project}/templates/{template}/schedule", ctx -> {
      JsonNode body = Json.read(ctx.body());
      json(ctx, templates.schedule(ctx.pathParam("project"), ctx.pathParam("template"), body.path("values"),
          Objects.requireNonNull(text(ctx, "cron", true))));
    });
    r.post("/api/projects/{project}/runs/{run}/rerun", ctx -> json(ctx, templates.rerun(ctx.pathParam("project"),
        ctx.pathParam("run"))));
    r.post("/api/projects/{project}/builder/check", ctx -> json(ctx, builder.check(ctx.pathParam("project"),
        Objects.requireNonNull(text(ctx, "template", true)))));
    r.post("/api/projects/{project}/builder/run", ctx -> {
      String project = ctx.pathParam("project");
      json(ctx, templates.submit(project, builder.checked(project, Objects.requireNonNull(text(ctx, "template",
          true))), Map.of()));
    });
    r.get("/api/cost", ctx -> view(ctx, () -> views.cost(null)));
    r.get("/api/budgets", ctx -> view(ctx, orchestrator::budgets));
    r.get("/api/providers", ctx -> view(ctx, views::providers));
    OneTapRoutes.register(config, orchestrator, views, options.oneTap().orElse(null));
    r.before("/api/events", ctx -> {
      ctx.attribute(AFTER_ATTRIBUTE, lastEventId(ctx));
      String project = ctx.queryParam("project");
      ctx.attribute(PROJECT_ATTRIBUTE, project == null ? "" : views.checkProject(project));
    });
    r.sse("/api/events", client -> {
      client.keepAlive();
      hub.add(new SseStream(client), Objects.requireNonNull(client.ctx().attribute(PROJECT_ATTRIBUTE)),
          client.ctx().attribute(AFTER_ATTRIBUTE));
    });

    String run = "/api/projects/{project}/runs/{run}";
    String task = run + "/tasks/{task}";
    r.post(run + "/cancel", ctx -> {
      steering.cancelRun(ctx.pathParam("project"), ctx.pathParam("run"), reason(ctx, "cancelled from the dashboard"));
      ok(ctx);
    });
    r.post(task + "/cancel", ctx -> {
      steering.cancelTask(ctx.pathParam("project"), ctx.pathParam("run"), ctx.pathParam("task"),
          reason(ctx, "cancelled from the dashboard"));
      ok(ctx);
    });
    r.post(task + "/resume", ctx -> {
      steering.resume(ctx.pathParam("project"), ctx.pathParam("run"), ctx.pathParam("task"));
      ok(ctx);
    });
    r.post(task + "/retry", ctx -> {
      steering.retry(ctx.pathParam("project"), ctx.pathParam("run"), ctx.pathParam("task"));
      ok(ctx);
    });
    r.post(task + "/priority", ctx -> {
      Priority p = Priority.parse(Objects.requireNonNull(text(ctx, "priority", true)));
      steering.changePriority(ctx.pathParam("project"), ctx.pathParam("run"), ctx.pathParam("task"), p);
      ok(ctx);
    });
    r.post("/api/projects/{project}/pause", ctx -> {
      steering.pauseProject(ctx.pathParam("project"), reason(ctx, "paused from the dashboard"));
      ok(ctx);
    });
    r.post("/api/projects/{project}/resume", ctx -> {
      steering.resumeProject(ctx.pathParam("project"));
      ok(ctx);
    });
    r.post("/api/providers/{provider}/pause", ctx -> {
      steering.pauseProvider(ctx.pathParam("provider"), reason(ctx, "paused from the dashboard"));
      ok(ctx);
    });
    r.post("/api/providers/{provider}/resume", ctx -> {
      steering.resumeProvider(ctx.pathParam("provider"));
      ok(ctx);
    });
    r.post("/api/projects/{project}/plan", ctx -> json(ctx, planning.plan(ctx.pathParam("project"),
        Objects.requireNonNull(text(ctx, "request", true)), text(ctx, "planner", false))));
    r.post("/api/projects/{project}/plan/run", ctx -> json(ctx, planning.run(ctx.pathParam("project"),
        Objects.requireNonNull(text(ctx, "template", true)))));
    r.post("/api/templates", ctx -> json(ctx, planning.save(Objects.requireNonNull(text(ctx, "name", true)),
        Objects.requireNonNull(text(ctx, "template", true)))));
    r.post("/api/questions/{question}/answer", ctx -> {
      steering.answer(ctx.pathParam("question"), Objects.requireNonNull(text(ctx, "answer", true)));
      ok(ctx);
    });
  }

  /**
   * Answers a GET with a view, and with the store's event sequence read before the view in the
   * {@value #SEQUENCE_HEADER} header: the view shows at least every event up to it, so a page that applies events
   * re-applies only the later ones on top.
   */
  private void view(Context ctx, Supplier<?> read) {
    long sequence = orchestrator.store().lastEventSequence();
    Object value = read.get();
    ctx.header(SEQUENCE_HEADER, Long.toString(sequence));
    json(ctx, value);
  }

  /**
   * Where a stream starts: after the {@code Last-Event-ID} a reconnecting browser sends (or the {@code lastEventId}
   * query parameter, for a page that opens a new stream), or null for now.
   */
  private static @Nullable Long lastEventId(Context ctx) {
    String header = ctx.header("Last-Event-ID");
    String id = header != null && !header.isBlank() ? header.trim() : ctx.queryParam("lastEventId");
    if (id == null || id.isBlank()) {
      return null;
    }
    if (id.length() <= 18 && id.chars().allMatch(Character::isDigit)) {
      return Long.parseLong(id);
    }
    throw new ApiException(400, "Last-Event-ID must be a sequence number the stream sent as an event id (was '"
        + (id.length() > 40 ? id.substring(0, 40) + "..." : id) + "'): leave it out to start from now");
  }

  private static Map<String, String> params(Context ctx) {
    Map<String, String> out = new java.util.HashMap<>();
    ctx.queryParamMap().forEach((k, v) -> {
      if (!v.isEmpty()) {
        out.put(k, v.get(0));
      }
    });
    return out;
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
    // A template (the builder's or a plan's JSON) may be longer than a reason or an answer.
    int max = field.equals("template") ? MAX_TEMPLATE : MAX_TEXT;
    if (s.length() > max) {
      throw new ApiException(400, "'" + field + "' must be at most " + max + " characters (was " + s.length()
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

  /** Javalin's server-sent event client as the hub writes to it. */
  private record SseStream(SseClient client) implements EventHub.Stream {
    @Override
    public boolean terminated() {
      return client.terminated();
    }

    @Override
    public void send(String json, @Nullable Long id) {
      if (id == null) {
        client.sendEvent("message", json);
      } else {
        client.sendEvent("message", json, Long.toString(id));
      }
    }

    @Override
    public void ping() {
      client.sendComment("ping");
    }

    @Override
    public void onClose(Runnable action) {
      client.onClose(action);
    }

    @Override
    public void close() {
      client.close();
    }
  }

  /** Stops the server and its threads. Idempotent. */
  @Override
  public void close() {
    if (closed) {
      return;
    }
    closed = true;
    watch.close();
    hub.close();
    app.stop();
    log.info("Dashboard stopped (url={})", url);
  }
}
