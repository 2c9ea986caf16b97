package io.bingsan.app;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;

/**
 * Refuses to run classes of another build than the jar's. An AOT cache ({@code -XX:AOTCache})
 * holds the classes of the jar it was recorded from, and JDK 25 maps it without checking that the
 * jar still holds those classes: a cache left beside a rebuilt jar would run the old code. Class
 * files read as resources always come from the jar, so the stamp compiled into the running {@link
 * BuildStamp} must appear in the jar's copy of that class file.
 */
final class BuildCheck {
  private static final String STAMP_CLASS_FILE = BuildStamp.class.getSimpleName() + ".class";

  private BuildCheck() {}

  static void requireClassesOfThisJar() {
    byte[] classFile;
    try (InputStream in = BuildStamp.class.getResourceAsStream(STAMP_CLASS_FILE)) {
      if (in == null) {
        throw new IllegalStateException(STAMP_CLASS_FILE + " is not on the class path");
      }
      classFile = in.readAllBytes();
    } catch (IOException e) {
      throw new UncheckedIOException("Could not read " + STAMP_CLASS_FILE, e);
    }
    if (!holds(classFile, BuildStamp.VALUE)) {
      throw new IllegalStateException(
          "The classes running are not this jar's: the AOT cache given with -XX:AOTCache was"
              + " recorded from another build. Record it again (java -XX:AOTCacheOutput=<file>"
              + " -jar <this jar> train <config>) or start without -XX:AOTCache.");
    }
  }

  /** Whether {@code classFile} holds {@code stamp} (ASCII digits: the same bytes in its pool). */
  static boolean holds(byte[] classFile, String stamp) {
    byte[] wanted = stamp.getBytes(StandardCharsets.UTF_8);
    for (int start = 0; start + wanted.length <= classFile.length; start++) {
      if (Arrays.equals(classFile, start, start + wanted.length, wanted, 0, wanted.length)) {
        return true;
      }
    }
    return false;
  }
}
