package dev.orchestrator.cli.internal;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.stream.IntStream;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Files other processes read at any moment are never seen half written, and the first default written stands. */
class AtomicFilesTest {
  @TempDir
  Path dir;

  @Test
  void theFirstOfManyWritersWinsAndNoTemporaryFileIsLeft() throws Exception {
    Path file = dir.resolve("sub").resolve("config.json");
    List<CompletableFuture<Boolean>> writers = IntStream.range(0, 8).mapToObj(i -> CompletableFuture.supplyAsync(
        () -> {
          try {
            return AtomicFiles.createIfAbsent(file, "writer " + i);
          } catch (Exception e) {
            throw new IllegalStateException(e);
          }
        })).toList();
    List<Boolean> won = writers.stream().map(CompletableFuture::join).toList();
    assertThat(won).containsOnlyOnce(true);
    assertThat(Files.readString(file)).isEqualTo("writer " + won.indexOf(true));
    try (Stream<Path> left = Files.list(file.getParent())) {
      assertThat(left).containsExactly(file);
    }
  }

  @Test
  void writeReplacesWholly() throws Exception {
    Path file = dir.resolve("state.json");
    AtomicFiles.write(file, "{\"project\":\"a\"}");
    AtomicFiles.write(file, "{\"project\":\"b\"}");
    assertThat(Files.readString(file)).isEqualTo("{\"project\":\"b\"}");
    try (Stream<Path> left = Files.list(dir)) {
      assertThat(left).containsExactly(file);
    }
  }
}
