package dev.obscura.transport.relay;

import com.code_intelligence.jazzer.junit.FuzzTest;
import dev.obscura.core.StreamId;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

/**
 * Fuzzes the relay's streams file ({@link RelayStreams#parse}, the text {@link RelayStreams#load}
 * reads as UTF-8) with arbitrary contents, and {@link RelayToken#of} with each field of it.
 *
 * <p>Invariants: only {@link IllegalArgumentException} escapes, and its message never holds a
 * token of the file; a parsed file has, in file order, exactly the streams of its non-comment
 * lines (split here by an independent reading of the format), each accepting its own publish
 * token for publishing and its subscribe token for subscribing and neither for the other;
 * {@code toString()} holds no token. The format is not canonical (comments, spacing), and the
 * tokens are kept only as digests, so there is no re-encoding to compare.
 */
class RelayStreamsFuzzTest {
  @FuzzTest
  void parseArbitraryStreamsFile(byte[] data) {
    String text = new String(data, StandardCharsets.UTF_8);
    List<String[]> lines = independentRead(text);
    RelayStreams streams;
    try {
      streams = RelayStreams.parse(text);
    } catch (IllegalArgumentException e) {
      // the message names the line ("line N: ..."); it may show that line's name (which may
      // happen to contain a token of another line), never a well-formed token of that line
      java.util.regex.Matcher n = java.util.regex.Pattern.compile("^line (\\d+): ")
          .matcher(String.valueOf(e.getMessage()));
      if (!n.find()) {
        throw new AssertionError("error message without its line", e);
      }
      int lineNo = Integer.parseInt(n.group(1));
      String[] l = lineFields(text, lineNo);
      for (int i = 1; i < l.length; i++) {
        if (RelayToken.isWellFormed(l[i]) && !l[0].contains(l[i]) && e.getMessage().contains(l[i])) {
          throw new AssertionError("error message shows a token", e);
        }
      }
      return;
    }
    List<StreamId> names = streams.names();
    if (names.size() != lines.size() || streams.size() != lines.size()) {
      throw new AssertionError(names.size() + " streams from " + lines.size() + " lines");
    }
    String shown = streams.toString();
    for (int i = 0; i < lines.size(); i++) {
      String[] l = lines.get(i);
      if (l.length != 3 || !names.get(i).value().equals(l[0])) {
        throw new AssertionError("stream " + i + " is not the one of line " + i);
      }
      RelayStreams.Entry e = streams.entry(names.get(i));
      if (!e.allowsPublish(l[1]) || !e.allowsSubscribe(l[2])
          || e.allowsPublish(l[2]) || e.allowsSubscribe(l[1])) {
        throw new AssertionError("stream " + l[0] + " does not hold its own tokens");
      }
      // what the Builder accepted, RelayToken accepts
      RelayToken.of(l[1]);
      RelayToken.of(l[2]);
      // toString shows the names; a name may happen to contain another line's token
      if (shown.contains(l[1]) && names.stream().noneMatch(x -> x.value().contains(l[1]))
          || shown.contains(l[2]) && names.stream().noneMatch(x -> x.value().contains(l[2]))) {
        throw new AssertionError("toString shows a token");
      }
    }
  }

  /** The fields of line {@code lineNo} (1-based, every line counted), after removing comments. */
  private static String[] lineFields(String text, int lineNo) {
    List<String[]> all = read(text, true);
    return lineNo - 1 < all.size() ? all.get(lineNo - 1) : new String[0];
  }

  private static List<String[]> independentRead(String text) {
    return read(text, false);
  }

  /**
   * The non-empty lines without comments, split into fields: line ends as {@link
   * java.io.BufferedReader} has them (\n, \r, \r\n), a comment a '#' at the start or after white
   * space, fields separated by runs of space or tab after trimming (trim: chars <= ' ').
   */
  private static List<String[]> read(String text, boolean keepEmpty) {
    List<String[]> out = new ArrayList<>();
    int i = 0;
    int n = text.length();
    while (i < n) {
      int j = i;
      while (j < n && text.charAt(j) != '\n' && text.charAt(j) != '\r') {
        j++;
      }
      String line = text.substring(i, j);
      if (j < n && text.charAt(j) == '\r' && j + 1 < n && text.charAt(j + 1) == '\n') {
        j++;
      }
      i = j + 1;
      int cut = line.length();
      for (int k = 0; k < line.length(); k++) {
        if (line.charAt(k) == '#' && (k == 0 || Character.isWhitespace(line.charAt(k - 1)))) {
          cut = k;
          break;
        }
      }
      String content = line.substring(0, cut).trim();
      if (!content.isEmpty()) {
        out.add(content.split("[ \t]+"));
      } else if (keepEmpty) {
        out.add(new String[] {""});
      }
    }
    return out;
  }
}
