package cairn.store.chunk;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

class ChunkIdTest {
    @Test
    void isTheSha256OfTheBytes() {
        ChunkId abc = ChunkId.of("abc".getBytes(StandardCharsets.US_ASCII));
        assertEquals("ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad", abc.hex());
        byte[] padded = "xxabcyy".getBytes(StandardCharsets.US_ASCII);
        assertEquals(abc, ChunkId.of(padded, 2, 3));
    }

    @Test
    void bytesAndHexRoundTripAndAreCopied() {
        ChunkId id = ChunkId.of(new byte[] {1, 2, 3});
        byte[] raw = id.toBytes();
        assertEquals(id, ChunkId.fromBytes(raw));
        assertEquals(id, ChunkId.fromHex(id.hex()));
        raw[0] ^= 1;
        assertNotEquals(id, ChunkId.fromBytes(raw), "toBytes must hand out a copy");
        assertEquals(id.hashCode(), ChunkId.fromHex(id.hex()).hashCode());
        assertThrows(IllegalArgumentException.class, () -> ChunkId.fromBytes(new byte[31]));
    }

    @Test
    void ordersAsUnsignedBytes() {
        byte[] low = new byte[32];
        byte[] high = new byte[32];
        high[0] = (byte) 0x80;
        assertTrue(ChunkId.fromBytes(low).compareTo(ChunkId.fromBytes(high)) < 0);
        assertEquals(0x8000000000000000L, ChunkId.fromBytes(high).prefix64());
    }
}
