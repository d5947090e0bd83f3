package dev.orchestrator.dashboard;

import static org.assertj.core.api.Assertions.assertThat;

import dev.orchestrator.notifiers.ActionLinks;
import dev.orchestrator.run.Question;
import dev.orchestrator.run.RunRecord;
import dev.orchestrator.run.RunStatus;
import dev.orchestrator.testkit.MutableClock;
import dev.orchestrator.workflow.Approval;
import dev.orchestrator.workflow.Workflow;
import java.net.URI;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A link served by a dashboard whose engine executes nothing, for a run another engine holds, on one H2 database
 * opened by each as two command-line processes would: the answer reaches the worker through the store, and the
 * link is refused the second time.
 */
class OneTapSharedStoreTest {
  @TempDir
  Path dataDir;
  private final ActionLinks links = ActionLinks.of(OneTapLinksTest.SECRET, URI.create("http://127.0.0.1/"),
      Duration.ofHours(1), MutableClock.create());
  private SharedFixture fx;

  @AfterEach
  void close() {
    if (fx != null) {
      fx.close();
    }
  }

  @Test
  void aLinkApprovesARunAnotherProcessHoldsOnce() {
    fx = SharedFixture.start(SharedFixture.Stores.h2(dataDir),
        DashboardOptions.builder().oneTap(OneTap.of(links)).build(), c -> { }, w -> { });
    String runId = fx.worker.submit("blog", Workflow.builder("release").task("notes", t -> t.title("Release notes")
        .instructions("Write the release notes").approval(Approval.after())).build()).id();
    fx.answer(fx.claude, 0, "Version 2 is faster.", "0.25");
    Await.until("the approval in the store", () -> !fx.observer.questions("blog").isEmpty());
    Question q = fx.observer.questions("blog").get(0);
    Http http = new Http(fx.dashboard.url());
    String link = "api/link?" + links.link("blog", q.id(), ActionLinks.Action.APPROVE).getRawQuery();

    assertThat(http.getJson(link).get("output").asText()).isEqualTo("Version 2 is faster.");
    HttpResponse<String> first = http.postWithout(link, "{}");
    assertThat(first.statusCode()).as(first.body()).isEqualTo(200);
    Await.until("the worker to finish the run", () -> fx.store.run("blog", runId).map(RunRecord::status)
        .orElseThrow() == RunStatus.SUCCEEDED);
    assertThat(http.postWithout(link, "{}").statusCode()).isEqualTo(410);
    assertThat(fx.dashboardClaude.callCount()).isZero();
  }
}
