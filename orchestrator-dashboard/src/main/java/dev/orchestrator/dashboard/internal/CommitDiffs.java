package dev.orchestrator.dashboard.internal;

import dev.orchestrator.event.Event;
import dev.orchestrator.event.TaskCommittedEvent;
import dev.orchestrator.run.RunRecord;
import dev.orchestrator.spi.store.StoreView;
import dev.orchestrator.vcs.VcsSettings;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.regex.Pattern;

/**
 * The change a commit of a run made, for the run page: only for a commit the run's events name, and only when the
 * project's stored version-control settings name a repository that exists on this machine (the dashboard may run
 * elsewhere). {@code git show} runs with arguments (no shell), a time limit and a size limit. Stateless; thread-safe.
 */
final class CommitDiffs {
  /** The most of a diff the page is sent; the rest is cut and said so. */
  static final int MAX_CHARS = 200_000;
  private static final long TIMEOUT_SECONDS = 10;
  private static final Pattern COMMIT = Pattern.compile("[0-9a-f]{7,64}");

  private final StoreView store;
  private final Views views;

  CommitDiffs(StoreView store, Views views) {
    this.store = store;
    this.views = views;
  }

  /** A commit's patch; {@code truncated} when it was longer than {@link #MAX_CHARS}. */
  record DiffView(String commit, String diff, boolean truncated) {}

  /** Whether the diffs of {@code project}'s commits can be shown here: its repository is on this machine. */
  boolean available(String project) {
    return repository(project).isPresent();
  }

  private Optional<Path> repository(String project) {
    try {
      return store.project(project).flatMap(VcsSettings::fromProject).map(VcsSettings::repository)
          .filter(p -> Files.exists(p.resolve(".git")));
    } catch (IllegalArgumentException e) {
      // Settings this process cannot read: no diff, the commits still show.
      return Optional.empty();
    }
  }

  /**
   * The patch of {@code commit}.
   *
   * @throws ApiException 404 when the run has no such commit or its repository is not on this machine
   */
  DiffView diff(String project, String runId, String commit) {
    RunRecord r = views.runRecord(project, runId);
    boolean known = false;
    for (Event e : store.events(r.project(), r.id())) {
      if (e instanceof TaskCommittedEvent c && c.commit().equals(commit)) {
        known = true;
        break;
      }
    }
    if (!known || !COMMIT.matcher(commit).matches()) {
      throw new ApiException(404, "run '" + runId + "' has no commit '" + commit + "': its commits are listed in "
          + "GET /api/projects/{project}/runs/{run}/detail");
    }
    Path repo = repository(r.project()).orElseThrow(() -> new ApiException(404, "the repository of project '"
        + r.project() + "' is not on the dashboard's machine: see the change with git show " + commit
        + " where the repository is (" + VcsSettings.REPOSITORY + ")"));
    return show(repo, commit);
  }

  private static DiffView show(Path repo, String commit) {
    ProcessBuilder pb = new ProcessBuilder("git", "-C", repo.toString(), "show", "--no-color", "--no-ext-diff",
        "--format=%H%n%an <%ae>%n%ad%n%n%s%n", "--stat", "--patch", commit).redirectErrorStream(true);
    pb.environment().put("GIT_TERMINAL_PROMPT", "0");
    pb.environment().put("GIT_PAGER", "cat");
    try {
      Process p = pb.start();
      p.getOutputStream().close();
      byte[] bytes;
      try (InputStream in = p.getInputStream()) {
        bytes = in.readNBytes(MAX_CHARS * 4 + 1);
      }
      if (!p.waitFor(TIMEOUT_SECONDS, TimeUnit.SECONDS)) {
        p.destroyForcibly();
        throw new ApiException(504, "git show " + commit + " took longer than " + TIMEOUT_SECONDS + " s");
      }
      if (p.exitValue() != 0) {
        throw new ApiException(404, "git show " + commit + " failed in the project's repository: is the commit "
            + "still there (a reset or a gc may have removed it)?");
      }
      String text = new String(bytes, StandardCharsets.UTF_8);
      boolean cut = text.length() > MAX_CHARS;
      return new DiffView(commit, cut ? text.substring(0, MAX_CHARS) : text, cut);
    } catch (IOException e) {
      throw new ApiException(503, "git could not run on the dashboard's machine: install git to see diffs");
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new ApiException(503, "interrupted while reading the diff of " + commit);
    }
  }
}
