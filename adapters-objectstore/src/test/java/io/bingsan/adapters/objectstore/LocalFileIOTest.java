package io.bingsan.adapters.objectstore;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.apache.iceberg.exceptions.AlreadyExistsException;
import org.apache.iceberg.io.PositionOutputStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class LocalFileIOTest {
  @TempDir Path root;

  private final LocalFileIO io = new LocalFileIO();

  @Test
  void createWritesIntoNewFoldersAndCountsItsPosition() throws IOException {
    String location = "file:" + root + "/a/b/v1.metadata.json";

    try (PositionOutputStream out = io.newOutputFile(location).create()) {
      out.write("{\"a\":".getBytes(StandardCharsets.UTF_8));
      out.write('1');
      out.write("}xx".getBytes(StandardCharsets.UTF_8), 0, 1);
      assertThat(out.getPos()).isEqualTo(7);
    }

    assertThat(Files.readString(root.resolve("a/b/v1.metadata.json"))).isEqualTo("{\"a\":1}");
    assertThat(io.newInputFile(location).getLength()).isEqualTo(7);
  }

  @Test
  void createRefusesAnExistingFileAndOverwriteReplacesIt() throws IOException {
    String location = root + "/v1.metadata.json";
    write(io.newOutputFile(location).create(), "first, longer");

    assertThatThrownBy(() -> io.newOutputFile(location).create())
        .isInstanceOf(AlreadyExistsException.class)
        .hasMessageContaining(location);
    write(io.newOutputFile(location).createOrOverwrite(), "second");

    assertThat(Files.readString(Path.of(location))).isEqualTo("second");
  }

  @Test
  void closingTwiceIsHarmless() throws IOException {
    PositionOutputStream out = io.newOutputFile(root + "/twice.json").create();
    out.write('x');
    out.close();
    out.close();

    assertThat(Files.readString(root.resolve("twice.json"))).isEqualTo("x");
  }

  @Test
  void fileUrisAndPathsNameTheSameFile() {
    List<String> locations =
        List.of("file:/a/b.json", "file:///a/b.json", "file://///a/b.json", "/a/b.json", "a/b.json");
    for (String location : locations) {
      assertThat(LocalFileIO.toPath(location)).as(location).isEqualTo(Path.of("/a/b.json"));
      assertThat(LocalFileIO.localPath(location)).as(location).isEqualTo("/a/b.json");
    }
    assertThat(LocalFileIO.toPath("file:/")).isEqualTo(Path.of("/"));
    assertThat(LocalFileIO.localPath("file:")).isEqualTo("/");
  }

  private static void write(OutputStream out, String text) throws IOException {
    try (out) {
      out.write(text.getBytes(StandardCharsets.UTF_8));
    }
  }
}
