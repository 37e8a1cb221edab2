package dev.obscura.transport.relay;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.obscura.core.StreamId;
import java.util.List;
import org.junit.jupiter.api.Test;

class RelayStreamsTest {
  private static final String PUB_A = "pubAAAAAAAAAAAAAAAAAAAAAA";
  private static final String SUB_A = "subAAAAAAAAAAAAAAAAAAAAAA";
  private static final String PUB_B = "pubBBBBBBBBBBBBBBBBBBBBBB";
  private static final String SUB_B = "subBBBBBBBBBBBBBBBBBBBBBB";

  @Test
  void parsesLinesCommentsAndBlankLines() {
    RelayStreams s = RelayStreams.parse("# streams\n\nfront-door " + PUB_A + "\t" + SUB_A
        + "  # household A\n  garage " + PUB_B + " " + SUB_B + "\n");
    assertEquals(List.of(StreamId.of("front-door"), StreamId.of("garage")), s.names());
    assertTrue(s.entry(StreamId.of("front-door")).allowsPublish(PUB_A));
    assertTrue(s.entry(StreamId.of("front-door")).allowsSubscribe(SUB_A));
    assertFalse(s.entry(StreamId.of("front-door")).allowsSubscribe(SUB_B));
    assertFalse(s.entry(StreamId.of("front-door")).allowsSubscribe(PUB_A));
    assertEquals(-1, s.toString().indexOf("AAAA"));
  }

  @Test
  void refusesBadLinesWithoutEchoingTokens() {
    List<String> bad = List.of(
        "front-door " + PUB_A, // two fields
        "front-door " + PUB_A + " " + SUB_A + " extra",
        "-bad " + PUB_A + " " + SUB_A,
        "front-door short " + SUB_A,
        "front-door " + PUB_A + " " + PUB_A, // same token twice
        "a " + PUB_A + " " + SUB_A + "\nb " + PUB_B + " " + SUB_A, // token reused across streams
        "a " + PUB_A + " " + SUB_A + "\na " + PUB_B + " " + SUB_B, // name twice
        "front-door " + PUB_A + "#x " + SUB_A); // character outside the alphabet
    for (String text : bad) {
      IllegalArgumentException e =
          assertThrows(IllegalArgumentException.class, () -> RelayStreams.parse(text), text);
      assertTrue(e.getMessage().startsWith("line "), e.getMessage());
      for (String token : List.of(PUB_A, SUB_A, PUB_B, SUB_B)) {
        assertFalse(e.getMessage().contains(token), e.getMessage());
      }
    }
  }

  @Test
  void tokensHideTheirValue() {
    RelayToken t = RelayToken.of(PUB_A);
    assertEquals("RelayToken[redacted]", t.toString());
    assertEquals(t, RelayToken.of(PUB_A));
    assertThrows(IllegalArgumentException.class, () -> RelayToken.of("too-short"));
  }
}
