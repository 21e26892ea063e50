package io.maestro.console.web;

import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.function.Supplier;

/**
 * API calls of one page made side by side on virtual threads: a page's latency is then its slowest
 * call, not the sum of them. Exceptions reach the caller of {@link #join} as thrown.
 */
public final class Async {
  private static final ExecutorService VIRTUAL = Executors.newVirtualThreadPerTaskExecutor();

  private Async() {}

  public static <T> CompletableFuture<T> call(Supplier<T> call) {
    return CompletableFuture.supplyAsync(call, VIRTUAL);
  }

  /** The call's result, or what it threw (unchecked), as if it had been made here. */
  public static <T> T join(CompletableFuture<T> f) {
    try {
      return f.join();
    } catch (CompletionException e) {
      if (e.getCause() instanceof RuntimeException r) {
        throw r;
      }
      if (e.getCause() instanceof Error err) {
        throw err;
      }
      throw e;
    }
  }
}
