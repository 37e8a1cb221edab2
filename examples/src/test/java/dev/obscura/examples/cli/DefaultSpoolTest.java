package dev.obscura.examples.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;

import java.net.URI;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** Where record spools for an S3 store when --spool is not given. */
class DefaultSpoolTest {
  static StoreOptions s3(String location, String endpoint) {
    StoreOptions o = new StoreOptions();
    o.location = location;
    o.endpoint = endpoint == null ? null : URI.create(endpoint);
    return o;
  }

  @Test
  void underXdgStateHomeElseHomeLocalState() {
    StoreOptions o = s3("s3://footage/home", null);
    Path xdg = Stores.defaultSpool(o, Map.of("XDG_STATE_HOME", "/state"), "/home/u");
    assertEquals(Path.of("/state/obscura/spool"), xdg.getParent());
    Path home = Stores.defaultSpool(o, Map.of(), "/home/u");
    assertEquals(Path.of("/home/u/.local/state/obscura/spool"), home.getParent());
    assertEquals(xdg.getFileName(), home.getFileName());
    assertEquals(16, home.getFileName().toString().length());
    // a relative XDG_STATE_HOME is invalid by the spec: ignored
    assertEquals(home, Stores.defaultSpool(o, Map.of("XDG_STATE_HOME", "rel"), "/home/u"));
  }

  @Test
  void oneSpoolPerStore() {
    Map<String, String> env = Map.of();
    Path a = Stores.defaultSpool(s3("s3://footage/home", null), env, "/h");
    assertEquals(a, Stores.defaultSpool(s3("s3://footage/home/", null), env, "/h"), "trailing slash: same store");
    assertNotEquals(a, Stores.defaultSpool(s3("s3://footage/office", null), env, "/h"));
    assertNotEquals(a, Stores.defaultSpool(s3("s3://footage/home", "http://127.0.0.1:9000"), env, "/h"));
  }
}
