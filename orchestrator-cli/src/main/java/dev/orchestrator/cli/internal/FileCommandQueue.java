package dev.orchestrator.cli.internal;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.orchestrator.spi.store.Command;
import java.io.IOException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Commands between processes through files in {@code <data dir>/commands}, for stores that cannot pass them
 * ({@link dev.orchestrator.spi.store.Store#submitCommand} unsupported). A command is written to a temporary name
 * and moved into place, so a reader never sees half of one; taking it is deleting it, so exactly one process takes
 * it. Thread-safe.
 */
final class FileCommandQueue {
  private static final Logger log = LoggerFactory.getLogger(FileCommandQueue.class);
  private static final ObjectMapper JSON = new ObjectMapper();

  private final Path dir;

  FileCommandQueue(Path dataDir) {
    this.dir = dataDir.resolve("commands");
  }

  void submit(Command c) {
    ObjectNode n = JSON.createObjectNode();
    n.put("id", c.id());
    n.put("kind", c.kind().name());
    n.put("project", c.project());
    n.put("runId", c.runId());
    n.put("target", c.target());
    n.put("by", c.by());
    n.put("text", c.text());
    n.put("at", c.at().toString());
    try {
      Files.createDirectories(dir);
      Path tmp = dir.resolve(c.id() + ".tmp");
      Files.writeString(tmp, n.toString());
      String name = String.format(Locale.ROOT, "%020d-%s.json", c.at().toEpochMilli(), c.id());
      Files.move(tmp, dir.resolve(name), StandardCopyOption.ATOMIC_MOVE);
    } catch (IOException e) {
      throw CliException.wrap(e, ExitCodes.CONFIG, "commands.unwritable", dir, e.getMessage());
    }
  }

  /** Takes every pending command, oldest first. */
  List<Command> take() {
    List<Path> files = new ArrayList<>();
    if (!Files.isDirectory(dir)) {
      return List.of();
    }
    try (DirectoryStream<Path> ds = Files.newDirectoryStream(dir, "*.json")) {
      ds.forEach(files::add);
    } catch (IOException e) {
      log.warn("Commands not read (dir={})", dir, e);
      return List.of();
    }
    files.sort(null);
    List<Command> out = new ArrayList<>();
    for (Path f : files) {
      Command c = read(f);
      if (c == null) {
        continue;
      }
      try {
        Files.delete(f);
        out.add(c);
      } catch (NoSuchFileException e) {
        // another process took it first
      } catch (IOException e) {
        log.warn("Command not taken (file={})", f, e);
      }
    }
    return out;
  }

  private static @Nullable Command read(Path f) {
    try {
      JsonNode n = JSON.readTree(f.toFile());
      return new Command(n.get("id").asText(), Command.Kind.valueOf(n.get("kind").asText()),
          n.get("project").asText(), n.hasNonNull("runId") ? n.get("runId").asText() : null,
          n.hasNonNull("target") ? n.get("target").asText() : null, n.get("by").asText(), n.get("text").asText(),
          Instant.parse(n.get("at").asText()));
    } catch (IOException | RuntimeException e) {
      log.debug("Command file not readable yet (file={})", f, e);
      return null;
    }
  }
}
