package dev.orchestrator.dashboard;

import dev.orchestrator.OrchestratorException;
import dev.orchestrator.core.Orchestrator;
import dev.orchestrator.dashboard.internal.DashboardServer;
import java.net.URI;
import java.util.Objects;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A running web dashboard over an {@link Orchestrator}'s store: live runs and tasks, providers, the queue, questions
 * waiting for a human, and cost, in any browser, plus the JSON API and event stream the pages use. It shows every run
 * of the store, whichever process executes it: it follows the store's event stream ({@link Orchestrator#follow}) and
 * reads runs, questions, pauses, budgets and spending from the store on every request.
 *
 * <pre>{@code
 * try (Orchestrator orchestrator = Orchestrator.builder().provider(claude).build();
 *      Dashboard dashboard = Dashboard.start(orchestrator, DashboardOptions.ofDefaults())) {
 *   System.out.println("Dashboard: " + dashboard.url());   // http://127.0.0.1:41234/
 *   orchestrator.submit("blog", workflow, Map.of("topic", "tides")).completion().join();
 * }
 * }</pre>
 *
 * <p>It listens on 127.0.0.1 unless told otherwise; any other address needs an access token
 * ({@link DashboardOptions.Builder#accessToken}). Every state-changing request needs the token, when one is set,
 * and the session's CSRF token. It changes nothing but through the orchestrator's public methods, which act at once
 * on a run this process executes and otherwise reach the engine that holds the run through the store (within about a
 * second). Closing it leaves the orchestrator running.
 *
 * <p>Thread-safe. {@link #close()} is idempotent.
 */
public final class Dashboard implements AutoCloseable {
  private static final Logger log = LoggerFactory.getLogger(Dashboard.class);

  private final DashboardServer server;
  private final DashboardOptions options;

  private Dashboard(DashboardServer server, DashboardOptions options) {
    this.server = server;
    this.options = options;
  }

  /**
   * Starts a dashboard on 127.0.0.1 and any free port, without an access token.
   *
   * @see #start(Orchestrator, DashboardOptions)
   */
  public static Dashboard start(Orchestrator orchestrator) {
    return start(orchestrator, DashboardOptions.ofDefaults());
  }

  /**
   * Starts a dashboard: it listens at once and serves until {@link #close()}.
   *
   * @param orchestrator what it shows and steers; it stays open when the dashboard closes
   * @param options where it listens, its access token, the projects it shows
   * @return the running dashboard; read its address from {@link #url()}
   * @throws OrchestratorException when the address cannot be bound (a port in use), naming host and port, or when
   *     the orchestrator's store keeps no event stream
   */
  public static Dashboard start(Orchestrator orchestrator, DashboardOptions options) {
    Objects.requireNonNull(orchestrator, "orchestrator");
    Objects.requireNonNull(options, "options");
    DashboardServer server = DashboardServer.start(orchestrator, options);
    log.info("Dashboard started (url={}, token={}, projects={})", server.url(),
        options.accessToken().isPresent() ? "required" : "none", options.projects());
    return new Dashboard(server, options);
  }

  /**
   * The dashboard's address, such as {@code http://127.0.0.1:41234/}. It never contains the access token: with a
   * token, open {@code url() + "?token=" + token} once in a browser, which swaps it for a session cookie.
   */
  public URI url() {
    return server.url();
  }

  /** The port it listens on (the one picked, when the options said 0). */
  public int port() {
    return server.url().getPort();
  }

  /** The options it was started with. */
  public DashboardOptions options() {
    return options;
  }

  /** Stops listening and closes every event stream. The orchestrator is left running. Idempotent. */
  @Override
  public void close() {
    server.close();
  }

  @Override
  public String toString() {
    return "Dashboard[" + server.url() + "]";
  }
}
