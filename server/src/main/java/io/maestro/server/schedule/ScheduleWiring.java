package io.maestro.server.schedule;

import io.maestro.core.config.MaestroConfig;
import io.maestro.engine.Engine;
import io.maestro.server.auth.PolicyGate;
import io.maestro.server.engine.EngineService;
import java.time.Clock;
import java.util.List;

/** Builds the schedule and trigger services and the scheduler for the composition root. */
public final class ScheduleWiring {
  private ScheduleWiring() {}

  /**
   * The schedule service (which owns the scheduler, started here unless {@code
   * schedules.pollSeconds} is 0) and the trigger service.
   */
  public static List<io.maestro.server.http.ApiService> services(
      EngineService engineService, PolicyGate gate, MaestroConfig.Schedules settings, Clock clock) {
    Engine engine = engineService.engine();
    SystemStarts starts = new SystemStarts(gate, engineService);
    Scheduler scheduler = new Scheduler(engine.schedules(), starts, settings.poll(), clock).start();
    return List.of(
        new ScheduleService(engine.schedules(), engine.registry(), settings, scheduler, clock),
        new TriggerService(
            engine.triggers(), engine.registry(), starts, settings.webhookTolerance(), clock));
  }
}
