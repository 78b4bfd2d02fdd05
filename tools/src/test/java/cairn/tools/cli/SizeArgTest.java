package cairn.tools.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import org.junit.jupiter.api.Test;

class SizeArgTest {
    @Test
    void sizesAsUsersTypeThem() {
        assertEquals(123456L, SizeArg.parse("123456"));
        assertEquals(64L << 10, SizeArg.parse("64K"));
        assertEquals(1L << 20, SizeArg.parse("1MiB"));
        assertEquals(3L << 29, SizeArg.parse("1.5g"));
        assertEquals(20L << 40, SizeArg.parse(" 20T "));
    }

    @Test
    void nonsenseAndSizesPastALongAreRefused() {
        for (String bad : new String[] {"", "lots", "-1", "1X", "NaN"}) {
            assertThrows(IllegalArgumentException.class, () -> SizeArg.parse(bad), bad);
        }
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> SizeArg.parse("9999999999999999999"));
        assertEquals("size '9999999999999999999' is too large", e.getMessage());
        assertThrows(IllegalArgumentException.class, () -> SizeArg.parse("9000000T"));
    }
}
