package dev.orchestrator.functional;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;

import dev.orchestrator.core.InMemoryStore;
import dev.orchestrator.core.Orchestrator;
import dev.orchestrator.spi.store.Store;
import dev.orchestrator.testkit.FakeProvider;
import dev.orchestrator.testkit.MutableClock;
import dev.orchestrator.workflow.Workflow;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Proxy;
import java.time.Duration;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.Test;

/**
 * A durable store that stops answering under a running engine (a database closed by the JVM's own shutdown hook,
 * a server gone): callers hear of it and closing the engine ends, instead of the loop spinning on messages it can
 * never run in a transaction.
 */
class StoreGoneTest {
  @Test
  void whenTheStoreCannotEvenBeginATransactionCallersFailAndCloseEnds() {
    InMemoryStore real = InMemoryStore.create(MutableClock.create());
    AtomicBoolean gone = new AtomicBoolean();
    Store store = (Store) Proxy.newProxyInstance(Store.class.getClassLoader(), new Class<?>[] {Store.class},
        (proxy, method, args) -> {
          if (method.getName().equals("durable")) {
            return true; // as a database is: the engine groups each pass in one transaction
          }
          if (gone.get() && !method.getName().equals("close")) {
            throw new IllegalStateException("Database is already closed");
          }
          try {
            return method.invoke(real, args);
          } catch (InvocationTargetException e) {
            throw e.getCause();
          }
        });
    Orchestrator o = Orchestrator.builder().store(store).provider(FakeProvider.echo("p")).build();
    o.submit("demo", Workflow.builder("w").task("a", t -> t.instructions("a")).build()).completion().join();
    gone.set(true);
    assertTimeoutPreemptively(Duration.ofSeconds(20), () -> {
      assertThatThrownBy(() -> o.submit("demo", Workflow.builder("w").task("b", t -> t.instructions("b")).build()))
          .hasMessageContaining("already closed");
      o.close();
    });
    assertThat(gone).isTrue();
  }
}
