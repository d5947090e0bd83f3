package dev.orchestrator.store.jdbc.internal;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.net.JarURLConnection;
import java.net.URISyntaxException;
import java.net.URL;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.Enumeration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.jar.JarEntry;
import java.util.jar.JarFile;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import java.util.zip.CRC32;
import javax.sql.DataSource;

/**
 * Whether the schema already holds every migration script this version ships, each applied successfully and
 * unchanged (same checksum, computed as Flyway computes it), so that Flyway need not start at all. Starting Flyway
 * costs about half a second of processor time, which every command-line call would pay on every open, and six calls
 * starting together on two cores pay six times over; an open that finds the schema current now reads one small table
 * instead.
 *
 * <p>Anything this check does not fully understand (a script not named {@code V<n>__...sql}, a failed or unknown
 * applied version, a changed checksum, a missing history table, any error) answers "not current", and Flyway runs as
 * before: it migrates, or refuses a changed script with its own message. Stateless.
 */
public final class SchemaCheck {
  private static final Pattern VERSIONED = Pattern.compile("V(\\d+)__[^/]+\\.sql");

  private SchemaCheck() {}

  /**
   * The schema version when every shipped script of {@code dialect} is applied, successful and unchanged, and
   * nothing else is applied; empty when Flyway must look.
   */
  public static Optional<String> current(DataSource dataSource, Dialect dialect, String historyTable) {
    Map<String, Integer> shipped = shipped(dialect);
    if (shipped.isEmpty()) {
      return Optional.empty();
    }
    Map<String, Integer> applied = new HashMap<>();
    try (Connection c = dataSource.getConnection();
        Statement s = c.createStatement();
        ResultSet rs = s.executeQuery("SELECT \"version\", \"checksum\", \"success\" FROM \"" + historyTable
            + "\" WHERE \"version\" IS NOT NULL")) {
      while (rs.next()) {
        int checksum = rs.getInt(2);
        if (rs.wasNull() || !rs.getBoolean(3) || applied.put(rs.getString(1), checksum) != null) {
          return Optional.empty();
        }
      }
    } catch (SQLException e) {
      return Optional.empty(); // no history yet (a new database), or anything else: Flyway decides
    }
    if (!applied.equals(shipped)) {
      return Optional.empty();
    }
    return shipped.keySet().stream().max((a, b) -> Long.compare(Long.parseLong(a), Long.parseLong(b)));
  }

  /** Version to checksum of every script in the dialect's folder; empty when any is not understood. */
  static Map<String, Integer> shipped(Dialect dialect) {
    String folder = dialect.migrations().substring("classpath:".length()) + "/";
    Map<String, Integer> out = new HashMap<>();
    try {
      Enumeration<URL> roots = SchemaCheck.class.getClassLoader().getResources(folder);
      while (roots.hasMoreElements()) {
        for (String name : names(roots.nextElement(), folder)) {
          Matcher m = VERSIONED.matcher(name);
          if (!m.matches()) {
            return Map.of();
          }
          String version = Long.toString(Long.parseLong(m.group(1)));
          if (out.put(version, checksum(folder + name)) != null) {
            return Map.of();
          }
        }
      }
    } catch (IOException | URISyntaxException | RuntimeException e) {
      return Map.of();
    }
    return out;
  }

  /** The file names directly in {@code folder} at {@code root} (a directory or a jar). */
  private static List<String> names(URL root, String folder) throws IOException, URISyntaxException {
    List<String> names = new ArrayList<>();
    if ("file".equals(root.getProtocol())) {
      try (Stream<Path> files = Files.list(Path.of(root.toURI()))) {
        files.filter(Files::isRegularFile).forEach(p -> names.add(p.getFileName().toString()));
      }
    } else if ("jar".equals(root.getProtocol())) {
      JarURLConnection connection = (JarURLConnection) root.openConnection();
      connection.setUseCaches(false);
      try (JarFile jar = connection.getJarFile()) {
        for (Enumeration<JarEntry> e = jar.entries(); e.hasMoreElements(); ) {
          String name = e.nextElement().getName();
          if (name.startsWith(folder) && name.length() > folder.length() && name.indexOf('/', folder.length()) < 0) {
            names.add(name.substring(folder.length()));
          }
        }
      }
    } else {
      throw new IOException("cannot list " + root);
    }
    return names;
  }

  /** Flyway's checksum: CRC-32 of each line's UTF-8 bytes without its line break, a leading byte-order mark cut. */
  static int checksum(String resource) throws IOException {
    CRC32 crc = new CRC32();
    try (InputStream in = SchemaCheck.class.getClassLoader().getResourceAsStream(resource)) {
      if (in == null) {
        throw new IOException("missing " + resource);
      }
      BufferedReader r = new BufferedReader(new InputStreamReader(in, StandardCharsets.UTF_8));
      String line = r.readLine();
      if (line != null && line.startsWith("\uFEFF")) {
        line = line.substring(1);
      }
      while (line != null) {
        crc.update(line.getBytes(StandardCharsets.UTF_8));
        line = r.readLine();
      }
    }
    return (int) crc.getValue();
  }
}
