package dev.orchestrator.testkit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatCode;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.orchestrator.Priority;
import dev.orchestrator.spi.notifier.Notification;
import dev.orchestrator.spi.notifier.Notifier;
import dev.orchestrator.spi.notifier.NotifierException;
import dev.orchestrator.spi.notifier.NotifierFactory;
import dev.orchestrator.spi.notifier.Severity;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.URI;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.ServiceLoader;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import org.jspecify.annotations.Nullable;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;

/**
 * The suite every notifier plugin passes. Extend it, point {@link #createNotifier()} at a local endpoint the test
 * starts (an SMTP server, an HTTP server on 127.0.0.1), return what that endpoint received from
 * {@link #deliveries()}, and switch on the optional groups by overriding their hooks; a group whose hook returns
 * null is skipped with a reason.
 *
 * <pre>{@code
 * class MyNotifierTest extends NotifierContract {
 *   protected Notifier createNotifier() { return new MyNotifier(config(server.url())); }
 *   protected List<String> deliveries() { return server.bodies(); }
 *   protected Notifier createFailingNotifier() { return new MyNotifier(config(server.url("/500"))); } // optional
 *   protected Notifier createNotifierAt(InetSocketAddress silent) { return ...; }                   // optional
 *   protected String secret() { return "the-token"; }                                             // optional
 *   protected String factoryType() { return "my-type"; }                                          // optional
 * }
 * }</pre>
 *
 * <p>What it checks: a send is delivered and the text arrives intact (including non-ASCII letters); a failure
 * completes the future with a {@link NotifierException} and is never thrown; {@code send} returns at once even
 * when the endpoint never answers; the secret appears in no {@code toString()} and no exception (message, cause or
 * stack trace); the factory is discoverable; {@code close()} is idempotent and later sends fail as futures.
 */
public abstract class NotifierContract {
  private final List<Notifier> created = new ArrayList<>();
  private final List<AutoCloseable> resources = new ArrayList<>();
  private static final AtomicInteger MARKERS = new AtomicInteger();

  /** A notifier that delivers to the test's endpoint. */
  protected abstract Notifier createNotifier();

  /**
   * Everything the test's endpoint received so far, one entry per message, decoded to text (an e-mail's subject
   * and body, an HTTP request's body) so that the contract can look for the words it sent.
   */
  protected abstract List<String> deliveries();

  /** A notifier whose endpoint fails every send (refuses, answers 500, rejects the login), or null to skip. */
  protected @Nullable Notifier createFailingNotifier() {
    return null;
  }

  /**
   * A notifier pointed at {@code silent}: a server on 127.0.0.1 that accepts connections and never answers, or
   * null to skip the non-blocking checks.
   */
  protected @Nullable Notifier createNotifierAt(InetSocketAddress silent) {
    return null;
  }

  /** The secret {@link #createNotifier()} and {@link #createFailingNotifier()} were configured with, or null. */
  protected @Nullable String secret() {
    return null;
  }

  /** The type id the plugin's factory is discovered under, or null when it ships no factory. */
  protected @Nullable String factoryType() {
    return null;
  }

  /** Waits for a send to end; override to drive virtual time. */
  protected <T> T await(CompletableFuture<T> future) throws Exception {
    try {
      return future.get(30, TimeUnit.SECONDS);
    } catch (ExecutionException e) {
      throw e.getCause() instanceof Exception ex ? ex : e;
    }
  }

  /** The notification the checks send; its subject and body contain {@code marker}. */
  protected Notification notification(String marker) {
    return Notification.builder()
        .project("contract").event("task_failed").priority(Priority.HIGH).severity(Severity.CRITICAL)
        .subject("Tâche " + marker + " échouée")
        .body("Die Aufgabe " + marker + " ist fehlgeschlagen: año über café")
        .link(URI.create("http://127.0.0.1:7070/projects/contract/runs/run-1"))
        .locale(Locale.FRENCH).at(Instant.parse("2026-01-01T00:00:00Z"))
        .id("run", "run-1").id("task", marker)
        .build();
  }

  private static String marker() {
    return "m" + MARKERS.incrementAndGet() + "x" + Long.toHexString(System.nanoTime() & 0xffffff);
  }

  private @Nullable Notifier track(@Nullable Notifier n) {
    if (n != null) {
      created.add(n);
    }
    return n;
  }

  @AfterEach
  void closeNotifiers() {
    for (Notifier n : created) {
      n.close();
    }
    created.clear();
    for (AutoCloseable c : resources) {
      try {
        c.close();
      } catch (Exception ignored) {
        // best effort
      }
    }
    resources.clear();
  }

  private NotifierException failure(CompletableFuture<Void> f) throws Exception {
    try {
      await(f);
    } catch (NotifierException e) {
      return e;
    }
    throw new AssertionError("the send was expected to fail with a NotifierException, but it succeeded");
  }

  private static String everything(Throwable t) {
    StringWriter w = new StringWriter();
    t.printStackTrace(new PrintWriter(w));
    return w.toString();
  }

  /** Names and types. */
  @Nested
  class Identity {
    @Test
    void hasALowerCaseNameAndAType() {
      Notifier n = track(createNotifier());
      assertThat(n.name()).isNotBlank().isEqualTo(n.name().toLowerCase(Locale.ROOT));
      assertThat(n.type()).isNotBlank();
    }
  }

  /** Successful sends. */
  @Nested
  class Delivery {
    @Test
    void deliversTheTextIntact() throws Exception {
      Notifier n = track(createNotifier());
      String marker = marker();
      CompletableFuture<Void> f = n.send(notification(marker));
      assertThat(f).as("send() returns a future, never null").isNotNull();
      await(f);
      assertThat(deliveries()).as("what the endpoint received").anySatisfy(d -> assertThat(d)
          .contains(marker).contains("Tâche").contains("échouée"));
    }

    @Test
    void deliversSendsMadeTogether() throws Exception {
      Notifier n = track(createNotifier());
      String a = marker();
      String b = marker();
      CompletableFuture<Void> fa = n.send(notification(a));
      CompletableFuture<Void> fb = n.send(notification(b));
      await(fa);
      await(fb);
      assertThat(deliveries()).anySatisfy(d -> assertThat(d).contains(a));
      assertThat(deliveries()).anySatisfy(d -> assertThat(d).contains(b));
    }
  }

  /** Failures are futures, never exceptions thrown. */
  @Nested
  class Failures {
    @Test
    void aFailureCompletesTheFutureExceptionally() throws Exception {
      Notifier n = track(createFailingNotifier());
      assumeTrue(n != null, "this notifier's test cannot arrange a failing endpoint");
      AtomicReference<CompletableFuture<Void>> holder = new AtomicReference<>();
      assertThatCode(() -> holder.set(n.send(notification(marker())))).as("send() never throws")
          .doesNotThrowAnyException();
      NotifierException e = failure(holder.get());
      assertThat(e.channel()).isEqualTo(n.name());
      assertThat(e.getMessage()).isNotBlank();
      String secret = secret();
      if (secret != null) {
        assertThat(everything(e)).as("the exception, its causes and stack traces").doesNotContain(secret);
      }
    }
  }

  /** A send never blocks the caller, even when the endpoint never answers. */
  @Nested
  class NonBlocking {
    @Test
    void sendReturnsAtOnceWhenTheEndpointHangs() throws Exception {
      ServerSocket silent = new ServerSocket(0, 50, InetAddress.getLoopbackAddress());
      List<Socket> held = new CopyOnWriteArrayList<>();
      resources.add(() -> {
        silent.close();
        for (Socket s : held) {
          s.close();
        }
      });
      Thread acceptor = new Thread(() -> {
        try {
          while (!silent.isClosed()) {
            held.add(silent.accept());
          }
        } catch (IOException closed) {
          // the test is over
        }
      }, "notifier-contract-silent-server");
      acceptor.setDaemon(true);
      acceptor.start();
      Notifier n = track(createNotifierAt(new InetSocketAddress(InetAddress.getLoopbackAddress(),
          silent.getLocalPort())));
      assumeTrue(n != null, "this notifier's test cannot point it at a silent server");
      List<CompletableFuture<Void>> futures = new ArrayList<>();
      long start = System.nanoTime();
      for (int i = 0; i < 20; i++) {
        futures.add(n.send(notification(marker())));
      }
      Duration took = Duration.ofNanos(System.nanoTime() - start);
      assertThat(took).as("20 sends to a server that never answers return at once").isLessThan(Duration.ofSeconds(1));
      assertThat(futures).allSatisfy(f -> assertThat(f).isNotNull());
      assertThat(futures.get(0).isDone() && !futures.get(0).isCompletedExceptionally())
          .as("a send to a silent server has not succeeded").isFalse();
      long closeStart = System.nanoTime();
      n.close();
      assertThat(Duration.ofNanos(System.nanoTime() - closeStart)).as("close() does not wait for the silent server")
          .isLessThan(Duration.ofSeconds(5));
    }
  }

  /** Secrets stay secret. */
  @Nested
  class Secrets {
    @Test
    void theSecretNeverAppearsInToString() {
      String secret = secret();
      assumeTrue(secret != null, "this notifier has no secret");
      Notifier n = track(createNotifier());
      assertThat(n.toString()).doesNotContain(secret);
      Notifier failing = track(createFailingNotifier());
      if (failing != null) {
        assertThat(failing.toString()).doesNotContain(secret);
      }
    }
  }

  /** Discovery through ServiceLoader. */
  @Nested
  class Discovery {
    @Test
    void theFactoryIsDiscoverable() {
      String type = factoryType();
      assumeTrue(type != null, "this plugin ships no factory");
      List<String> types = new ArrayList<>();
      for (NotifierFactory f : ServiceLoader.load(NotifierFactory.class)) {
        types.add(f.type());
      }
      assertThat(types).contains(type);
    }
  }

  /** Closing. */
  @Nested
  class Lifecycle {
    @Test
    void closeIsIdempotent() {
      Notifier n = createNotifier();
      assertThatCode(() -> {
        n.close();
        n.close();
      }).doesNotThrowAnyException();
    }

    @Test
    void aSendAfterCloseFailsAsAFuture() throws Exception {
      Notifier n = createNotifier();
      n.close();
      AtomicReference<CompletableFuture<Void>> holder = new AtomicReference<>();
      assertThatCode(() -> holder.set(n.send(notification(marker())))).doesNotThrowAnyException();
      assertThat(failure(holder.get()).retryable()).as("a closed notifier will not recover").isFalse();
    }
  }
}
