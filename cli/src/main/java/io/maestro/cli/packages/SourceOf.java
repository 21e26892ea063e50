package io.maestro.cli.packages;

import io.maestro.provenance.packages.PackageProvenance;
import io.maestro.provenance.packages.WorkflowPackage;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * Where a package is built from, for its provenance: the git commit when the directory is in a git
 * checkout and nothing under it differs from that commit (so the commit alone says what was
 * packaged), else the packaged tree's own digest.
 */
final class SourceOf {
  private SourceOf() {}

  static PackageProvenance.Source dir(Path dir, WorkflowPackage pkg) {
    Optional<String> commit = git(dir, "rev-parse", "HEAD");
    Optional<String> changes = git(dir, "status", "--porcelain", "--", ".");
    Optional<String> prefix = git(dir, "rev-parse", "--show-prefix");
    if (commit.isPresent()
        && commit.get().matches("[0-9a-f]{40}([0-9a-f]{24})?")
        && changes.isPresent()
        && changes.get().isEmpty()) {
      String repo =
          git(dir, "remote", "get-url", "origin")
              .or(
                  () ->
                      git(dir, "rev-parse", "--show-toplevel")
                          .map(top -> "local:" + Path.of(top).getFileName()))
              .orElse("local:unknown");
      String path =
          prefix.map(p -> p.endsWith("/") ? p.substring(0, p.length() - 1) : p).orElse("");
      return PackageProvenance.Source.git(repo + (path.isEmpty() ? "" : "#" + path), commit.get());
    }
    Path name = dir.toAbsolutePath().normalize().getFileName();
    return PackageProvenance.Source.tree("file:" + (name == null ? "." : name), pkg);
  }

  private static Optional<String> git(Path dir, String... args) {
    List<String> cmd = new ArrayList<>(List.of("git", "-C", dir.toString()));
    cmd.addAll(List.of(args));
    try {
      Process p = new ProcessBuilder(cmd).start();
      p.getOutputStream().close();
      String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8).strip();
      p.getErrorStream().transferTo(OutputStream.nullOutputStream());
      return p.waitFor() == 0 ? Optional.of(out) : Optional.empty();
    } catch (IOException e) {
      return Optional.empty();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return Optional.empty();
    }
  }
}
