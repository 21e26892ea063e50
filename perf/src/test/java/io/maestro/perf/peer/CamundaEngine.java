package io.maestro.perf.peer;

import io.maestro.perf.BenchDatabase;
import io.maestro.perf.Engine;
import io.maestro.perf.RunTimes;
import io.maestro.perf.StepClock;
import java.time.Instant;
import java.util.Collection;
import java.util.Map;
import java.util.concurrent.Semaphore;
import org.camunda.bpm.engine.ProcessEngine;
import org.camunda.bpm.engine.ProcessEngineConfiguration;
import org.camunda.bpm.engine.RuntimeService;
import org.camunda.bpm.engine.delegate.DelegateExecution;
import org.camunda.bpm.engine.delegate.JavaDelegate;
import org.camunda.bpm.engine.impl.cfg.ProcessEngineConfigurationImpl;
import org.camunda.bpm.engine.impl.cfg.TransactionState;
import org.camunda.bpm.engine.impl.context.Context;
import org.camunda.bpm.engine.impl.jobexecutor.DefaultJobExecutor;
import org.camunda.bpm.engine.impl.persistence.StrongUuidGenerator;

/**
 * Camunda 7 embedded in this JVM with its job executor: each of the three service tasks is
 * asynchronous before, i.e. a job committed, acquired and run by the executor ({@link
 * FlowableEngine#EXECUTOR_THREADS} threads, as for Flowable). Default history level; no
 * authentication or authorization checks. At most half the pool's size of starts run at once, as
 * Maestro bounds its engine transactions to half its pool.
 */
public final class CamundaEngine implements Engine {
  private ProcessEngine engine;
  private RuntimeService runtime;
  private Semaphore starts;

  @Override
  public String name() {
    return "camunda";
  }

  @Override
  public void start(BenchDatabase database) {
    ProcessEngineConfigurationImpl c =
        (ProcessEngineConfigurationImpl)
            ProcessEngineConfiguration.createStandaloneProcessEngineConfiguration();
    c.setDataSource(database.dataSource());
    starts = new Semaphore(Math.max(1, database.poolSize() / 2));
    c.setDatabaseSchemaUpdate(ProcessEngineConfiguration.DB_SCHEMA_UPDATE_TRUE);
    // The production setting: no id blocks fetched in separate transactions.
    c.setIdGenerator(new StrongUuidGenerator());
    DefaultJobExecutor executor = new DefaultJobExecutor();
    executor.setCorePoolSize(FlowableEngine.EXECUTOR_THREADS);
    executor.setMaxPoolSize(FlowableEngine.EXECUTOR_THREADS);
    executor.setQueueSize(1_000);
    executor.setMaxJobsPerAcquisition(32);
    c.setJobExecutor(executor);
    c.setJobExecutorActivate(true);
    engine = c.buildProcessEngine();
    engine
        .getRepositoryService()
        .createDeployment()
        .addString(
            "three.bpmn",
            ThreeSteps.bpmn(
                "http://camunda.org/schema/1.0/bpmn",
                "camunda",
                "asyncBefore",
                "class",
                "camunda:historyTimeToLive=\"P1D\"",
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

  /** Step three: the run is complete once this transaction commits. */
  public static final class Three implements JavaDelegate {
    @Override
    public void execute(DelegateExecution execution) {
      String run = execution.getProcessInstanceId();
      Context.getCommandContext()
          .getTransactionContext()
          .addTransactionListener(TransactionState.COMMITTED, ctx -> StepClock.finished(run));
    }
  }
}
