package cairn.store.targets;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import cairn.store.fsutil.EscapedText;
import cairn.store.fsutil.RawPaths;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;

class TargetUriTest {
    @Test
    void theThreeFormsParseAndPrintCanonically() {
        TargetUri sftp = TargetUri.parse("sftp://ann@nas.lan:2222/srv/cairn");
        assertEquals(new TargetUri(TargetUri.Kind.SFTP, "ann", "nas.lan", 2222, "/srv/cairn"), sftp);
        assertEquals("sftp://ann@nas.lan:2222/srv/cairn", sftp.toString());
        assertEquals("sftp://ann@nas.lan/srv", TargetUri.parse("sftp://ann@nas.lan:22/srv").toString());

        TargetUri scp = TargetUri.parse("ann@box:backups/cairn");
        assertEquals(new TargetUri(TargetUri.Kind.SFTP, "ann", "box", 22, "backups/cairn"), scp);
        assertEquals("ann@box:backups/cairn", scp.toString());
        assertEquals(scp, TargetUri.parse(scp.toString()));

        TargetUri relOnPort = new TargetUri(TargetUri.Kind.SFTP, "ann", "box", 2200, "rel");
        assertEquals(relOnPort, TargetUri.parse(relOnPort.toString()), relOnPort.toString());

        TargetUri v6 = TargetUri.parse("sftp://ann@[::1]:2022/x");
        assertEquals("::1", v6.host());
        assertEquals("[::1]:2022", v6.hostAndPort());

        TargetUri local = TargetUri.parse("/mnt/usb/cairn/");
        assertEquals(TargetUri.Kind.LOCAL, local.kind());
        assertEquals("/mnt/usb/cairn", local.toString());
        assertEquals(Path.of("rel").toAbsolutePath().toString(), TargetUri.parse("rel").toString());
        assertEquals(TargetUri.Kind.LOCAL, TargetUri.parse("./odd:name").kind());
    }

    @Test
    void aLocalPathThatIsNotUtf8KeepsItsBytesThroughItsFileUri() {
        byte[] raw = {'/', 'm', 'n', 't', '/', 'c', 'a', 'f', (byte) 0xe9, ' ', '%'};
        TargetUri local = TargetUri.parse(EscapedText.decode(raw));
        assertEquals("file:///mnt/caf%E9%20%25", local.toString());
        assertArrayEquals(raw, RawPaths.bytes(local.localPath()));
        assertEquals(local, TargetUri.parse(local.toString()), "the stored form parses back to the same bytes");

        assertEquals("/mnt/usb", TargetUri.parse("file:///mnt/usb/").toString());
        assertEquals("/mnt/caf\u00e9", TargetUri.parse("file://localhost/mnt/caf%C3%A9").toString());
        assertEquals(TargetUri.Kind.LOCAL, TargetUri.parse("/srv/odd://name").kind());
        assertThrows(IllegalArgumentException.class, () -> TargetUri.parse("file://nas/x"));
        assertThrows(IllegalArgumentException.class, () -> TargetUri.parse("file:///x%4"));
    }

    @Test
    void nonsenseIsRefusedWithTheExpectedForm() {
        assertThrows(IllegalArgumentException.class, () -> TargetUri.parse(""));
        assertThrows(IllegalArgumentException.class, () -> TargetUri.parse("s3://bucket/x"));
        assertThrows(IllegalArgumentException.class, () -> TargetUri.parse("sftp://host:99999/x"));
        assertEquals("bad SFTP URI 'sftp://@host:22/tmp': no user name before '@'; expected sftp://user@host:port/path",
                assertThrows(IllegalArgumentException.class, () -> TargetUri.parse("sftp://@host:22/tmp")).getMessage());
        assertEquals("bad SFTP URI 'sftp://root@:22417/tmp': no host name; expected sftp://user@host:port/path",
                assertThrows(IllegalArgumentException.class, () -> TargetUri.parse("sftp://root@:22417/tmp")).getMessage());
        assertThrows(IllegalArgumentException.class, () -> TargetUri.parse("sftp://root@/tmp"));
        assertThrows(IllegalArgumentException.class, () -> TargetUri.parse("sftp:///tmp"));
        assertThrows(IllegalArgumentException.class, () -> TargetUri.parse("sftp://a@b@host/tmp"));
        assertEquals("bad target 'user@:path': no host name; expected user@host:path",
                assertThrows(IllegalArgumentException.class, () -> TargetUri.parse("user@:path")).getMessage());
        assertEquals("bad target '@box:path': no user name before '@'; expected user@host:path",
                assertThrows(IllegalArgumentException.class, () -> TargetUri.parse("@box:path")).getMessage());
        assertEquals(TargetUri.Kind.LOCAL, TargetUri.parse(":odd").kind(), "no user, no host: a local name");
        assertEquals("box", TargetUri.parse("box:path").host());
    }
}
