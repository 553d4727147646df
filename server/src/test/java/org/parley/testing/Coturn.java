package org.parley.testing;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.DatagramPacket;
import java.net.DatagramSocket;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.SocketTimeoutException;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;

/**
 * A real coturn TURN server on loopback, at a free port, checking credentials with the TURN REST
 * API's shared secret ({@code use-auth-secret}), and its test client: {@link #allocate} is whether
 * {@code turnutils_uclient} gets a relay allocation, and relays through it, with a username and
 * password. Needs Debian's {@code coturn} package ({@code .ci/run} installs it).
 */
public final class Coturn implements AutoCloseable {
    private static final long WAIT_SECONDS = 30;

    private final Process process;
    private final int port;
    private final Path dir;

    private Coturn(Process process, int port, Path dir) {
        this.process = process;
        this.port = port;
        this.dir = dir;
    }

    /** Starts turnserver with {@code secret} and waits until it answers a STUN binding request. */
    public static Coturn start(String secret) throws Exception {
        Path dir = Files.createTempDirectory("parley-coturn");
        for (int attempt = 1; ; attempt++) {
            int port = freeUdpPort();
            Process p = new ProcessBuilder("turnserver", "-n", "--listening-ip=127.0.0.1", "--relay-ip=127.0.0.1",
                    "--listening-port=" + port, "--use-auth-secret", "--static-auth-secret=" + secret,
                    "--realm=parley.test", "--no-tls", "--no-dtls", "--no-cli", "--allow-loopback-peers",
                    "--pidfile=" + dir.resolve("turnserver.pid"), "--userdb=" + dir.resolve("turndb"),
                    "--log-file=stdout", "--simple-log")
                    .redirectErrorStream(true).redirectOutput(dir.resolve("turnserver-" + port + ".log").toFile())
                    .start();
            Coturn coturn = new Coturn(p, port, dir);
            if (coturn.answersStun()) {
                return coturn;
            }
            coturn.stop();
            if (attempt == 3) {
                throw new IllegalStateException("turnserver did not start; see " + dir);
            }
        }
    }

    private static int freeUdpPort() throws IOException {
        try (DatagramSocket s = new DatagramSocket(0, InetAddress.getLoopbackAddress())) {
            return s.getLocalPort();
        }
    }

    /** Sends STUN binding requests (RFC 5389 §6) until one is answered, for a few seconds at most. */
    private boolean answersStun() throws Exception {
        byte[] transaction = new byte[12];
        ThreadLocalRandom.current().nextBytes(transaction);
        byte[] request = new byte[20];
        ByteBuffer.wrap(request).putShort((short) 0x0001).putShort((short) 0).putInt(0x2112A442).put(transaction);
        try (DatagramSocket s = new DatagramSocket(0, InetAddress.getLoopbackAddress())) {
            s.setSoTimeout(200);
            InetSocketAddress to = new InetSocketAddress(InetAddress.getLoopbackAddress(), port);
            for (int i = 0; i < 50 && process.isAlive(); i++) {
                s.send(new DatagramPacket(request, request.length, to));
                DatagramPacket answer = new DatagramPacket(new byte[512], 512);
                try {
                    s.receive(answer);
                } catch (SocketTimeoutException e) {
                    continue;
                }
                if (answer.getLength() >= 20 && answer.getData()[0] == 0x01 && answer.getData()[1] == 0x01) {
                    return true; // a binding success response
                }
            }
        }
        return false;
    }

    public int port() {
        return port;
    }

    /** Whether coturn grants a relay allocation to {@code username}/{@code password} and relays a message through it. */
    public boolean allocate(String username, String password) throws Exception {
        return run(List.of("turnutils_uclient", "-y", "-c", "-n", "1", "-u", username, "-w", password,
                "-p", Integer.toString(port), "127.0.0.1"));
    }

    private boolean run(List<String> command) throws Exception {
        List<String> cmd = new ArrayList<>(command);
        Process p = new ProcessBuilder(cmd).redirectErrorStream(true)
                .redirectOutput(dir.resolve("client.log").toFile()).start();
        if (!p.waitFor(WAIT_SECONDS, TimeUnit.SECONDS)) {
            p.destroyForcibly().waitFor();
            return false;
        }
        return p.exitValue() == 0;
    }

    /** Killed outright: it keeps nothing worth a graceful stop, and takes seconds to end one. */
    private void stop() throws InterruptedException {
        process.destroyForcibly().waitFor();
    }

    @Override
    public void close() throws Exception {
        stop();
        try (var paths = Files.walk(dir)) {
            for (Path path : paths.sorted(java.util.Comparator.reverseOrder()).toList()) {
                Files.deleteIfExists(path);
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
