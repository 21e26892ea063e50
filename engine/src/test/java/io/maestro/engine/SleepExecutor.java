package io.maestro.engine;

import io.maestro.engine.task.TaskContext;
import io.maestro.engine.task.TaskExecutor;
import io.maestro.engine.task.TaskOutcome;
import java.util.Map;

/**
 * {@code test/sleep}: holds its worker for {@code ms} milliseconds (interruptible). With {@code
 * firstDeliveryOnly: true} only the first delivery of an attempt sleeps, so a redelivery after a
 * simulated crash completes at once. With {@code fail: "message"} the attempt fails with that user
 * error after sleeping (an attempt that ends badly while its run is paused).
 */
public final class SleepExecutor implements TaskExecutor {
  @Override
  public String type() {
    return "test/sleep";
  }

  @Override
  public TaskOutcome execute(TaskContext ctx) throws InterruptedException {
    boolean firstOnly = Boolean.TRUE.equals(ctx.with().get("firstDeliveryOnly"));
    if (!firstOnly || ctx.delivery() == 1) {
      long ms = ctx.with().get("ms") instanceof Number n ? n.longValue() : 1000;
      Thread.sleep(ms);
    }
    if (ctx.with().get("fail") instanceof String message) {
      return new TaskOutcome.Failed(io.maestro.engine.manifest.ErrorKind.USER, message);
    }
    return new TaskOutcome.Succeeded(Map.of("delivery", ctx.delivery()));
  }
}
