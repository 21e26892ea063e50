package io.maestro.engine.sandbox;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;

/**
 * Whether the sandbox runs under an AppArmor profile on this host. Used only when the kernel has
 * AppArmor enabled <em>and</em> the configured profile is loaded; otherwise the sandbox relies on
 * namespaces, seccomp and rlimits alone, and {@link #status()} says why.
 *
 * <p>The launcher asks for the profile with {@code exec PROFILE} written to {@code
 * /proc/self/attr/apparmor/exec} just before it executes bubblewrap, so bubblewrap and everything
 * it starts are confined; a failure to switch fails the run (never an unconfined fallback).
 *
 * @param profile the profile to confine sandboxes with, when used
 * @param status one line for the start-up diagnostics
 */
record AppArmor(Optional<String> profile, String status) {

  /**
   * @param wanted the configured profile name; empty: do not use AppArmor
   * @param sys where the kernel's {@code /sys} is mounted (tests pass a fake tree)
   */
  static AppArmor detect(Optional<String> wanted, Path sys) {
    if (wanted.isEmpty()) {
      return new AppArmor(Optional.empty(), "AppArmor not used (sandbox.apparmorProfile is empty)");
    }
    String name = wanted.get();
    if (!read(sys.resolve("module/apparmor/parameters/enabled")).startsWith("Y")) {
      return new AppArmor(
          Optional.empty(), "AppArmor not available on this host (the kernel has it disabled)");
    }
    String profiles = read(sys.resolve("kernel/security/apparmor/profiles"));
    boolean loaded = profiles.lines().anyMatch(l -> l.startsWith(name + " ("));
    if (!loaded) {
      return new AppArmor(
          Optional.empty(),
          "AppArmor enabled but profile "
              + name
              + " is not loaded (see docs/sandbox.md), so it is not used");
    }
    return new AppArmor(Optional.of(name), "AppArmor profile " + name);
  }

  private static String read(Path file) {
    try {
      return Files.readString(file);
    } catch (IOException | SecurityException e) {
      return "";
    }
  }
}
