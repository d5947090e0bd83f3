package dev.orchestrator.dashboard;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.orchestrator.notifiers.ActionLinks;
import dev.orchestrator.run.Question;
import dev.orchestrator.run.Run;
import dev.orchestrator.run.RunStatus;
import dev.orchestrator.testkit.MutableClock;
import dev.orchestrator.workflow.Approval;
import dev.orchestrator.workflow.Workflow;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import java.util.function.BooleanSupplier;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** One-tap links over HTTP: the link is the only credential, works once, and not after it expires or is changed. */
class OneTapLinksTest {
  static final byte[] SECRET = "a-link-secret-of-at-least-32-bytes-long".getBytes(StandardCharsets.UTF_8);
  /** Slack's documented example signing secret. */
  static final String SLACK_SECRET = "8f742231b10e8888abcd99yyyzzz85a5";
  static final long SLACK_TS = 1531420618L;

  private final MutableClock clock = MutableClock.create();
  private final ActionLinks links = ActionLinks.of(SECRET, URI.create("http://127.0.0.1/"), Duration.ofHours(1),
      clock);
  private Fixture fx;

  @AfterEach
  void close() {
    if (fx != null) {
      fx.close();
    }
  }

  private Fixture start(DashboardOptions.Builder options) {
    OneTap oneTap = OneTap.of(links).slackSigningSecret(SLACK_SECRET)
        .clock(Clock.fixed(Instant.ofEpochSecond(SLACK_TS + 30), ZoneOffset.UTC));
    fx = Fixture.start(options.oneTap(oneTap).build());
    return fx;
  }

  static void await(BooleanSupplier condition, String what) {
    long deadline = System.nanoTime() + Duration.ofSeconds(10).toNanos();
    while (!condition.getAsBoolean()) {
      if (System.nanoTime() > deadline) {
        throw new AssertionError("timed out waiting for " + what);
      }
      Thread.onSpinWait();
    }
  }

  /** Submits a task whose output needs approval, and lets claude answer it: the approval is then open. */
  private Question awaitingApproval(Run[] run) {
    Workflow w = Workflow.builder("release").task("notes", t -> t.title("Release notes")
        .instructions("Write the release notes").approval(Approval.after())).build();
    run[0] = fx.orchestrator.submit("blog", w);
    await(() -> fx.claude.callCount() == 1, "claude's call");
    fx.answer(fx.claude, 0, "Version 2 is faster.", "0.25");
    await(() -> !fx.orchestrator.questions("blog").isEmpty(), "the approval");
    return fx.orchestrator.questions("blog").get(0);
  }

  private String query(Question q, ActionLinks.Action action) {
    return links.link("blog", q.id(), action).getRawQuery();
  }

  @Test
  void anApproveLinkShowsTheOutputAndCostThenApprovesOnceWithoutTheToken() {
    start(DashboardOptions.builder().accessToken("a-long-enough-access-token"));
    Http http = new Http(fx.dashboard.url());
    Run[] run = new Run[1];
    Question q = awaitingApproval(run);
    String link = "api/link?" + query(q, ActionLinks.Action.APPROVE);

    JsonNode view = http.getJson(link);
    assertThat(view.get("title").asText()).isEqualTo("Release notes");
    assertThat(view.get("output").asText()).isEqualTo("Version 2 is faster.");
    assertThat(view.get("costSoFar").asText()).contains("0.25");
    assertThat(view.get("open").asBoolean()).isTrue();
    assertThat(http.get("link").statusCode()).isEqualTo(200);
    assertThat(http.get("api/inbox").statusCode()).isEqualTo(401);

    HttpResponse<String> first = http.postWithout(link, "{}");
    assertThat(first.statusCode()).as(first.body()).isEqualTo(200);
    assertThat(run[0].completion().join().status()).isEqualTo(RunStatus.SUCCEEDED);

    HttpResponse<String> replay = http.postWithout(link, "{}");
    assertThat(replay.statusCode()).isEqualTo(410);
    assertThat(replay.body()).contains("used already");
    assertThat(http.getJson(link).get("open").asBoolean()).isFalse();
  }

  @Test
  void aRejectLinkFailsTheTask() {
    start(DashboardOptions.builder());
    Run[] run = new Run[1];
    Question q = awaitingApproval(run);
    assertThat(new Http(fx.dashboard.url()).postWithout("api/link?" + query(q, ActionLinks.Action.REJECT), "")
        .statusCode()).isEqualTo(200);
    assertThat(run[0].completion().join().status()).isEqualTo(RunStatus.FAILED);
  }

  @Test
  void expiredOrTamperedLinksAreRefused() {
    start(DashboardOptions.builder());
    Http http = new Http(fx.dashboard.url());
    Question q = awaitingApproval(new Run[1]);
    String good = query(q, ActionLinks.Action.REJECT);
    HttpResponse<String> tampered = http.postWithout("api/link?" + good.replace("a=reject", "a=approve"), "");
    assertThat(tampered.statusCode()).isEqualTo(403);
    assertThat(tampered.body()).contains("signature does not match").doesNotContain(new String(SECRET,
        StandardCharsets.UTF_8));
    clock.advance(Duration.ofHours(1));
    HttpResponse<String> expired = http.postWithout("api/link?" + good, "");
    assertThat(expired.statusCode()).isEqualTo(403);
    assertThat(expired.body()).contains("expired");
    assertThat(fx.orchestrator.questions("blog")).hasSize(1);
  }

  @Test
  void anAnswerLinkTakesTheTypedAnswer() {
    start(DashboardOptions.builder());
    Run run = fx.orchestrator.submit("blog", Workflow.builder("w")
        .task("tone", t -> t.instructions("Write in a {{input}} tone").question("Which tone?")).build());
    await(() -> !fx.orchestrator.questions("blog").isEmpty(), "the question");
    Question q = fx.orchestrator.questions("blog").get(0);
    Http http = new Http(fx.dashboard.url());
    String link = "api/link?" + query(q, ActionLinks.Action.ANSWER);
    assertThat(http.postWithout(link, "{\"answer\": \" \"}").statusCode()).isEqualTo(400);
    assertThat(http.postWithout(link, "{\"answer\": \"playful\"}").statusCode()).isEqualTo(200);
    await(() -> fx.claude.callCount() == 1, "the call with the answer");
    assertThat(fx.claude.requests().get(0).prompt()).isEqualTo("Write in a playful tone");
    assertThat(run.task("tone").question().answer()).isEqualTo("playful");
  }

  @Test
  void theInboxListsOpenApprovalsAndQuestions() {
    start(DashboardOptions.builder());
    Question q = awaitingApproval(new Run[1]);
    JsonNode inbox = new Http(fx.dashboard.url()).getJson("api/inbox");
    assertThat(inbox).hasSize(1);
    assertThat(inbox.get(0).get("questionId").asText()).isEqualTo(q.id());
    assertThat(inbox.get(0).get("approval").asBoolean()).isTrue();
  }

  /** A block_actions request as Slack posts it, signed as Slack signs it (v0, at {@code ts}). */
  private HttpResponse<String> slack(Http http, String value, long ts, String secret) {
    return slack(http, value, ts, secret, "");
  }

  private HttpResponse<String> slack(Http http, String value, long ts, String secret, String responseUrl) {
    String payload = "{\"type\":\"block_actions\",\"user\":{\"id\":\"U2CERLKJA\",\"username\":\"roadrunner\"},"
        + "\"response_url\":\"" + responseUrl + "\","
        + "\"actions\":[{\"action_id\":\"orchestrator_approve\",\"type\":\"button\",\"value\":\"" + value + "\"}]}";
    String body = "payload=" + URLEncoder.encode(payload, StandardCharsets.UTF_8);
    String sig = "v0=" + dev.orchestrator.dashboard.internal.SlackRequests.hmac(
        secret.getBytes(StandardCharsets.UTF_8), "v0:" + ts + ":" + body);
    return http.send(http.request("slack/actions").header("Content-Type", "application/x-www-form-urlencoded")
        .header("X-Slack-Request-Timestamp", Long.toString(ts)).header("X-Slack-Signature", sig)
        .POST(HttpRequest.BodyPublishers.ofString(body)).build());
  }

  @Test
  void slackButtonsActOnlyWithSlacksSignatureWithinFiveMinutes() {
    start(DashboardOptions.builder());
    Http http = new Http(fx.dashboard.url());
    Run[] run = new Run[1];
    Question q = awaitingApproval(run);
    String value = query(q, ActionLinks.Action.APPROVE);

    assertThat(slack(http, value, SLACK_TS, "not-the-signing-secret").statusCode()).isEqualTo(401);
    assertThat(slack(http, value, SLACK_TS - 400, SLACK_SECRET).statusCode()).isEqualTo(401);
    assertThat(fx.orchestrator.questions("blog")).hasSize(1);

    java.util.List<String> replies = new java.util.concurrent.CopyOnWriteArrayList<>();
    com.sun.net.httpserver.HttpServer slackStub;
    try {
      slackStub = com.sun.net.httpserver.HttpServer.create(new java.net.InetSocketAddress("127.0.0.1", 0), 0);
    } catch (java.io.IOException e) {
      throw new java.io.UncheckedIOException(e);
    }
    slackStub.createContext("/", exchange -> {
      replies.add(new String(exchange.getRequestBody().readAllBytes(), StandardCharsets.UTF_8));
      exchange.sendResponseHeaders(200, -1);
      exchange.close();
    });
    slackStub.start();
    HttpResponse<String> ok;
    try {
      ok = slack(http, value, SLACK_TS, SLACK_SECRET,
          "http://127.0.0.1:" + slackStub.getAddress().getPort() + "/actions/T1/B2");
      await(() -> !replies.isEmpty(), "the reply at the response_url");
    } finally {
      slackStub.stop(0);
    }
    assertThat(replies.get(0)).contains("Approved");
    assertThat(ok.statusCode()).isEqualTo(200);
    assertThat(Http.json(ok).get("text").asText()).startsWith("Approved");
    assertThat(run[0].completion().join().status()).isEqualTo(RunStatus.SUCCEEDED);
    assertThat(Http.json(slack(http, value, SLACK_TS, SLACK_SECRET)).get("text").asText())
        .startsWith("Refused: this link was used already");
  }

  @Test
  void slacksDocumentedRequestVerifies() {
    // The request in Slack's "Verifying requests from Slack", byte for byte.
    String body = "token=xyzz0WbapA4vBCDEFasx0q6G&team_id=T1DC2JH3J&team_domain=testteamnow&channel_id=G8PSS9T3V"
        + "&channel_name=foobar&user_id=U2CERLKJA&user_name=roadrunner&command=%2Fwebhook-collect&text=&response_url="
        + "https%3A%2F%2Fhooks.slack.com%2Fcommands%2FT1DC2JH3J%2F397700885554%2F96rGlfmibIGlgcZRskXaIFfN"
        + "&trigger_id=398738663015.47445629121.803a0bc887a14d10d2c447fce8b6703c";
    String signature = "v0=a2114d57b48eac39b9ad189dd8316235a7b4a8d21a10bd27519666489c69b503";
    OneTap at = OneTap.of(links).slackSigningSecret(SLACK_SECRET)
        .clock(Clock.fixed(Instant.ofEpochSecond(SLACK_TS + 60), ZoneOffset.UTC));
    assertThat(at.slackRefusal("1531420618", signature, body)).isEmpty();
    assertThat(at.slackRefusal("1531420618", signature, body + "&x=1")).contains(
        "the Slack signature does not match: check the signing secret");
    OneTap late = at.clock(Clock.fixed(Instant.ofEpochSecond(SLACK_TS + 301), ZoneOffset.UTC));
    assertThat(late.slackRefusal("1531420618", signature, body).orElseThrow()).contains("more than five minutes");
    assertThat(at.slackRefusal(null, signature, body)).isPresent();
    assertThat(at.toString()).doesNotContain(SLACK_SECRET);
  }

  @Test
  void theManifestValidates() {
    start(DashboardOptions.builder().accessToken("a-long-enough-access-token"));
    Http http = new Http(fx.dashboard.url());
    HttpResponse<String> r = http.get("manifest.webmanifest");
    assertThat(r.statusCode()).isEqualTo(200);
    JsonNode m = Http.json(r);
    for (String field : List.of("name", "short_name", "start_url", "display", "icons", "theme_color",
        "background_color")) {
      assertThat(m.has(field)).as("manifest field " + field).isTrue();
    }
    assertThat(m.get("display").asText()).isIn("standalone", "fullscreen", "minimal-ui");
    assertThat(m.get("icons")).isNotEmpty();
    for (JsonNode icon : m.get("icons")) {
      assertThat(http.get(icon.get("src").asText()).statusCode()).isEqualTo(200);
    }
    assertThat(http.get("sw.js").statusCode()).isEqualTo(200);
  }
}
