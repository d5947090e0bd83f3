package dev.orchestrator.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.regex.Pattern;

/**
 * Golden files: what a command prints, kept in {@code src/test/resources/golden/cli/}. A test compares a command's
 * output to its file; the parts that change from one run to the next (run and question ids, times and days, as zeros
 * of the same width; engine names; temporary paths) are replaced by placeholders first.
 *
 * <p>JSON files are compared as JSON: the same fields and values, in any order within an object.
 *
 * <p>To refresh them after an intended change of output, run the tests with {@code -Dgolden.update=true}
 * ({@code mvn -o -q -pl orchestrator-cli -am test -Dtest='CliOutputTest,CommandsTest' -Dgolden.update=true
 * -Dsurefire.failIfNoSpecifiedTests=false}) and review the diff of the files before committing it.
 */
final class Golden {
  private static final Path DIR = Path.of("src", "test", "resources", "golden", "cli");
  private static final Pattern UUID = Pattern.compile("[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}");
  private static final Pattern INSTANT = Pattern.compile(
      "\\d{4}-\\d{2}-\\d{2}[T ]\\d{2}:\\d{2}:\\d{2}(\\.\\d+)?Z?");
  /** A day alone (a daily budget's day, a report's {@code byDay} key): the test's date, which the calendar moves. */
  private static final Pattern DAY = Pattern.compile("\\b\\d{4}-\\d{2}-\\d{2}\\b");
  private static final Pattern ENGINE = Pattern.compile("\\b(run|cli|worker|cancel|priority)@[^\\s\"]+:\\d+:[0-9a-f]{6}");

  private Golden() {}

  /** The output with what changes between runs replaced: ids, times, engine names and {@code temp}. */
  static String normalize(String output, Path temp) {
    String s = output.replace(temp.toAbsolutePath().toString(), "<tmp>");
    // Ids and times keep their width, so the columns of a table stay where they were.
    s = UUID.matcher(s).replaceAll("00000000-0000-0000-0000-000000000000");
    // A fraction of a second has 3, 6 or 9 digits depending on the clock: it becomes ".0" (only in JSON).
    s = INSTANT.matcher(s).replaceAll(m -> m.group().replaceAll("\\.\\d+", ".0").replaceAll("\\d", "0"));
    s = DAY.matcher(s).replaceAll("0000-00-00");
    s = ENGINE.matcher(s).replaceAll("<engine>");
    return s;
  }

  /** Asserts that {@code actual} (normalized) is the golden file {@code name}; rewrites it with -Dgolden.update. */
  static void assertMatches(String name, String actual, Path temp) {
    String normalized = normalize(actual, temp);
    Path file = DIR.resolve(name);
    try {
      if (Boolean.getBoolean("golden.update")) {
        Files.createDirectories(file.getParent());
        Files.writeString(file, normalized, StandardCharsets.UTF_8);
        return;
      }
      assertThat(file).as("golden file %s (create it with -Dgolden.update=true)", file).exists();
      String expected = Files.readString(file, StandardCharsets.UTF_8);
      if (name.endsWith(".json")) {
        // The same JSON: field order within an object is not part of it (a report's maps have none).
        var json = new com.fasterxml.jackson.databind.ObjectMapper();
        assertThat(json.readTree(normalized)).as("output against %s (refresh with -Dgolden.update=true)\n%s", file,
            normalized).isEqualTo(json.readTree(expected));
        return;
      }
      assertThat(normalized).as("output against %s (refresh with -Dgolden.update=true)", file).isEqualTo(expected);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
