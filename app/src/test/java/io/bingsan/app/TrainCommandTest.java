package io.bingsan.app;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code train config.yml} as the build runs it to record the AOT cache: its own JVM, the shipped
 * configuration, and every request of its workload answered as a working catalog answers.
 */
class TrainCommandTest {

  @Test
  void trainsOnAThrowawayCatalogAndLeavesNothingBehind(@TempDir Path dir) throws Exception {
    Path temporary = Files.createDirectory(dir.resolve("tmp"));
    Path log = dir.resolve("train.log");
    Process train =
        ApplicationProcess.command(
                List.of("-Djava.io.tmpdir=" + temporary),
                "train",
                Path.of("../config.yml").toString())
            .redirectErrorStream(true)
            .redirectOutput(log.toFile())
            .start();
    assertThat(train.waitFor(180, TimeUnit.SECONDS)).isTrue();
    String output = Files.readString(log);
    assertThat(train.exitValue()).as(output).isZero();
    // The workload went through the request log: commits, refusals and deletes among them.
    assertThat(output)
        .contains("\"POST /v1/default/namespaces/train_19/tables/events HTTP/1.1\" 200")
        .contains("\"POST /v1/default/namespaces/train_19/tables/events HTTP/1.1\" 409")
        .contains("\"DELETE /v1/default/namespaces/train_19 HTTP/1.1\" 204");
    // Its PostgreSQL stopped before its work directory was deleted.
    try (Stream<Path> left = Files.list(temporary)) {
      assertThat(left.filter(path -> path.getFileName().toString().startsWith("bingsan-train")))
          .isEmpty();
    }
  }
}
