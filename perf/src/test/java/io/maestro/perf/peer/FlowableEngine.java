package io.maestro.perf.peer;

import io.maestro.perf.BenchDatabase;
import io.maestro.perf.Engine;
import io.maestro.perf.RunTimes;
import io.maestro.perf.StepClock;
import java.time.Instant;
import java.util.Collection;
import java.util.Map;
import java.util.concurrent.Semaphore;
import org.flowable.common.engine.impl.context.Context;
import org.flowable.common.engine.impl.interceptor.CommandContext;
import org.flowable.common.engine.impl.interceptor.CommandContextCloseListener;
import org.flowable.common.engine.impl.persistence.StrongUuidGenerator;
import org.flowable.engine.ProcessEngine;
import org.flowable.engine.ProcessEngineConfiguration;
import org.flowable.engine.RuntimeService;
import org.flowable.engine.delegate.DelegateExecution;
import org.flowable.engine.delegate.JavaDelegate;
import org.flowable.engine.impl.cfg.ProcessEngineConfigurationImpl;

/**
 * Flowable embedded in this JVM with its async executor: each of the three service tasks is an
 * async job, committed, acquired and run by the executor ({@link #EXECUTOR_THREADS} threads).
 * Default history level; no authentication or authorization. At most half the pool's size of starts
 * run at once, as Maestro bounds its engine transactions to half its pool.
 *
 * <p>Flowable's standalone transaction context runs after-commit listeners (the hand-off of a new
 * job to the executor) in a new command, on a second connection, while still holding the first:
 * with as many connections as busy threads it deadlocks. It therefore gets a pool of twice {@code
 * --pool}; the number of threads doing work is the same as for the other engines.
 */
public final class FlowableEngine implements Engine {
  static final int EXECUTOR_THREADS = 8;

  private ProcessEngine engine;
  private RuntimeService runtime;
  private Semaphore starts;

  @Override
  public String name() {
    return "flowable";
  }

  @Override
  public void start(BenchDatabase database) {
    ProcessEngineConfigurationImpl c =
        (ProcessEngineConfigurationImpl)
            ProcessEngineConfiguration.createStandaloneProcessEngineConfiguration();
    c.setDataSource(database.dataSource(2 * database.poolSize()));
    starts = new Semaphore(Math.max(1, database.poolSize() / 2));
    c.setDatabaseSchemaUpdate(ProcessEngineConfiguration.DB_SCHEMA_UPDATE_TRUE);
    // The production setting: no id blocks fetched in separate transactions.
    c.setIdGenerator(new StrongUuidGenerator());
    c.setAsyncExecutorActivate(true);
    c.setAsyncExecutorCorePoolSize(EXECUTOR_THREADS);
    c.setAsyncExecutorMaxPoolSize(EXECUTOR_THREADS);
    c.setAsyncExecutorThreadPoolQueueSize(1_000);
    engine = c.buildProcessEngine();
    engine
        .getRepositoryService()
        .createDeployment()
        .addString(
            "three.bpmn20.xml",
            ThreeSteps.bpmn(
                "http://flowable.org/bpmn",
                "flowable",
                "async",
                "class",
                "",
                One.class,
                Two.class,
                Three.class))
        .deploy();
    runtime = engine.getRuntimeService();
  }

  @Override
  public String startRun() throws InterruptedException {
    starts.acquire();
    try {
      return runtime.startProcessInstanceByKey(ThreeSteps.KEY).getId();
    } finally {
      starts.release();
    }
  }

  @Override
  public Map<String, RunTimes> awaitCompletion(Collection<String> ids, Instant deadline)
      throws InterruptedException {
    return StepClock.await(ids, deadline);
  }

  @Override
  public void close() {
    if (engine != null) {
      engine.close();
    }
  }

  /** Step one: records the start and sets {@code n = 1}. */
  public static final class One implements JavaDelegate {
    @Override
    public void execute(DelegateExecution execution) {
      StepClock.firstStepStarted(execution.getProcessInstanceId());
      execution.setVariable("n", 1);
    }
  }

  /** Step two: {@code n = n + 1}. */
  public static final class Two implements JavaDelegate {
    @Override
    public void execute(DelegateExecution execution) {
      execution.setVariable("n", (Integer) execution.getVariable("n") + 1);
    }
  }

  /**
   * Step three: the run is complete once this command's transaction has committed (a close
   * listener: a transaction listener would cost Flowable another transaction).
   */
  public static final class Three implements JavaDelegate {
    @Override
    public void execute(DelegateExecution execution) {
      String run = execution.getProcessInstanceId();
      Context.getCommandContext()
          .addCloseListener(
              new CommandContextCloseListener() {
                @Override
                public void closing(CommandContext context) {}

                @Override
                public void afterSessionsFlush(CommandContext context) {}

                @Override
                public void closed(CommandContext context) {
                  StepClock.finished(run);
                }

                @Override
                public void closeFailure(CommandContext context) {}

                @Override
                public Integer order() {
                  return 1_000;
                }

                @Override
                public boolean multipleAllowed() {
                  return true;
                }
              });
    }
  }
}
