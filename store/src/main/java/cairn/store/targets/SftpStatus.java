package cairn.store.targets;

import net.schmizz.sshj.sftp.Response;
import net.schmizz.sshj.sftp.SFTPException;

/**
 * An SFTP error status as a person reads it. OpenSSH's server speaks version 3 of the protocol, which
 * has few codes: every errno it has no code for (a read-only or full file system, a directory in the
 * way) comes back as "failure", with no text beyond the word itself.
 */
final class SftpStatus {
    private SftpStatus() {
    }

    static String describe(SFTPException e) {
        Response.StatusCode code = e.getStatusCode();
        String text = e.getMessage() == null ? "" : e.getMessage().strip();
        String said = code == null ? "" : code.name().toLowerCase().replace('_', ' ');
        if (code == Response.StatusCode.FAILURE) {
            return "failed without a reason (SFTP status 4: a read-only or full file system, or something in the way?)";
        }
        if (code == null || code == Response.StatusCode.UNKNOWN) {
            return text.isEmpty() ? "failed" : text;
        }
        // The server's text adds something only when it is more than the code's name.
        boolean informative = !text.isEmpty() && !text.equalsIgnoreCase(said) && !text.equalsIgnoreCase("no such file");
        return said + " (SFTP status " + code.getCode() + (informative ? ": " + text : "") + ")";
    }
}
