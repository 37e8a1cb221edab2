package dev.obscura.codec.internal;

import com.code_intelligence.jazzer.junit.FuzzTest;
import dev.obscura.core.CencSampleEncryptor;
import dev.obscura.core.MalformedDataException;
import java.nio.ByteBuffer;
import java.util.Arrays;
import java.util.List;

/**
 * Fuzzes the MP4 box parser ({@link Boxes}: segment layout, {@code moov}, {@code moof}, samples,
 * {@code avcC}) and the CENC box writer that works on what it parsed ({@link CencBoxes#track},
 * {@link CencBoxes#protectInit}, {@link CencBoxes#protectFragment}) with arbitrary bytes, as a
 * decrypted segment could hold them (the segment layer authenticates the bytes, but they were
 * written by a camera that may be buggy or compromised).
 *
 * <p>Invariants: only {@link MalformedDataException} escapes; the layout found is ordered and
 * inside the input; every sample lies inside its fragment; the protected init parses to the same
 * {@link Boxes.InitInfo} and {@code avcC}; a protected fragment parses to the same fragment info
 * and samples (same sizes, times and keyframe flags, data offsets moved by exactly the bytes the
 * writer inserted before the data), and its samples hold exactly the bytes the encryptor wrote.
 * The encryptor here is a stand-in that XORs all but the first 5 bytes of a sample (as in
 * {@code CencExportTest}; the real cipher lives in obscura-crypto, which codec does not depend
 * on): this target checks the box writing, not the cipher. Corpus: {@code BoxesFuzzTestInputs/}
 * (a real segment the codec produced, cut and altered ones, findings).
 */
class BoxesFuzzTest {
  private static final byte[] KID = new byte[16];

  @FuzzTest
  void parseArbitraryMp4(byte[] b) {
    Boxes.SegmentLayout layout;
    try {
      layout = Boxes.parseSegment(b);
    } catch (MalformedDataException e) {
      return;
    }
    int prev = layout.initEnd();
    if (prev <= 0 || prev > b.length) {
      throw new AssertionError("init end outside the input");
    }
    for (Boxes.Fragment f : layout.fragments()) {
      if (f.start() < prev || f.end() <= f.start() || f.end() > b.length) {
        throw new AssertionError("fragments out of order or outside the input");
      }
      prev = f.end();
    }
    byte[] init = Arrays.copyOf(b, layout.initEnd());
    CencBoxes.Track track;
    byte[] protectedInit;
    try {
      track = CencBoxes.track(init, layout.init());
      protectedInit = CencBoxes.protectInit(init, layout.init(), KID);
    } catch (MalformedDataException e) {
      return; // a layout without a usable H.264 sample entry: typed
    }
    checkProtectedInit(init, protectedInit, layout.init(), track);
    for (Boxes.Fragment f : layout.fragments()) {
      byte[] fragment = Arrays.copyOfRange(b, f.start(), f.end());
      checkFragment(fragment, track, f.info());
    }
  }

  private static void checkProtectedInit(byte[] clear, byte[] p, Boxes.InitInfo info,
      CencBoxes.Track track) {
    try {
      Boxes.Box clearMoov = Boxes.boxAt(clear, Boxes.boxAt(clear, 0, clear.length).end(), clear.length);
      List<Boxes.Box> clearPath = Boxes.sampleEntryPath(clear, clearMoov, info.videoTrackId());
      Boxes.Box entry = clearPath.get(clearPath.size() - 1);
      Boxes.Box ftyp = Boxes.boxAt(p, 0, p.length);
      Boxes.Box moov = Boxes.boxAt(p, ftyp.end(), p.length);
      if (moov.end() != p.length || !Boxes.parseMoov(p, moov).equals(info)) {
        throw new AssertionError("protected init parses to another track");
      }
      if ((int) Boxes.u32(p, entry.start() + 4) != CencBoxes.ENCV) {
        throw new AssertionError("protected sample entry is not encv");
      }
      // with the original format put back, the entry is the clear one plus the sinf box
      byte[] back = p.clone();
      System.arraycopy(clear, entry.start() + 4, back, entry.start() + 4, 4);
      CencBoxes.Track again = CencBoxes.track(back, info);
      if (again.avc().nalLengthSize() != track.avc().nalLengthSize()
          || !Arrays.equals(again.avc().parameterSetsAnnexB(), track.avc().parameterSetsAnnexB())) {
        throw new AssertionError("protected init has another avcC");
      }
    } catch (MalformedDataException e) {
      throw new AssertionError("protected init does not parse", e);
    }
  }

  private static void checkFragment(byte[] fragment, CencBoxes.Track track, Boxes.FragmentInfo info) {
    List<Boxes.Sample> before;
    Boxes.Box moof;
    try {
      moof = Boxes.boxAt(fragment, 0, fragment.length);
      before = Boxes.samples(fragment, moof, fragment.length, track.init());
    } catch (MalformedDataException e) {
      return; // samples outside the fragment: typed
    }
    XorEncryptor enc = new XorEncryptor();
    byte[] out;
    try {
      out = CencBoxes.protectFragment(fragment, track, enc);
    } catch (MalformedDataException e) {
      return;
    }
    try {
      Boxes.Box moof2 = Boxes.boxAt(out, 0, out.length);
      int grown = moof2.size() - moof.size();
      if (grown <= 0 || out.length != fragment.length + grown) {
        throw new AssertionError("protected fragment grew by " + (out.length - fragment.length)
            + " bytes, its moof by " + grown);
      }
      if (!Boxes.parseMoof(out, moof2, track.init()).equals(info)) {
        throw new AssertionError("protected fragment has other fragment info");
      }
      List<Boxes.Sample> after = Boxes.samples(out, moof2, out.length, track.init());
      if (after.size() != before.size()) {
        throw new AssertionError("protected fragment has another sample count");
      }
      // what the encryptor did, replayed on a copy (samples may overlap: then twice)
      byte[] replay = fragment.clone();
      for (Boxes.Sample x : before) {
        XorEncryptor.xor(replay, (int) x.offset(), (int) x.size());
      }
      for (int i = 0; i < after.size(); i++) {
        Boxes.Sample x = before.get(i);
        Boxes.Sample y = after.get(i);
        if (y.offset() != x.offset() + grown || y.size() != x.size()
            || y.decodeTime() != x.decodeTime() || y.duration() != x.duration()
            || y.keyframe() != x.keyframe() || y.compositionOffset() != x.compositionOffset()) {
          throw new AssertionError("sample " + i + " moved or changed");
        }
        byte[] expected = Arrays.copyOfRange(replay, (int) x.offset(), (int) (x.offset() + x.size()));
        byte[] got = Arrays.copyOfRange(out, (int) y.offset(), (int) (y.offset() + y.size()));
        if (!Arrays.equals(expected, got)) {
          throw new AssertionError("sample " + i + " does not hold what the encryptor wrote");
        }
      }
    } catch (MalformedDataException e) {
      throw new AssertionError("protected fragment does not parse", e);
    }
    if (enc.calls != before.size()) {
      throw new AssertionError("encryptor ran " + enc.calls + " times for " + before.size() + " samples");
    }
  }

  /** XORs all but the first 5 bytes of each sample with 0x5a; one subsample per sample. */
  static final class XorEncryptor implements CencSampleEncryptor {
    int calls;

    @Override
    public byte[] keyId() {
      return KID.clone();
    }

    @Override
    public byte[] encryptSample(byte[] s, int off, int len, int nalLengthSize) {
      calls++;
      int clear = Math.min(5, len);
      xor(s, off, len);
      return ByteBuffer.allocate(16).putLong(calls).putShort((short) 1).putShort((short) clear)
          .putInt(len - clear).array();
    }

    static void xor(byte[] s, int off, int len) {
      for (int i = off + Math.min(5, len); i < off + len; i++) {
        s[i] ^= 0x5a;
      }
    }
  }
}
