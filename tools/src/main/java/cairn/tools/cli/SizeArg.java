package cairn.tools.cli;

import java.util.Locale;

/** Sizes as users type them: 500M, 20G, 1.5T, 123456 (bytes). K/M/G/T are powers of 1024. */
final class SizeArg {
    private SizeArg() {
    }

    static long parse(String text) {
        String t = text.trim().toUpperCase(Locale.ROOT).replace("IB", "").replace("B", "");
        if (t.isEmpty()) {
            throw new IllegalArgumentException("empty size");
        }
        long unit = switch (t.charAt(t.length() - 1)) {
            case 'K' -> 1L << 10;
            case 'M' -> 1L << 20;
            case 'G' -> 1L << 30;
            case 'T' -> 1L << 40;
            default -> 1;
        };
        String number = unit == 1 ? t : t.substring(0, t.length() - 1);
        try {
            double v = Double.parseDouble(number);
            if (v < 0 || Double.isNaN(v) || Double.isInfinite(v)) {
                throw new NumberFormatException();
            }
            if (v * unit >= 0x1p63) {
                throw new IllegalArgumentException("size '" + text + "' is too large");
            }
            return (long) (v * unit);
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("bad size '" + text + "': expected a number with an optional K, M, G or T");
        }
    }
}
