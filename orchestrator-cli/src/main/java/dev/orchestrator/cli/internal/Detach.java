package dev.orchestrator.cli.internal;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * {@code --detach}: the same command runs in a background process that outlives this one. The child submits the run
 * (or takes it over, for {@code resume} and {@code answer}), prints one line {@code RUN <id>} (or {@code ERR <code> <message>}) for this process, then writes
 * its progress to {@code <data dir>/runs/<id>.log} and executes the run to its end.
 */
final class Detach {
  /** The hidden option that makes a process the background half of {@code --detach}. */
  static final String CHILD_OPTION = "--internal-detached-child";
  private static final List<String> PASSED_ENV = List.of("OPENAI_API_KEY", "ANTHROPIC_API_KEY", "GEMINI_API_KEY",
      Cli.HOME_ENV, Cli.LEASE_ENV, "ORCHESTRATOR_DB_USER", "ORCHESTRATOR_DB_PASSWORD");

  private Detach() {}

  /** The result of the child's start: its run id, or its failure. */
  record Started(String runId, int exitCode, String message) {}

  /** Starts the child with this process's arguments (minus {@code --detach}) and waits for its first line. */
  static Started start(Cli cli) {
    cli.release(); // the child opens the store itself, and no exit of this process breaks its connections
    List<String> cmd = new ArrayList<>();
    String java = ProcessHandle.current().info().command()
        .orElse(Path.of(System.getProperty("java.home"), "bin", "java").toString());
    cmd.add(java);
    cmd.add("-cp");
    cmd.add(System.getProperty("java.class.path"));
    cmd.add("dev.orchestrator.cli.Main");
    cmd.add("--data-dir");
    cmd.add(cli.dataDir().toString());
    for (String a : cli.argv()) {
      if (!a.equals("--detach") && !a.equals("-d")) {
        cmd.add(a);
      }
    }
    cmd.add(CHILD_OPTION);
    ProcessBuilder pb = new ProcessBuilder(cmd);
    Map<String, String> env = pb.environment();
    for (String name : PASSED_ENV) {
      String v = cli.env().apply(name);
      if (v == null) {
        env.remove(name);
      } else {
        env.put(name, v);
      }
    }
    Path logDir = cli.dataDir().resolve("logs");
    try {
      Files.createDirectories(logDir);
      pb.redirectErrorStream(false);
      pb.redirectError(ProcessBuilder.Redirect.appendTo(logDir.resolve("detached.log").toFile()));
      Process p = pb.start();
      p.getOutputStream().close();
      BufferedReader in = new BufferedReader(new InputStreamReader(p.getInputStream(), StandardCharsets.UTF_8));
      String line = in.readLine();
      if (line != null && line.startsWith("RUN ")) {
        return new Started(line.substring(4).trim(), ExitCodes.OK, "");
      }
      if (line != null && line.startsWith("ERR ")) {
        String[] parts = line.split(" ", 3);
        return new Started("", Integer.parseInt(parts[1]), parts.length > 2 ? parts[2] : "");
      }
      return new Started("", ExitCodes.INTERNAL, Messages.get("detach.died", logDir.resolve("detached.log")));
    } catch (IOException e) {
      throw CliException.wrap(e, ExitCodes.INTERNAL, "detach.failed", e.getMessage());
    }
  }

  /** In the child: tells the parent the run id, then sends all later output to the run's log file. */
  static void handOver(Cli cli, String runId) {
    cli.out().println("RUN " + runId);
    cli.out().flush();
    Path log = cli.dataDir().resolve("runs").resolve(runId + ".log");
    try {
      Files.createDirectories(log.getParent());
      cli.redirectOut(new PrintWriter(Files.newBufferedWriter(log, StandardCharsets.UTF_8), true));
    } catch (IOException e) {
      cli.redirectOut(new PrintWriter(java.io.OutputStream.nullOutputStream()));
    }

  }

  /** In the child: tells the parent why it could not start. */
  static void fail(Cli cli, Throwable t) {
    cli.out().println("ERR " + Errors.exitCode(t) + " " + Errors.line(t));
    cli.out().flush();
  }
}
