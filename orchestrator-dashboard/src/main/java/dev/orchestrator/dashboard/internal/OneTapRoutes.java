package dev.orchestrator.dashboard.internal;

import com.fasterxml.jackson.databind.JsonNode;
import dev.orchestrator.Money;
import dev.orchestrator.core.Orchestrator;
import dev.orchestrator.dashboard.OneTap;
import dev.orchestrator.notifiers.ActionLinks;
import dev.orchestrator.run.Attempt;
import dev.orchestrator.run.Question;
import dev.orchestrator.run.RunRecord;
import dev.orchestrator.run.TaskRecord;
import dev.orchestrator.workflow.Approval;
import io.javalin.config.JavalinConfig;
import io.javalin.http.Context;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One-tap links and the phone's inbox. {@code GET /link?...} is the small page a notification's link opens;
 * {@code GET /api/link?...} shows it the question (task, cost so far, output to approve) and {@code POST /api/link}
 * acts. The signed link is the only credential these need (see {@link ActionLinks}): a tampered or expired link is
 * refused, and a used one too, since acting answers the question in the store and an answered question takes no
 * second answer, in whichever process. {@code POST /slack/actions} takes Slack's button clicks, verified with
 * Slack's request signature. {@code GET /api/inbox} (behind the dashboard's usual security) lists the open approvals
 * and questions. Refusals are logged with the reason and the question, never the signature or a secret. Thread-safe.
 */
final class OneTapRoutes {
  private static final Logger log = LoggerFactory.getLogger(OneTapRoutes.class);
  /** Served without the access token: the link is the credential, or the file holds nothing private. */
  private static final Set<String> PUBLIC = Set.of("/link", "/link.js", "/link.css", "/api/link", "/slack/actions",
      "/manifest.webmanifest", "/sw.js", "/icon.svg");
  private static final String PAGE = "/dev/orchestrator/dashboard/web/link.html";
  private static final java.net.http.HttpClient SLACK = java.net.http.HttpClient.newBuilder()
      .connectTimeout(java.time.Duration.ofSeconds(5)).build();

  private final Orchestrator orchestrator;
  private final Views views;
  private final @Nullable OneTap oneTap;

  private OneTapRoutes(Orchestrator orchestrator, Views views, @Nullable OneTap oneTap) {
    this.orchestrator = orchestrator;
    this.views = views;
    this.oneTap = oneTap;
  }

  /** Whether a path is served without the dashboard's token and CSRF header. */
  static boolean isPublic(String path) {
    return PUBLIC.contains(path);
  }

  /** Adds the routes. */
  static void register(JavalinConfig config, Orchestrator orchestrator, Views views, @Nullable OneTap oneTap) {
    OneTapRoutes routes = new OneTapRoutes(orchestrator, views, oneTap);
    var r = config.routes;
    r.get("/link", ctx -> ctx.contentType("text/html; charset=utf-8").result(page()));
    r.get("/api/link", routes::show);
    r.post("/api/link", routes::act);
    r.post("/slack/actions", routes::slack);
    r.get("/api/inbox", routes::inbox);
    r.get("/api/push-key", ctx -> ctx.contentType("application/json").result(Json.write(
        Map.of("key", oneTap == null ? "" : oneTap.webPushPublicKey().orElse("")))));
  }

  private static byte[] page() {
    try (InputStream in = OneTapRoutes.class.getResourceAsStream(PAGE)) {
      if (in == null) {
        throw new IllegalStateException("the link page is missing from the jar: " + PAGE);
      }
      return in.readAllBytes();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  private ActionLinks links() {
    if (oneTap == null) {
      throw new ApiException(404, "this dashboard serves no one-tap links: start it with DashboardOptions.oneTap(...)");
    }
    return oneTap.links();
  }

  /** The verified link, or a 403 naming why it was refused. */
  private ActionLinks.Verified verify(Context ctx, Map<String, String> query) {
    try {
      return links().verify(query);
    } catch (ActionLinks.RefusedException e) {
      log.warn("One-tap link refused (reason={}, project={}, question={}, action={}, ip={})", e.reason(),
          query.get("p"), query.get("q"), query.get("a"), ctx.ip());
      throw new ApiException(403, e.getMessage());
    }
  }

  private static Map<String, String> query(Context ctx) {
    Map<String, String> out = new LinkedHashMap<>();
    ctx.queryParamMap().forEach((k, v) -> {
      if (!v.isEmpty()) {
        out.put(k, v.get(0));
      }
    });
    return out;
  }

  /** What the link's page shows. */
  record LinkView(String project, String runId, String taskId, String title, String question, String action,
      boolean approval, boolean open, @Nullable String answer, String costSoFar, String runCost,
      @Nullable String output, String expiresAt) {}

  private void show(Context ctx) {
    ActionLinks.Verified v = verify(ctx, query(ctx));
    ctx.contentType("application/json").result(Json.write(view(v)));
  }

  private LinkView view(ActionLinks.Verified v) {
    Found f = find(v.project(), v.questionId());
    Money task = Money.ZERO;
    for (Attempt a : f.task.attempts()) {
      task = task.plus(a.cost());
    }
    Money run = Money.ZERO;
    for (TaskRecord t : orchestrator.store().tasks(v.project(), f.question.runId())) {
      for (Attempt a : t.attempts()) {
        run = run.plus(a.cost());
      }
    }
    boolean approval = Approval.isApproval(f.question.id());
    return new LinkView(v.project(), f.question.runId(), f.task.taskId(), f.task.title(), f.question.text(),
        v.action().wire(), approval, f.open, f.question.answer(), task.toString(), run.toString(),
        approval ? f.task.output() : null, v.expiresAt().toString());
  }

  private void act(Context ctx) {
    Map<String, String> q = query(ctx);
    String text = null;
    String body = ctx.body();
    if (!body.isBlank()) {
      JsonNode n = Json.read(body);
      if (n.hasNonNull("answer")) {
        text = n.get("answer").asText();
      }
    }
    ActionLinks.Verified v = verify(ctx, q);
    String answer = apply(ctx, v, text);
    ctx.contentType("application/json").result(Json.write(Map.of("ok", true, "answer", answer)));
  }

  /** Answers the link's question; 410 when it is no longer open (a used link). */
  private String apply(Context ctx, ActionLinks.Verified v, @Nullable String text) {
    String answer = switch (v.action()) {
      case APPROVE -> Approval.APPROVE;
      case REJECT -> Approval.REJECT;
      case ANSWER -> {
        if (text == null || text.isBlank()) {
          throw new ApiException(400, "'answer' must not be blank: type the answer to the question");
        }
        yield text;
      }
    };
    Found f = find(v.project(), v.questionId());
    if (!f.open) {
      log.warn("One-tap link refused (reason=used, project={}, question={}, action={}, ip={})", v.project(),
          v.questionId(), v.action().wire(), ctx.ip());
      throw new ApiException(410, "this link was used already: the question was answered ("
          + f.question.answer() + ")");
    }
    try {
      orchestrator.answer(v.questionId(), answer);
    } catch (IllegalStateException | IllegalArgumentException e) {
      log.warn("One-tap link refused (reason=used, project={}, question={}, action={}, ip={})", v.project(),
          v.questionId(), v.action().wire(), ctx.ip());
      throw new ApiException(410, "this link was used already: " + e.getMessage());
    }
    log.info("One-tap link used (project={}, question={}, action={}, nonce={}, ip={})", v.project(), v.questionId(),
        v.action().wire(), v.nonce(), ctx.ip());
    return answer;
  }

  private void slack(Context ctx) {
    if (oneTap == null || !oneTap.takesSlack()) {
      throw new ApiException(404, "this dashboard takes no Slack buttons: give OneTap a slackSigningSecret(...)");
    }
    String body = ctx.body();
    String refusal = oneTap.slackRefusal(ctx.header("X-Slack-Request-Timestamp"), ctx.header("X-Slack-Signature"),
        body).orElse(null);
    if (refusal != null) {
      log.warn("Slack request refused (reason={}, ip={})", refusal, ctx.ip());
      throw new ApiException(401, refusal);
    }
    String payload = null;
    for (String pair : body.split("&")) {
      if (pair.startsWith("payload=")) {
        payload = URLDecoder.decode(pair.substring(8), StandardCharsets.UTF_8);
      }
    }
    if (payload == null) {
      throw new ApiException(400, "the Slack request has no 'payload' field");
    }
    JsonNode interaction = Json.read(payload);
    JsonNode action = interaction.path("actions").path(0);
    String responseUrl = interaction.path("response_url").asText("");
    String value = action.path("value").asText("");
    ActionLinks.Verified v;
    try {
      v = links().verify(value);
    } catch (ActionLinks.RefusedException e) {
      log.warn("One-tap link refused (reason={}, via=slack, ip={})", e.reason(), ctx.ip());
      reply(ctx, responseUrl, "Refused: " + e.getMessage());
      return;
    }
    String reply;
    try {
      String answer = apply(ctx, v, null);
      reply = (answer.equals(Approval.APPROVE) ? "Approved" : "Rejected") + " (" + v.questionId() + ")";
    } catch (ApiException e) {
      reply = "Refused: " + e.getMessage();
    }
    reply(ctx, responseUrl, reply);
  }

  /**
   * Slack shows the outcome of a button through the interaction's {@code response_url} (the request is Slack's, its
   * signature checked, so the address is too); the same reply is the response's body as well.
   */
  private static void reply(Context ctx, String responseUrl, String text) {
    String body = Json.write(Map.of("text", text, "replace_original", false, "response_type", "ephemeral"));
    ctx.contentType("application/json").result(body);
    if (responseUrl.startsWith("https://") || responseUrl.startsWith("http://127.0.0.1:")) {
      SLACK.sendAsync(java.net.http.HttpRequest.newBuilder(java.net.URI.create(responseUrl))
              .timeout(java.time.Duration.ofSeconds(10)).header("Content-Type", "application/json")
              .POST(java.net.http.HttpRequest.BodyPublishers.ofString(body)).build(),
          java.net.http.HttpResponse.BodyHandlers.discarding())
          .exceptionally(e -> {
            log.warn("Slack reply failed (host={}, error={})", java.net.URI.create(responseUrl).getHost(),
                e.getClass().getSimpleName());
            return null;
          });
    }
  }

  /** An entry of the inbox. */
  record InboxItem(String project, String runId, String taskId, String questionId, String text, boolean approval,
      String askedAt) {}

  private void inbox(Context ctx) {
    List<InboxItem> out = new java.util.ArrayList<>();
    for (String p : views.projects()) {
      for (Question q : orchestrator.questions(p)) {
        out.add(new InboxItem(p, q.runId(), q.taskId(), q.id(), q.text(), Approval.isApproval(q.id()),
            q.askedAt().toString()));
      }
    }
    out.sort(java.util.Comparator.comparing(InboxItem::askedAt));
    ctx.contentType("application/json").result(Json.write(out));
  }

  private record Found(Question question, TaskRecord task, boolean open) {}

  /** The link's question and its task, open or answered; 404 when the store has no such question. */
  private Found find(String project, String questionId) {
    for (Question q : orchestrator.questions(project)) {
      if (q.id().equals(questionId)) {
        for (TaskRecord t : orchestrator.store().tasks(project, q.runId())) {
          if (t.taskId().equals(q.taskId())) {
            return new Found(q, t, true);
          }
        }
      }
    }
    for (RunRecord r : orchestrator.store().runs(project)) {
      for (TaskRecord t : orchestrator.store().tasks(project, r.id())) {
        Question q = t.question();
        if (q != null && q.id().equals(questionId)) {
          return new Found(q, t, false);
        }
      }
    }
    throw new ApiException(404, "the link's question is no longer in the store");
  }
}
