package dev.orchestrator.dashboard;

import com.fasterxml.jackson.databind.JsonNode;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;
import java.util.stream.Stream;
import org.jspecify.annotations.Nullable;

/**
 * A script's view of {@code GET /api/events}: reads the server-sent events of one stream on a thread of its own and
 * keeps them, each with its {@code id}, for the test to wait on.
 */
final class EventStream implements AutoCloseable {
  /** One server-sent event: its id (null for a notice without one) and its JSON data. */
  record Received(@Nullable Long id, JsonNode data) {
    String type() {
      return data.get("type").asText();
    }
  }

  private final HttpResponse<Stream<String>> response;
  private final List<Received> received = new ArrayList<>();
  private final Thread reader;

  private EventStream(HttpResponse<Stream<String>> response) {
    this.response = response;
    this.reader = new Thread(this::read, "test-event-stream");
    this.reader.setDaemon(true);
    this.reader.start();
  }

  /** Opens a stream of {@code project}, sending {@code Last-Event-ID} when {@code lastEventId} is not null. */
  static EventStream open(Http http, String project, @Nullable Long lastEventId) throws Exception {
    HttpRequest.Builder b = HttpRequest.newBuilder(http.base.resolve("api/events?project=" + project))
        .header("Accept", "text/event-stream").GET();
    if (lastEventId != null) {
      b.header("Last-Event-ID", Long.toString(lastEventId));
    }
    HttpResponse<Stream<String>> r = http.client.sendAsync(b.build(), HttpResponse.BodyHandlers.ofLines())
        .get(10, TimeUnit.SECONDS);
    if (r.statusCode() != 200) {
      throw new AssertionError("GET api/events answered " + r.statusCode());
    }
    return new EventStream(r);
  }

  private void read() {
    Long id = null;
    StringBuilder data = new StringBuilder();
    try {
      for (String line : (Iterable<String>) response.body()::iterator) {
        if (line.isEmpty()) {
          if (data.length() > 0) {
            add(new Received(id, Http.JSON.readTree(data.toString())));
          }
          id = null;
          data.setLength(0);
        } else if (line.startsWith("id:")) {
          id = Long.parseLong(line.substring(3).trim());
        } else if (line.startsWith("data:")) {
          data.append(line.substring(5).trim());
        }
      }
    } catch (java.io.IOException | java.io.UncheckedIOException e) {
      // The stream was closed.
    }
  }

  private synchronized void add(Received r) {
    received.add(r);
    notifyAll();
  }

  /** Everything received so far. */
  synchronized List<Received> received() {
    return List.copyOf(received);
  }

  /** The events of the store received so far (those with an id, other than the stream's first notice). */
  synchronized List<Received> events() {
    return received.stream().filter(r -> r.id() != null && r.data().has("sequence")
        && !r.type().equals("Hello") && !r.type().equals("Reset")).toList();
  }

  /** Waits (10 s at most) for a message matching, received before or after the call, and returns the first. */
  synchronized Received await(String what, Predicate<Received> match) throws InterruptedException {
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
    while (true) {
      for (Received r : received) {
        if (match.test(r)) {
          return r;
        }
      }
      long left = deadline - System.nanoTime();
      if (left <= 0) {
        throw new AssertionError("no " + what + " on the event stream within 10 s; received: " + received);
      }
      TimeUnit.NANOSECONDS.timedWait(this, left);
    }
  }

  Received awaitType(String type) throws InterruptedException {
    return await(type, r -> r.type().equals(type));
  }

  @Override
  public void close() {
    response.body().close();
  }
}
