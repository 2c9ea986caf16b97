package io.bingsan.app;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatCode;

import java.io.IOException;
import java.io.InputStream;
import org.junit.jupiter.api.Test;

class BuildCheckTest {

  @Test
  void theBuildStampsEachBuildToTheMillisecond() {
    // An unfiltered template would give every build the same stamp and the check no power.
    assertThat(BuildStamp.VALUE).matches("\\d{17}");
  }

  @Test
  void classesOfTheJarOnTheClassPathPass() {
    assertThatCode(BuildCheck::requireClassesOfThisJar).doesNotThrowAnyException();
  }

  @Test
  void aClassFileHoldsItsOwnStampAndNoOther() throws IOException {
    byte[] classFile;
    try (InputStream in = BuildStamp.class.getResourceAsStream("BuildStamp.class")) {
      classFile = in.readAllBytes();
    }
    assertThat(BuildCheck.holds(classFile, BuildStamp.VALUE)).isTrue();
    String otherBuild = Long.toString(Long.parseLong(BuildStamp.VALUE) + 1);
    assertThat(BuildCheck.holds(classFile, otherBuild)).isFalse();
    assertThat(BuildCheck.holds(new byte[0], BuildStamp.VALUE)).isFalse();
  }
}
