package dev.orchestrator.store.jdbc;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.orchestrator.store.jdbc.StoreUnavailableException.Reason;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A data directory the embedded store cannot use is refused with a plain message that names the path, says what is
 * wrong and what to do, and never repeats the database driver's words.
 *
 * <p>Tests usually run as root, which ignores permission bits; the permission cases therefore run in a child process
 * that obeys them: as root through {@code setpriv} without the two capabilities that override permissions, as anyone
 * else directly. A read-only file system needs a bind mount, so that case runs only where mounting works.
 */
class BadDataDirectoryTest {
  private static final String[] DRIVER_WORDS = {"Wrong user name", "check the URL", "recovery tool", "Possible "
      + "solution", "[90", "[80", "[50", "Exception"};

  @TempDir
  Path temp;

  private static void assertPlain(StoreUnavailableException e, Reason reason, Path path) {
    assertThat(e.reason()).isEqualTo(reason);
    assertThat(e.getMessage()).contains(path.toString()).doesNotContain(DRIVER_WORDS);
  }

  @Test
  void aFileInTheWayIsNamed() throws IOException {
    Path file = Files.writeString(temp.resolve("plain-file"), "x");
    assertThatThrownBy(() -> JdbcStore.embedded(file)).isInstanceOfSatisfying(StoreUnavailableException.class,
        e -> assertPlain(e, Reason.NOT_A_DIRECTORY, file));
    Path under = file.resolve("data");
    assertThatThrownBy(() -> JdbcStore.embedded(under)).isInstanceOfSatisfying(StoreUnavailableException.class,
        e -> {
          assertPlain(e, Reason.NOT_A_DIRECTORY, file);
          assertThat(e.getMessage()).contains(under.toString(), "is a file");
        });
  }

  @Test
  void aDamagedDatabaseFileIsNamedAndNothingIsChanged() throws IOException {
    byte[] noise = new byte[20_000];
    new Random(7).nextBytes(noise);
    for (byte[] content : List.of(noise, "not a database at all\n".getBytes(StandardCharsets.UTF_8))) {
      Path dir = Files.createDirectories(temp.resolve("damaged-" + content.length));
      Path file = Files.write(dir.resolve("orchestrator.mv.db"), content);
      assertThatThrownBy(() -> JdbcStore.embedded(dir)).isInstanceOfSatisfying(StoreUnavailableException.class,
          e -> {
            assertPlain(e, Reason.DAMAGED, file);
            assertThat(e.getMessage()).contains("move it aside");
          });
      assertThat(Files.readAllBytes(file)).as("the damaged file is left as it was").isEqualTo(content);
    }
  }

  @Test
  void aReadOnlyMountIsReadOnly() throws Exception {
    Path source = Files.createDirectories(temp.resolve("source"));
    try (JdbcStore store = JdbcStore.embedded(source)) {
      store.projectList(true);
    }
    Path mount = Files.createDirectories(temp.resolve("mount"));
    assumeTrue(run("mount", "--bind", source.toString(), mount.toString()) == 0,
        "bind mounts need root and CAP_SYS_ADMIN: the read-only mount case is left to EmbeddedFailuresTest");
    try {
      assumeTrue(run("mount", "-o", "remount,bind,ro", mount.toString()) == 0, "cannot remount read-only here");
      assertThatThrownBy(() -> JdbcStore.embedded(mount)).isInstanceOfSatisfying(StoreUnavailableException.class,
          e -> {
            assertPlain(e, Reason.READ_ONLY, mount);
            assertThat(e.getMessage()).contains("read-only file system", "copy the data directory");
          });
    } finally {
      run("umount", mount.toString());
    }
  }

  @Test
  void permissionsAreObeyedAndNamed() throws Exception {
    List<String> prefix = permissionObeyingPrefix();
    Path unreadableDir = store("unreadable-dir");
    Path readOnlyDir = store("read-only-dir");
    Path unreadableFile = store("unreadable-file");
    Path readOnlyFile = store("read-only-file");
    Path fine = store("fine");
    chmod(unreadableDir, "---------");
    chmod(readOnlyDir, "r-xr-xr-x");
    chmod(unreadableFile.resolve("orchestrator.mv.db"), "---------");
    chmod(readOnlyFile.resolve("orchestrator.mv.db"), "r--r--r--");
    try {
      List<String> cmd = new ArrayList<>(prefix);
      cmd.addAll(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(), "-cp",
          System.getProperty("java.class.path"), OpenProbe.class.getName(), unreadableDir.toString(),
          readOnlyDir.toString(), unreadableFile.toString(), readOnlyFile.toString(), fine.toString()));
      Path log = temp.resolve("probe.log");
      Process p = new ProcessBuilder(cmd).redirectErrorStream(true).redirectOutput(log.toFile()).start();
      assertThat(p.waitFor(120, TimeUnit.SECONDS)).isTrue();
      List<String> lines = Files.readAllLines(log).stream()
          .filter(l -> l.startsWith("OPENED") || l.startsWith("REFUSED") || l.startsWith("FAILED")).toList();
      assertThat(lines).as(Files.readString(log)).hasSize(5);
      assertThat(lines.get(0)).startsWith("REFUSED " + unreadableDir + " UNREADABLE ")
          .contains("cannot be read by user", "read and write access");
      assertThat(lines.get(1)).startsWith("REFUSED " + readOnlyDir + " READ_ONLY ")
          .contains("is read-only (permission denied)", "make it writable");
      assertThat(lines.get(2)).startsWith("REFUSED " + unreadableFile + " UNREADABLE ")
          .contains(unreadableFile.resolve("orchestrator.mv.db").toString());
      assertThat(lines.get(3)).startsWith("REFUSED " + readOnlyFile + " READ_ONLY ")
          .contains(readOnlyFile.resolve("orchestrator.mv.db").toString());
      assertThat(lines.get(4)).isEqualTo("OPENED " + fine);
      assertThat(String.join("\n", lines)).doesNotContain(DRIVER_WORDS);
    } finally {
      chmod(unreadableDir, "rwxr-xr-x");
      chmod(readOnlyDir, "rwxr-xr-x");
      chmod(unreadableFile.resolve("orchestrator.mv.db"), "rw-r--r--");
      chmod(readOnlyFile.resolve("orchestrator.mv.db"), "rw-r--r--");
    }
  }

  /** A store made and closed in a new directory under {@code temp}, world-traversable for the child. */
  private Path store(String name) throws IOException {
    Path dir = temp.resolve(name);
    try (JdbcStore store = JdbcStore.embedded(dir)) {
      store.projectList(true);
    }
    chmod(temp, "rwxr-xr-x");
    return dir;
  }

  /**
   * How to start a process that obeys permission bits: directly when this is not root, through {@code setpriv}
   * dropping CAP_DAC_OVERRIDE and CAP_DAC_READ_SEARCH when it is; skips the test when neither works.
   */
  static List<String> permissionObeyingPrefix() throws Exception {
    Object uid = Files.getAttribute(Path.of("/proc/self"), "unix:uid");
    if (!Integer.valueOf(0).equals(uid)) {
      return List.of();
    }
    List<String> prefix = List.of("setpriv", "--bounding-set=-dac_override,-dac_read_search");
    List<String> probe = new ArrayList<>(prefix);
    probe.add("true");
    assumeTrue(run(probe.toArray(String[]::new)) == 0,
        "running as root without setpriv: permission bits cannot be tested in a process (EmbeddedFailuresTest "
            + "covers the messages)");
    return prefix;
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
