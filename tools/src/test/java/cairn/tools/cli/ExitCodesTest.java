package cairn.tools.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import org.junit.jupiter.api.Test;

class ExitCodesTest {
    @Test
    void runningOutOfHeapIsOneLineThatSaysWhatToChange() {
        StringWriter s = new StringWriter();
        assertEquals(ExitCodes.FAILURE, ExitCodes.handleFatal(new OutOfMemoryError("Java heap space"), new PrintWriter(s)));
        String out = s.toString();
        assertEquals(1, out.lines().count(), out);
        assertTrue(out.startsWith("cairn: out of memory (the JVM's heap is "), out);
        assertTrue(out.contains("CAIRN_HEAP=1g"), out);
    }

    @Test
    void anOutOfMemoryErrorWrappedByAWorkerIsTheSameOneLine() {
        StringWriter s = new StringWriter();
        picocli.CommandLine cl = new picocli.CommandLine(picocli.CommandLine.Model.CommandSpec.create()).setErr(new PrintWriter(s));
        Exception wrapped = new IOException("java.lang.OutOfMemoryError: Java heap space",
                new java.util.concurrent.ExecutionException(new OutOfMemoryError("Java heap space")));
        assertEquals(ExitCodes.FAILURE, ExitCodes.handle(wrapped, cl, null));
        String out = s.toString();
        assertEquals(1, out.lines().count(), out);
        assertTrue(out.startsWith("cairn: out of memory (the JVM's heap is "), out);
    }
}
