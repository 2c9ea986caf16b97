package io.bingsan.compat;

import java.io.PrintStream;
import org.junit.platform.engine.TestExecutionResult;
import org.junit.platform.engine.support.descriptor.ClassSource;
import org.junit.platform.launcher.TestExecutionListener;
import org.junit.platform.launcher.TestIdentifier;

/**
 * The suite's own report in the build log: a header per suite (test class), one {@code PASS}/{@code
 * FAIL} line per scenario, and a closing {@code N passed, N failed}. A suite that fails before its
 * scenarios run (the app did not start) counts as one failure.
 */
public final class ScenarioReport implements TestExecutionListener {
  private final PrintStream out = System.out;
  private int passed;
  private int failed;

  @Override
  public void executionStarted(TestIdentifier identifier) {
    if (isSuite(identifier)) {
      passed = 0;
      failed = 0;
      out.println("== " + identifier.getDisplayName());
    }
  }

  @Override
  public void executionSkipped(TestIdentifier identifier, String reason) {
    if (isSuite(identifier)) {
      out.println("SKIP " + identifier.getDisplayName() + ": " + reason);
    }
  }

  @Override
  public void executionFinished(TestIdentifier identifier, TestExecutionResult result) {
    boolean ok = result.getStatus() == TestExecutionResult.Status.SUCCESSFUL;
    if (identifier.isTest()) {
      report(identifier.getDisplayName(), ok ? null : reason(result));
    } else if (isSuite(identifier)) {
      if (!ok) {
        report(identifier.getDisplayName(), reason(result));
      }
      out.println(passed + " passed, " + failed + " failed");
    }
  }

  private void report(String scenario, String failure) {
    if (failure == null) {
      passed++;
      out.println("PASS " + scenario);
    } else {
      failed++;
      out.println("FAIL " + scenario + ": " + failure);
    }
  }

  private static String reason(TestExecutionResult result) {
    return result
        .getThrowable()
        .map(t -> t.getClass().getSimpleName() + ": " + firstLine(t.getMessage()))
        .orElse(result.getStatus().toString());
  }

  private static String firstLine(String message) {
    return message == null
        ? ""
        : message.lines().filter(line -> !line.isBlank()).findFirst().orElse("").strip();
  }

  private static boolean isSuite(TestIdentifier identifier) {
    return identifier.getSource().filter(ClassSource.class::isInstance).isPresent();
  }
}
