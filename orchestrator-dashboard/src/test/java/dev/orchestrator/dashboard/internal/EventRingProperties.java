package dev.orchestrator.dashboard.internal;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.IntRange;
import net.jqwik.api.constraints.Size;

/** The ring of recent events answers "what came after this sequence?" exactly, or says it no longer can. */
class EventRingProperties {
  @Property
  void everyEventAfterACursorOrNoneWhenSomeWereDropped(@ForAll @IntRange(min = 1, max = 8) int capacity,
      @ForAll @IntRange(min = 0, max = 50) int start,
      @ForAll @Size(max = 30) List<@IntRange(min = 1, max = 3) Integer> gaps,
      @ForAll @IntRange(min = 0, max = 150) int cursor) {
    EventRing ring = new EventRing(capacity, start);
    List<Long> added = new ArrayList<>();
    long sequence = start;
    for (int gap : gaps) {
      sequence += gap; // store sequences grow, with gaps (PostgreSQL sequences skip numbers)
      ring.add(new EventRing.Message(sequence, "p", "{}"));
      added.add(sequence);
    }
    List<Long> kept = added.subList(Math.max(0, added.size() - capacity), added.size());
    long floor = added.size() > capacity ? added.get(added.size() - capacity - 1) : start;
    assertThat(ring.floor()).isEqualTo(floor);
    assertThat(ring.latest()).isEqualTo(added.isEmpty() ? start : added.get(added.size() - 1));

    List<EventRing.Message> after = ring.after(cursor);
    if (cursor < floor) {
      assertThat(after).isNull();
    } else {
      assertThat(after).extracting(EventRing.Message::sequence)
          .containsExactlyElementsOf(kept.stream().filter(s -> s > cursor).toList());
    }
  }

  @Property
  void refusesASequenceThatDoesNotGrow(@ForAll @IntRange(min = 1, max = 100) int latest,
      @ForAll @IntRange(min = 0, max = 100) int next) {
    EventRing ring = new EventRing(4, 0);
    ring.add(new EventRing.Message(latest, "p", "{}"));
    if (next <= latest) {
      org.assertj.core.api.Assertions.assertThatThrownBy(() -> ring.add(new EventRing.Message(next, "p", "{}")))
          .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("is not after " + latest);
    } else {
      ring.add(new EventRing.Message(next, "p", "{}"));
      assertThat(ring.latest()).isEqualTo(next);
    }
  }
}
