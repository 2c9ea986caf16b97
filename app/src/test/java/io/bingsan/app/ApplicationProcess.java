package io.bingsan.app;

import java.util.ArrayList;
import java.util.List;

/** The application in a JVM of its own, as operators run the jar, on the tests' classpath. */
final class ApplicationProcess {
  private ApplicationProcess() {}

  /** {@code java <jvmOptions> -cp <classpath> BingsanApplication <arguments>}. */
  static ProcessBuilder command(List<String> jvmOptions, String... arguments) {
    List<String> command = new ArrayList<>();
    command.add(ProcessHandle.current().info().command().orElseThrow());
    command.addAll(jvmOptions);
    command.addAll(
        List.of("-cp", System.getProperty("java.class.path"), BingsanApplication.class.getName()));
    command.addAll(List.of(arguments));
    return new ProcessBuilder(command);
  }
}
