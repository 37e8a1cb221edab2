package dev.obscura.crypto.keys;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.obscura.core.EpochId;
import dev.obscura.core.ObjectNames;
import dev.obscura.core.SegmentId;
import dev.obscura.core.StreamId;
import dev.obscura.crypto.audit.AuditLog;
import dev.obscura.crypto.chain.ChainManifest;
import dev.obscura.crypto.roster.RosterStore;
import dev.obscura.crypto.sign.VerifyingKey;
import java.util.Locale;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Object names and fingerprints are formats, not text for a reader: a phone set to a locale with
 * its own digits (Arabic-Indic, Devanagari, Thai, Persian) must name and print exactly what every
 * other device does. With the default locale's digits, a viewer in Cairo would look for
 * {@code .../segments/٠٠٠...٧.seg} and find nothing.
 */
class DefaultLocaleTest {
  private Locale saved;

  @BeforeEach
  void save() {
    saved = Locale.getDefault();
  }

  @AfterEach
  void restore() {
    Locale.setDefault(saved);
  }

  @ParameterizedTest
  @ValueSource(strings = {"ar-EG", "hi-IN-u-nu-deva", "th-TH-u-nu-thai", "fa-IR", "tr-TR"})
  void namesAndFingerprintsIgnoreTheDefaultLocale(String tag) {
    StreamId stream = StreamId.of("porch");
    VerifyingKey key = VerifyingKey.fromRawBytes(new byte[32]);
    Locale.setDefault(Locale.forLanguageTag(tag));
    assertEquals("porch/segments/0000000000000000007.seg", ObjectNames.segment(new SegmentId(stream, 7)));
    assertEquals("porch/epochs/0000000000000000012.env", ObjectNames.envelope(stream, EpochId.of(12)));
    assertEquals(AuditLog.objectName(0).replace("0000000000000000000", "0000000000000000042"),
        AuditLog.objectName(42));
    assertEquals(true, AuditLog.objectName(42).endsWith("0000000000000000042.entry"));
    assertEquals(true, RosterStore.objectName(3).endsWith("0000000000000000003.roster"));
    assertEquals(true, ChainManifest.objectName(stream, 9).endsWith("0000000000000000009.man"));
    String printed = key.fingerprint();
    Locale.setDefault(Locale.ROOT);
    assertEquals(key.fingerprint(), printed);
    assertEquals(true, printed.matches("[0-9 ]+"), printed);
  }
}
