package dev.obscura.codec.internal;

/**
 * A 3x5 pixel font for digits and a few letters, drawn into packed BGR24 pixels, so that nothing
 * depends on AWT or installed fonts. Internal: not API.
 */
public final class BitmapFont {
  private static final String CHARS = "0123456789FT.:# ";
  private static final String[] GLYPHS = {
    "111101101101111", "010110010010111", "111001111100111", "111001111001111", "101101111001001",
    "111100111001111", "111100111101111", "111001001001001", "111101111101111", "111101111001111",
    "111100110100100", "111010010010010", "000000000000010", "000010000010000", "101111101111101",
    "000000000000000",
  };

  private BitmapFont() {}

  /** Width in pixels of {@code text} at {@code scale}. */
  public static int width(String text, int scale) {
    return text.length() * 4 * scale;
  }

  /** Draws {@code text} with its top-left corner at (x, y); unknown characters draw as blanks. */
  public static void draw(byte[] px, int w, int h, int stride, String text, int x, int y, int scale, int bgr) {
    for (int c = 0; c < text.length(); c++) {
      int g = CHARS.indexOf(text.charAt(c));
      if (g < 0) {
        continue;
      }
      String glyph = GLYPHS[g];
      for (int gy = 0; gy < 5; gy++) {
        for (int gx = 0; gx < 3; gx++) {
          if (glyph.charAt(gy * 3 + gx) == '1') {
            fill(px, w, h, stride, x + (c * 4 + gx) * scale, y + gy * scale, scale, scale, bgr);
          }
        }
      }
    }
  }

  /** Fills a rectangle, clipped to the picture. */
  public static void fill(byte[] px, int w, int h, int stride, int x, int y, int rw, int rh, int bgr) {
    byte b = (byte) (bgr >> 16);
    byte g = (byte) (bgr >> 8);
    byte r = (byte) bgr;
    int x1 = Math.min(w, x + rw);
    int y1 = Math.min(h, y + rh);
    for (int yy = Math.max(0, y); yy < y1; yy++) {
      int p = yy * stride + Math.max(0, x) * 3;
      for (int xx = Math.max(0, x); xx < x1; xx++) {
        px[p++] = b;
        px[p++] = g;
        px[p++] = r;
      }
    }
  }
}
