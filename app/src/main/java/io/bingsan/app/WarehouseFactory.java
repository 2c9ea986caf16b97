package io.bingsan.app;

import com.fasterxml.jackson.annotation.JsonProperty;
import io.bingsan.domain.catalog.Warehouse;
import jakarta.validation.constraints.NotBlank;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/** One warehouse in {@code config.yml}: a name (the URL prefix) and where its files go. */
public class WarehouseFactory {
  @NotBlank private String name = "default";

  /** A URI ({@code s3://…}, {@code gs://…}, {@code file:/…}) or a local path, made absolute. */
  @NotBlank private String location = "./data/warehouse";

  /** Roots that table and view locations may lie under; empty means the location alone. */
  private List<String> allowedLocations = new ArrayList<>();

  @JsonProperty
  public String getName() {
    return name;
  }

  @JsonProperty
  public void setName(String name) {
    this.name = name;
  }

  @JsonProperty
  public String getLocation() {
    return location;
  }

  @JsonProperty
  public void setLocation(String location) {
    this.location = location;
  }

  @JsonProperty
  public List<String> getAllowedLocations() {
    return allowedLocations;
  }

  @JsonProperty
  public void setAllowedLocations(List<String> allowedLocations) {
    this.allowedLocations = allowedLocations;
  }

  public Warehouse build() {
    String root = absolute(location);
    List<String> allowed = new ArrayList<>();
    if (!allowedLocations.isEmpty()) {
      allowed.add(root);
      allowedLocations.stream().map(WarehouseFactory::absolute).forEach(allowed::add);
    }
    return new Warehouse(name, root, allowed);
  }

  /** Local paths become {@code file:} URIs relative to the working directory. */
  private static String absolute(String location) {
    if (location.contains(":")) {
      return location;
    }
    return "file:" + Path.of(location).toAbsolutePath().normalize();
  }
}
