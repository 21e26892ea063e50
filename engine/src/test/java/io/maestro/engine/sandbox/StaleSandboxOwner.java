package io.maestro.engine.sandbox;

import java.nio.file.Path;

/**
 * A process that opens a sandbox in the state directory given as its argument, says {@code ready}
 * and waits to be killed; {@link SandboxStaleDirectoriesTest} kills it with SIGKILL.
 */
public final class StaleSandboxOwner {
  private StaleSandboxOwner() {}

  public static void main(String[] args) throws InterruptedException {
    Sandbox sandbox = Sandbox.create(SandboxConfig.defaults().withStateDir(Path.of(args[0])));
    System.out.println("ready " + sandbox.bwrapVersion());
    System.out.flush();
    Thread.sleep(120_000); // bounded: the test kills it long before
  }
}
