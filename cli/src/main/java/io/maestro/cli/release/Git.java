package io.maestro.cli.release;

import io.maestro.cli.UserError;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/** The few facts a release takes from git in the working directory. */
final class Git {
  private Git() {}

  static String head() {
    return run("rev-parse", "HEAD")
        .orElseThrow(() -> new UserError("not in a git checkout: pass --commit SHA", 2));
  }

  /** Whether tracked files differ from the commit (untracked files do not count). */
  static boolean dirty() {
    return run("status", "--porcelain", "--untracked-files=no").map(s -> !s.isEmpty()).orElse(true);
  }

  static String sourceUri() {
    return run("remote", "get-url", "origin")
        .or(
            () ->
                run("rev-parse", "--show-toplevel")
                    .map(top -> "git+local:" + Path.of(top).getFileName()))
        .orElse("git+local:unknown");
  }

  private static java.util.Optional<String> run(String... args) {
    List<String> cmd = new ArrayList<>(List.of("git"));
    cmd.addAll(List.of(args));
    try {
      Process p = new ProcessBuilder(cmd).redirectErrorStream(false).start();
      p.getOutputStream().close();
      String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8).strip();
      p.getErrorStream().transferTo(java.io.OutputStream.nullOutputStream());
      return p.waitFor() == 0 ? java.util.Optional.of(out) : java.util.Optional.empty();
    } catch (IOException e) {
      return java.util.Optional.empty();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return java.util.Optional.empty();
    }
  }
}
