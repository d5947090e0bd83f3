package dev.orchestrator.dashboard.internal;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.orchestrator.core.InMemoryStore;
import dev.orchestrator.core.Orchestrator;
import dev.orchestrator.dashboard.Await;
import dev.orchestrator.event.ProjectPausedEvent;
import dev.orchestrator.event.ProviderPausedEvent;
import dev.orchestrator.spi.store.StoredEvent;
import dev.orchestrator.testkit.FakeProvider;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;
import org.jspecify.annotations.Nullable;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * The hub between the store's event stream and the browsers' streams: order, ids, project filter, and catching up a
 * stream that reconnects, from the ring of recent events or from the store.
 */
class EventHubTest {
  private final InMemoryStore store = InMemoryStore.create();
  private final Orchestrator orchestrator = Orchestrator.builder().store(store).provider(FakeProvider.echo("claude"))
      .claimRuns(false).build();
  private final List<AutoCloseable> open = new ArrayList<>();

  @AfterEach
  void close() throws Exception {
    for (AutoCloseable c : open) {
      c.close();
    }
    orchestrator.close();
  }

  /** A browser's stream that records what it is sent. */
  static final class Recording implements EventHub.Stream {
    record Sent(String json, @Nullable Long id) {
      JsonNode node() {
        try {
          return Json.MAPPER.readTree(json);
        } catch (java.io.IOException e) {
          throw new AssertionError(e);
        }
      }
    }

    private final List<Sent> sent = new ArrayList<>();
    private volatile boolean gone;

    @Override
    public boolean terminated() {
      return gone;
    }

    @Override
    public synchronized void send(String json, @Nullable Long id) {
      sent.add(new Sent(json, id));
      notifyAll();
    }

    @Override
    public void ping() {}

    @Override
    public void onClose(Runnable action) {}

    @Override
    public void close() {
      gone = true;
    }

    /** Waits (10 s at most) until what was sent satisfies the condition; returns a copy. */
    synchronized List<Sent> await(Predicate<List<Sent>> done) throws InterruptedException {
      long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
      while (!done.test(sent)) {
        long left = deadline - System.nanoTime();
        if (left <= 0) {
          throw new AssertionError("the stream was not sent what was expected within 10 s; sent: " + sent);
        }
        TimeUnit.NANOSECONDS.timedWait(this, left);
      }
      return List.copyOf(sent);
    }

    /** The events sent (messages with an id that are not notices). */
    synchronized List<Sent> events() {
      return sent.stream().filter(s -> s.id() != null && !s.node().get("type").asText().equals("Hello")
          && !s.node().get("type").asText().equals("Reset")).toList();
    }
  }

  private EventHub hub(int ring) {
    EventHub hub = new EventHub(orchestrator, p -> !p.equals("secret"), ring);
    hub.start();
    open.add(hub);
    return hub;
  }

  private long pause(String project, int i) {
    store.append(new ProjectPausedEvent(project, Instant.parse("2026-01-01T00:00:00Z").plusSeconds(i), "r" + i));
    return store.lastEventSequence();
  }

  /** Waits until the hub has read the store's stream up to {@code sequence}. */
  private static void awaitPosition(EventHub hub, long sequence) {
    Await.until("the hub reading the stream up to " + sequence, () -> hub.position() >= sequence);
  }

  private static Predicate<List<Recording.Sent>> eventCount(int n) {
    return sent -> sent.stream().filter(s -> s.id() != null && s.json().contains("Event\"")).count() >= n;
  }

  @Test
  void sendsTheEventsOfItsProjectAndOfNoProjectInOrderWithTheirStoreSequenceAsId() throws Exception {
    EventHub hub = hub(EventHub.RING_CAPACITY);
    Recording blog = new Recording();
    hub.add(blog, "blog", null);
    List<Long> blogSequences = new ArrayList<>();
    blogSequences.add(pause("blog", 1));
    pause("docs", 2);
    store.append(new ProviderPausedEvent("claude", Instant.parse("2026-01-01T00:00:03Z"), "quota"));
    blogSequences.add(store.lastEventSequence());
    blogSequences.add(pause("blog", 4));

    blog.await(eventCount(3));
    List<Recording.Sent> events = blog.events();
    assertThat(events).extracting(Recording.Sent::id).containsExactlyElementsOf(blogSequences);
    assertThat(events).extracting(s -> s.node().get("sequence").asLong()).containsExactlyElementsOf(blogSequences);
    assertThat(events).extracting(s -> s.node().get("type").asText())
        .containsExactly("ProjectPausedEvent", "ProviderPausedEvent", "ProjectPausedEvent");
    assertThat(events.get(0).node().get("reason").asText()).isEqualTo("r1");
    assertThat(events).noneMatch(s -> s.json().contains("\"docs\""));
  }

  @Test
  void aStreamOnNoProjectGetsTheEventsOfEveryProjectShownAndNoneOfTheOthers() throws Exception {
    EventHub hub = hub(EventHub.RING_CAPACITY);
    Recording any = new Recording();
    hub.add(any, "", null);
    long blog = pause("blog", 1);
    pause("secret", 2);
    long docs = pause("docs", 3);
    any.await(eventCount(2));
    long last = pause("blog", 4);
    any.await(eventCount(3));
    assertThat(any.events()).extracting(Recording.Sent::id).containsExactly(blog, docs, last);
  }

  @Test
  void aStreamOpenedWithoutAnIdStartsAtTheNewestEventAndSaysWhereInItsHello() throws Exception {
    EventHub hub = hub(EventHub.RING_CAPACITY);
    long before = pause("blog", 1);
    awaitPosition(hub, before);
    Recording probe = new Recording();
    hub.add(probe, "blog", null);
    JsonNode hello = probe.await(sent -> !sent.isEmpty()).get(0).node();
    assertThat(hello.get("type").asText()).isEqualTo("Hello");
    // The stream starts after the newest event: the hello names it, and only later events follow.
    assertThat(hello.get("sequence").asLong()).isEqualTo(before);
    long after = pause("blog", 2);
    assertThat(probe.await(eventCount(1)).stream().filter(s -> s.json().contains("Event\"")).map(Recording.Sent::id))
        .containsExactly(after);
  }

  @Test
  void aReconnectingStreamIsSentWhatItMissedFromTheRing() throws Exception {
    EventHub hub = hub(EventHub.RING_CAPACITY);
    Recording first = new Recording();
    hub.add(first, "blog", null);
    long seen = pause("blog", 1);
    first.await(eventCount(1));
    first.close(); // the browser lost its connection
    List<Long> missed = List.of(pause("blog", 2), pause("blog", 3), pause("blog", 4));

    Recording again = new Recording();
    hub.add(again, "blog", seen);
    again.await(eventCount(3));
    assertThat(again.events()).extracting(Recording.Sent::id).containsExactlyElementsOf(missed);
    long later = pause("blog", 5);
    again.await(eventCount(4));
    assertThat(again.events()).extracting(Recording.Sent::id).endsWith(later).doesNotHaveDuplicates();
  }

  @Test
  void aStreamFurtherBehindThanTheRingIsCaughtUpFromTheStoreWithoutGapsOrRepeats() throws Exception {
    EventHub hub = hub(3);
    Recording watcher = new Recording();
    hub.add(watcher, "blog", null);
    long start = pause("blog", 0);
    watcher.await(eventCount(1));
    List<Long> all = new ArrayList<>();
    for (int i = 1; i <= 12; i++) {
      all.add(pause(i % 3 == 0 ? "docs" : "blog", i));
    }
    awaitPosition(hub, all.get(all.size() - 1)); // the hub has them all: its ring holds the newest 3 only
    List<Long> blog = new ArrayList<>();
    for (StoredEvent e : store.eventsAfter(start, 100)) {
      if (e.event().project().equals("blog")) {
        blog.add(e.sequence());
      }
    }

    Recording late = new Recording();
    hub.add(late, "blog", start);
    late.await(eventCount(blog.size()));
    assertThat(late.events()).extracting(Recording.Sent::id).containsExactlyElementsOf(blog);
    assertThat(late.events()).extracting(s -> s.node().get("reason").asText()).doesNotContain("r3", "r6", "r9", "r12");
  }

  @Test
  void anIdTheStoreNeverHandedOutResetsTheStream() throws Exception {
    EventHub hub = hub(EventHub.RING_CAPACITY);
    long now = pause("blog", 1);
    awaitPosition(hub, now);
    Recording stranger = new Recording();
    hub.add(stranger, "blog", now + 1000);
    JsonNode first = stranger.await(sent -> !sent.isEmpty()).get(0).node();
    assertThat(first.get("type").asText()).isEqualTo("Reset");
    assertThat(first.get("sequence").asLong()).isEqualTo(now);
  }

  @Test
  void closingEndsEveryStream() {
    EventHub hub = new EventHub(orchestrator, p -> true, 8);
    hub.start();
    Recording r = new Recording();
    hub.add(r, "blog", null);
    hub.close();
    hub.close();
    assertThat(r.terminated()).isTrue();
    assertThat(hub.clientCount()).isZero();
  }
}
