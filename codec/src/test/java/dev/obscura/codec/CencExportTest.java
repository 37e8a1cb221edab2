package dev.obscura.codec;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.obscura.core.CencSampleEncryptor;
import dev.obscura.core.MalformedDataException;
import dev.obscura.core.MediaSegment;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.List;
import java.util.stream.Stream;
import javax.crypto.Cipher;
import javax.crypto.spec.IvParameterSpec;
import javax.crypto.spec.SecretKeySpec;
import org.bytedeco.javacv.FFmpegFrameGrabber;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The CENC writer's boxes, read back by FFmpeg's own demuxer (libavformat, in process) with
 * {@code decryption_key}: the packets equal the clear export's, and a wrong key gives others.
 * The encryptor here is a stand-in (one subsample per sample: 5 bytes clear, the rest AES-CTR);
 * {@code obscura-crypto}'s real one and the bundled ffmpeg binary are tested in {@code examples}.
 */
class CencExportTest {
  static {
    TestMedia.quiet();
  }

  static final byte[] KID = HexFormat.of().parseHex("0123456789abcdef0123456789abcdef");
  static final String KEY = "00112233445566778899aabbccddeeff";

  @TempDir static Path dir;
  static List<byte[]> segments;
  static Path clear;
  static Path cenc;

  @BeforeAll
  static void export() throws Exception {
    List<MediaSegment> segs = TestMedia.synthetic(VideoSettings.QVGA_240P15, Duration.ofSeconds(3), Duration.ofSeconds(1));
    segments = segs.stream().map(MediaSegment::data).toList();
    clear = dir.resolve("clear.mp4");
    cenc = dir.resolve("cenc.mp4");
    Mp4Export.write(segments, clear);
    ExportStats st = CencMp4Export.write(segments, cenc, new StandIn(KEY));
    assertEquals(45, st.frames());
    assertEquals(3, st.segments());
    assertEquals(Files.size(cenc), st.bytes());
  }

  /** AES-128-CTR over all but the first 5 bytes of each sample, IV = sample number. */
  static final class StandIn implements CencSampleEncryptor {
    final byte[] key;
    long iv = 1;

    StandIn(String hexKey) {
      key = HexFormat.of().parseHex(hexKey);
    }

    @Override
    public byte[] keyId() {
      return KID.clone();
    }

    @Override
    public byte[] encryptSample(byte[] s, int off, int len, int nalLengthSize) throws MalformedDataException {
      int clearBytes = Math.min(5, len);
      ByteBuffer e = ByteBuffer.allocate(16).putLong(iv++).putShort((short) 1).putShort((short) clearBytes)
          .putInt(len - clearBytes);
      try {
        Cipher c = Cipher.getInstance("AES/CTR/NoPadding");
        byte[] counter = new byte[16];
        System.arraycopy(e.array(), 0, counter, 0, 8);
        c.init(Cipher.ENCRYPT_MODE, new SecretKeySpec(key, "AES"), new IvParameterSpec(counter));
        c.update(s, off + clearBytes, len - clearBytes, s, off + clearBytes);
      } catch (Exception ex) {
        throw new IllegalStateException(ex);
      }
      return e.array();
    }
  }

  static List<TestMedia.Packet> decrypted(Path file, String key) throws Exception {
    try (FFmpegFrameGrabber g = new FFmpegFrameGrabber(file.toFile())) {
      g.setOption("decryption_key", key);
      g.start();
      return TestMedia.packets(g);
    }
  }

  @Test
  void ffmpegDecryptsToTheClearPacketsBitExact() throws Exception {
    List<TestMedia.Packet> expected = TestMedia.packets(clear);
    List<TestMedia.Packet> got = decrypted(cenc, KEY);
    assertEquals(45, expected.size());
    assertEquals(expected.size(), got.size());
    for (int i = 0; i < expected.size(); i++) {
      assertArrayEquals(expected.get(i).data(), got.get(i).data(), "packet " + i);
      assertEquals(expected.get(i).key(), got.get(i).key(), "key flag of packet " + i);
    }
  }

  @Test
  void aWrongKeyGivesOtherPackets() throws Exception {
    List<TestMedia.Packet> expected = TestMedia.packets(clear);
    List<TestMedia.Packet> got = decrypted(cenc, "ffeeddccbbaa99887766554433221100");
    int same = 0;
    for (int i = 0; i < Math.min(expected.size(), got.size()); i++) {
      same += Arrays.equals(expected.get(i).data(), got.get(i).data()) ? 1 : 0;
    }
    assertEquals(0, same, "no packet decrypts right under a wrong key");
  }

  @Test
  void theFileCarriesTheCencBoxes() throws Exception {
    byte[] f = Files.readAllBytes(cenc);
    for (String box : List.of("encv", "sinf", "frma", "schm", "schi", "tenc", "senc", "saiz", "saio")) {
      assertTrue(SyntheticMarkerTest.indexOf(f, box.getBytes()) >= 0, "no " + box);
    }
    int tenc = SyntheticMarkerTest.indexOf(f, "tenc".getBytes());
    assertEquals(1, f[tenc + 4 + 4 + 2], "default_isProtected");
    assertEquals(8, f[tenc + 4 + 4 + 3], "default_Per_Sample_IV_Size");
    assertArrayEquals(KID, Arrays.copyOfRange(f, tenc + 12, tenc + 28));
    int schm = SyntheticMarkerTest.indexOf(f, "schm".getBytes());
    assertEquals("cenc", new String(f, schm + 8, 4));
    assertEquals(0x00010000, ByteBuffer.wrap(f, schm + 12, 4).getInt());
    int senc = SyntheticMarkerTest.indexOf(f, "senc".getBytes());
    assertEquals(0x2, ByteBuffer.wrap(f, senc + 4, 4).getInt(), "senc flags: subsamples");
    assertFalse(SyntheticMarkerTest.indexOf(f, "avc1".getBytes()) < 0, "frma names avc1");
    // saio points at the first IV of senc, from the start of its moof
    int moof = SyntheticMarkerTest.indexOf(f, "moof".getBytes()) - 4;
    int saio = SyntheticMarkerTest.indexOf(f, "saio".getBytes()) - 4;
    long offset = ByteBuffer.wrap(f, saio + 16, 4).getInt() & 0xffffffffL;
    assertEquals(senc - 4 + 16, moof + offset);
    assertEquals(1L, ByteBuffer.wrap(f, senc + 12, 8).getLong(), "the first sample's IV");
  }

  @Test
  void aCodecChangeIsReencodedAndStillDecrypts() throws Exception {
    VideoSettings other = VideoSettings.builder().width(480).height(360).fps(15).bitrateBitsPerSecond(400_000).build();
    List<byte[]> mixed = new java.util.ArrayList<>(segments.subList(0, 1));
    mixed.addAll(TestMedia.synthetic(other, Duration.ofSeconds(1), Duration.ofSeconds(1)).stream()
        .map(MediaSegment::data).toList());
    Path out = dir.resolve("mixed.mp4");
    ExportStats st = CencMp4Export.write(mixed, out, new StandIn(KEY));
    assertTrue(st.reencoded());
    Path clearMixed = dir.resolve("mixed-clear.mp4");
    Mp4Export.write(mixed, clearMixed);
    List<TestMedia.Packet> got = decrypted(out, KEY);
    assertEquals(30, got.size());
    assertEquals(TestMedia.packets(clearMixed).size(), got.size());
    assertThrows(CodecChangedException.class, () -> CencMp4Export.write(mixed.iterator(), dir.resolve("x.mp4"), new StandIn(KEY)));
    assertFalse(Files.exists(dir.resolve("x.mp4")));
  }

  @Test
  void aFailedExportLeavesNoFile() throws Exception {
    Path out = dir.resolve("failed.mp4");
    List<Path> before;
    try (Stream<Path> now = Files.list(dir)) {
      before = now.sorted().toList();
    }
    CencSampleEncryptor refusing = new CencSampleEncryptor() {
      @Override
      public byte[] keyId() {
        return KID.clone();
      }

      @Override
      public byte[] encryptSample(byte[] s, int off, int len, int n) throws MalformedDataException {
        throw new MalformedDataException("refused");
      }
    };
    assertThrows(java.io.IOException.class, () -> CencMp4Export.write(segments, out, refusing));
    assertFalse(Files.exists(out));
    try (Stream<Path> left = Files.list(dir)) {
      assertEquals(before, left.sorted().toList(), "a failed export leaves the output folder as it was");
    }
  }
}
