package dev.orchestrator.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.List;
import java.util.Random;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A data directory the command line cannot use, through the real launcher: the command fails with exit code 4 and
 * one plain line that names the path, says what is wrong and what to do; no stack trace, none of the database
 * driver's words, and nothing changed. Permission cases run in a process that obeys permission bits (root without
 * the capabilities that override them, through {@code setpriv}); the read-only file system needs a bind mount.
 */
class BadDataDirectoryIT {
  private static final Duration LIMIT = Duration.ofMinutes(2);
  private static final String[] DRIVER_WORDS = {"Wrong user name", "check the URL", "recovery tool", "Exception",
      "\tat ", "[9", "[8000", "[50"};

  @TempDir
  Path temp;

  private Launcher launcher(Path dataDir) throws IOException {
    Files.writeString(temp.resolve("config.json"), CliHarness.CONFIG);
    return new Launcher(dataDir, temp.resolve("config.json"), temp.resolve("logs-" + dataDir.getFileName()))
        .javaOptions("-XX:TieredStopAtLevel=1 -XX:+UseSerialGC");
  }

  /** Exit 4 and one plain line naming {@code path}, containing {@code words}. */
  private static void assertRefused(Launcher.Result r, Path path, String... words) {
    assertThat(r.code()).as(r.toString()).isEqualTo(4);
    assertThat(r.out()).as(r.toString()).isEmpty();
    assertThat(r.err().strip().lines()).as(r.toString()).hasSize(1);
    assertThat(r.err()).as(r.toString()).startsWith("orchestrator: ").contains(path.toString()).contains(words)
        .doesNotContain(DRIVER_WORDS);
  }

  @Test
  void aFileIsNotADataDirectory() throws Exception {
    Path file = Files.writeString(temp.resolve("notes.txt"), "mine");
    Launcher l = launcher(file);
    assertRefused(l.run(LIMIT, "status"), file, "is a file, not a directory", "--data-dir");
    assertRefused(l.run(LIMIT, "budget", "set", "--limit", "5"), file, "is a file, not a directory");
    assertThat(Files.readString(file)).isEqualTo("mine");
  }

  @Test
  void aDamagedStoreIsNamedAndLeftAlone() throws Exception {
    Path dir = temp.resolve("damaged");
    byte[] noise = new byte[30_000];
    new Random(11).nextBytes(noise);
    Path file = Files.write(Files.createDirectories(dir.resolve("store")).resolve("orchestrator.mv.db"), noise);
    assertRefused(launcher(dir).run(LIMIT, "status"), file, "damaged", "move it aside");
    assertThat(Files.readAllBytes(file)).isEqualTo(noise);
  }

  @Test
  void permissionsAreNamed() throws Exception {
    List<String> through = permissionObeyingPrefix();
    chmod(temp, "rwxr-xr-x");
    Path unreadable = temp.resolve("unreadable");
    Path readOnly = temp.resolve("read-only");
    assertThat(launcher(unreadable).run(LIMIT, "status").code()).isZero();
    assertThat(launcher(readOnly).run(LIMIT, "status").code()).isZero();
    List<String> unreadableBefore = listing(unreadable);
    List<String> readOnlyBefore = listing(readOnly);
    chmod(unreadable, "---------");
    chmod(readOnly, "r-xr-xr-x");
    try {
      assertRefused(launcher(unreadable).through(through).run(LIMIT, "status"), unreadable,
          "cannot be read by user", "read and write access");
      assertRefused(launcher(readOnly).through(through).run(LIMIT, "project", "list"), readOnly,
          "is read-only (permission denied)", "make it writable");
      assertRefused(launcher(readOnly).through(through).run(LIMIT, "budget", "set", "--limit", "5"), readOnly,
          "is read-only (permission denied)");
      assertThat(listing(unreadable)).as("nothing written").isEqualTo(unreadableBefore);
      assertThat(listing(readOnly)).as("nothing written").isEqualTo(readOnlyBefore);
    } finally {
      chmod(unreadable, "rwxr-xr-x");
      chmod(readOnly, "rwxr-xr-x");
    }
  }

  @Test
  void aReadOnlyFileSystemIsNamed() throws Exception {
    Path source = temp.resolve("source");
    assertThat(launcher(source).run(LIMIT, "status").code()).isZero();
    Path mount = Files.createDirectories(temp.resolve("mount"));
    assumeTrue(run("mount", "--bind", source.toString(), mount.toString()) == 0,
        "bind mounts need root and CAP_SYS_ADMIN: the read-only file system case is covered by the store's tests");
    try {
      assumeTrue(run("mount", "-o", "remount,bind,ro", mount.toString()) == 0, "cannot remount read-only here");
      assertRefused(launcher(mount).run(LIMIT, "status"), mount, "read-only file system");
    } finally {
      run("umount", mount.toString());
    }
  }

  /** As in the store's BadDataDirectoryTest: obey permission bits, as root through setpriv, or skip. */
  private static List<String> permissionObeyingPrefix() throws Exception {
    Object uid = Files.getAttribute(Path.of("/proc/self"), "unix:uid");
    if (!Integer.valueOf(0).equals(uid)) {
      return List.of();
    }
    List<String> prefix = List.of("setpriv", "--bounding-set=-dac_override,-dac_read_search");
    assumeTrue(run(prefix.get(0), prefix.get(1), "true") == 0,
        "running as root without setpriv: the permission messages are covered by the store's EmbeddedFailuresTest");
    return prefix;
  }

  /** Every file under {@code dir} with its size and modification time: what a write would change. */
  private static List<String> listing(Path dir) throws IOException {
    try (java.util.stream.Stream<Path> files = Files.walk(dir)) {
      return files.map(f -> {
        try {
          return dir.relativize(f) + " " + Files.size(f) + " " + Files.getLastModifiedTime(f).toMillis();
        } catch (IOException e) {
          return dir.relativize(f) + " ?";
        }
      }).sorted().toList();
    }
  }

  private static void chmod(Path p, String perms) throws IOException {
    Files.setPosixFilePermissions(p, PosixFilePermissions.fromString(perms));
  }

  private static int run(String... cmd) throws InterruptedException {
    try {
      Process p = new ProcessBuilder(cmd).redirectErrorStream(true).redirectOutput(ProcessBuilder.Redirect.DISCARD)
          .start();
      return p.waitFor(30, TimeUnit.SECONDS) ? p.exitValue() : -1;
    } catch (IOException e) {
      return -1;
    }
  }
}
