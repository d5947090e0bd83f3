package dev.orchestrator.bench;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.Arrays;
import java.util.Comparator;
import java.util.HashMap;
import java.util.HexFormat;
import java.util.Locale;
import java.util.Map;
import java.util.stream.Stream;

/** What the plain-{@code main} throughput programs share: options, schemas, medians. Not for use elsewhere. */
final class BenchSupport {
  private static final SecureRandom RANDOM = new SecureRandom();

  private BenchSupport() {}

  /** {@code --name value} pairs. */
  static Map<String, String> options(String[] args) {
    if (args.length % 2 != 0) {
      throw new IllegalArgumentException("expected --name value pairs; '" + args[args.length - 1] + "' has no value");
    }
    Map<String, String> opts = new HashMap<>();
    for (int i = 0; i + 1 < args.length; i += 2) {
      if (!args[i].startsWith("--")) {
        throw new IllegalArgumentException("expected --name value pairs, got '" + args[i] + "'");
      }
      opts.put(args[i].substring(2), args[i + 1]);
    }
    return opts;
  }

  static int[] ints(String csv) {
    return Arrays.stream(csv.split(",")).mapToInt(Integer::parseInt).toArray();
  }

  static String env(String name) {
    String v = System.getenv(name);
    return v == null ? "" : v;
  }

  static String loadAverage() {
    try {
      String[] parts = Files.readString(Path.of("/proc/loadavg")).trim().split("\\s+");
      return parts[0] + " " + parts[1] + " " + parts[2];
    } catch (IOException | RuntimeException e) {
      return "unknown";
    }
  }

  /** The median of an odd number of values (the upper one of the middle two otherwise). */
  static double median(double[] values) {
    double[] sorted = values.clone();
    Arrays.sort(sorted);
    return sorted[sorted.length / 2];
  }

  static String fmt(Double v) {
    return v == null ? "-" : String.format(Locale.ROOT, "%,.0f", v);
  }

  static String ratio(Double a, Double b) {
    return a == null || b == null ? "-" : String.format(Locale.ROOT, "%.2fx", a / b);
  }

  static void deleteTree(Path dir) throws IOException {
    try (Stream<Path> paths = Files.walk(dir)) {
      for (Path p : paths.sorted(Comparator.reverseOrder()).toList()) {
        Files.deleteIfExists(p);
      }
    }
  }

  /**
   * The PostgreSQL server of {@code ORCHESTRATOR_TEST_POSTGRES_URL}, {@code _USER} and {@code _PASSWORD}, where each
   * measurement gets a schema of its own ({@code ?currentSchema=}), dropped afterwards.
   */
  record Postgres(String url, String user, String password) {
    /** The server of the environment, or null when {@code ORCHESTRATOR_TEST_POSTGRES_URL} is not set. */
    static Postgres fromEnvironment() {
      String url = env("ORCHESTRATOR_TEST_POSTGRES_URL");
      return url.isBlank() ? null : new Postgres(url, env("ORCHESTRATOR_TEST_POSTGRES_USER"),
          env("ORCHESTRATOR_TEST_POSTGRES_PASSWORD"));
    }

    String newSchema() throws SQLException {
      byte[] bytes = new byte[6];
      RANDOM.nextBytes(bytes);
      String name = "bench_" + HexFormat.of().formatHex(bytes);
      try (Connection c = DriverManager.getConnection(url, user, password); Statement s = c.createStatement()) {
        s.execute("CREATE SCHEMA " + name);
      }
      return name;
    }

    void dropSchema(String name) throws SQLException {
      try (Connection c = DriverManager.getConnection(url, user, password); Statement s = c.createStatement()) {
        s.execute("DROP SCHEMA IF EXISTS " + name + " CASCADE");
      }
    }

    String urlFor(String schema) {
      return url + (url.contains("?") ? "&" : "?") + "currentSchema=" + schema;
    }
  }
}
