package dev.orchestrator.core.internal;

import static org.assertj.core.api.Assertions.assertThat;

import dev.orchestrator.event.Event;
import dev.orchestrator.event.TaskStartedEvent;
import dev.orchestrator.run.TaskState;
import dev.orchestrator.spi.store.StoredEvent;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.IntRange;

/** The ring against a plain list of everything appended: it keeps exactly the newest, and reads them in order. */
class EventRingProperties {
  private static Event event(int i) {
    return new TaskStartedEvent("p", "r", "t" + i, Instant.EPOCH.plusSeconds(i), TaskState.READY, "x", i);
  }

  @Property
  void keepsTheNewestAndReadsFromWhereTheReaderIs(@ForAll @IntRange(max = 300) int capacity,
      @ForAll @IntRange(max = 700) int appends, @ForAll @IntRange(max = 800) int from,
      @ForAll @IntRange(min = 1, max = 900) int max) {
    EventRing ring = new EventRing(capacity);
    List<StoredEvent> all = new ArrayList<>();
    for (int i = 1; i <= appends; i++) {
      assertThat(ring.append(event(i))).isEqualTo(i);
      all.add(new StoredEvent(i, event(i)));
    }
    List<StoredEvent> kept = all.subList(Math.max(0, appends - capacity), appends);
    List<StoredEvent> expected = kept.stream().filter(e -> e.sequence() > from).limit(max).toList();

    assertThat(ring.last()).isEqualTo(appends);
    assertThat(ring.after(from, max)).containsExactlyElementsOf(expected);
  }
}
