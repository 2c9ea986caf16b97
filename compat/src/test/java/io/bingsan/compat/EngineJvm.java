package io.bingsan.compat;

import java.lang.annotation.ElementType;
import java.lang.annotation.Inherited;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;
import org.junit.jupiter.api.extension.ConditionEvaluationResult;
import org.junit.jupiter.api.extension.ExecutionCondition;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.extension.ExtensionContext;
import org.junit.platform.commons.support.AnnotationSupport;

/**
 * The test JVM a suite needs: each surefire execution puts one engine's libraries on the classpath
 * and names itself in {@code compat.jvm} (see the pom). Suites of other engines are skipped there,
 * also when {@code -Dtest} overrides the executions' includes.
 */
@Retention(RetentionPolicy.RUNTIME)
@Target(ElementType.TYPE)
@Inherited
@ExtendWith(EngineJvm.Condition.class)
@interface EngineJvm {
  /** The {@code compat.jvm} value of the execution that runs the suite. */
  String value();

  final class Condition implements ExecutionCondition {
    @Override
    public ConditionEvaluationResult evaluateExecutionCondition(ExtensionContext context) {
      String here = System.getProperty("compat.jvm");
      return context
          .getTestClass()
          .flatMap(type -> AnnotationSupport.findAnnotation(type, EngineJvm.class))
          .map(
              jvm ->
                  jvm.value().equals(here)
                      ? ConditionEvaluationResult.enabled("in the " + here + " test JVM")
                      : ConditionEvaluationResult.disabled(
                          "runs in the " + jvm.value() + " test JVM, not in " + here))
          .orElse(ConditionEvaluationResult.enabled("no engine JVM required"));
    }
  }
}
