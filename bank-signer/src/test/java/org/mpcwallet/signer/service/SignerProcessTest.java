package org.mpcwallet.signer.service;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyPair;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Duration;
import java.util.HexFormat;
import java.util.Map;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.mpcwallet.crypto.ec.Ecdsa;
import org.mpcwallet.crypto.ec.EcdsaSignature;
import org.mpcwallet.crypto.eth.Eip1559Transaction;
import org.mpcwallet.crypto.protocol.Env;
import org.mpcwallet.crypto.protocol.P2KeyShare;
import org.mpcwallet.crypto.protocol.Step;
import org.mpcwallet.crypto.protocol.keygen.KeygenP2;
import org.mpcwallet.crypto.protocol.sign.SignP2;
import org.mpcwallet.signer.gateway.GatewayKeyset;
import org.mpcwallet.signer.gateway.GatewayReply;
import org.mpcwallet.signer.gateway.RemoteSignerGateway;
import org.mpcwallet.signer.permit.PermitKeys;
import org.mpcwallet.signer.permit.PermitSigner;
import org.mpcwallet.signer.permit.SigningPermit;
import org.mpcwallet.signer.testing.TestKeys;

/**
 * The signer as bank-server runs it remotely: SignerMain in its own JVM on a real PostgreSQL that starts empty (the
 * signer applies its own migrations), reached over mutual TLS. Keygen, SIGTERM, restart on the same database (nothing
 * left to migrate), then a permitted SIGN with the stored share.
 */
class SignerProcessTest {
    private static final Pattern LISTENING = Pattern.compile("bank-signer listening on port (\\d+)");
    private static final String KEYSET = "wallet-process-1";

    @TempDir
    static Path dir;
    private static EmbeddedPostgres pg;
    private static TlsFixture tls;
    private static KeyPair orchestrator;
    private static Map<String, String> env;

    @BeforeAll
    static void start() throws Exception {
        // an empty database: the signer applies its own migrations (classpath:db/signer) when it starts
        pg = EmbeddedPostgres.builder().setServerConfig("listen_addresses", "localhost")
                .setPGStartupWait(Duration.ofSeconds(60)).start();
        tls = TlsFixture.create(dir.resolve("certs"));
        orchestrator = PermitKeys.generate(TestKeys.random("process-orchestrator"));
        Path permitKey = dir.resolve("permit.pub");
        Files.write(permitKey, orchestrator.getPublic().getEncoded());
        Path kek = dir.resolve("kek.hex");
        Files.writeString(kek, "5c".repeat(32) + "\n");
        env = Map.of(
                "SIGNER_PORT", "0",
                "SIGNER_KEYSTORE", tls.stores().signerKeystore().toString(),
                "SIGNER_KEYSTORE_PASSWORD", TlsFixture.PASSWORD,
                "SIGNER_TRUSTSTORE", tls.stores().truststore().toString(),
                "SIGNER_TRUSTSTORE_PASSWORD", TlsFixture.PASSWORD,
                "SIGNER_KEK_FILE", kek.toString(),
                "SIGNER_PERMIT_PUBLIC_KEY", permitKey.toString(),
                "SIGNER_DATABASE_URL", "jdbc:postgresql://localhost:" + pg.getPort() + "/postgres",
                "SIGNER_DATABASE_USER", "postgres",
                "SIGNER_SESSION_TIMEOUT_SECONDS", "60");
    }

    @AfterAll
    static void stop() throws IOException {
        if (pg != null) {
            pg.close();
        }
    }

    /** A running SignerMain child process and what it printed on stderr. */
    private record Child(Process process, int port, StringBuffer err, Thread errPump) {
        int terminate() throws InterruptedException {
            // SIGTERM through the handle: Process.destroy() would also close our ends of the child's pipes
            assertTrue(process.toHandle().destroy(), "SIGTERM sent");
            assertTrue(process.waitFor(30, TimeUnit.SECONDS), "stops after SIGTERM");
            errPump.join(10_000); // everything the process printed has been read
            return process.exitValue();
        }
    }

    private static Child launch() throws Exception {
        ProcessBuilder pb = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-cp", System.getProperty("java.class.path"), SignerMain.class.getName());
        pb.environment().keySet().removeIf(k -> k.startsWith("SIGNER_"));
        pb.environment().putAll(env);
        Process p = pb.start();
        p.getOutputStream().close();
        BlockingQueue<String> out = new LinkedBlockingQueue<>();
        StringBuffer err = new StringBuffer();
        Thread.ofPlatform().daemon().start(() -> pump(new BufferedReader(
                new InputStreamReader(p.getInputStream(), StandardCharsets.UTF_8)), out, null));
        Thread errPump = Thread.ofPlatform().daemon().start(() -> pump(new BufferedReader(
                new InputStreamReader(p.getErrorStream(), StandardCharsets.UTF_8)), null, err));
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
        while (System.nanoTime() < deadline) {
            String line = out.poll(200, TimeUnit.MILLISECONDS);
            if (line != null) {
                Matcher m = LISTENING.matcher(line);
                if (m.matches()) {
                    return new Child(p, Integer.parseInt(m.group(1)), err, errPump);
                }
            }
            if (!p.isAlive() && out.isEmpty()) {
                throw new AssertionError("SignerMain exited " + p.exitValue() + ": " + err);
            }
        }
        p.destroyForcibly();
        throw new AssertionError("SignerMain did not report its port: " + err);
    }

    private static void pump(BufferedReader r, BlockingQueue<String> lines, StringBuffer all) {
        try (r) {
            String line;
            while ((line = r.readLine()) != null) {
                if (lines != null) {
                    lines.add(line);
                }
                if (all != null) {
                    all.append(line).append('\n');
                }
            }
        } catch (IOException e) {
            // the child is gone
        }
    }

    private static <S, R> Step.Continue<S, R> continued(Step<S, R> step) {
        return assertInstanceOf(Step.Continue.class, step, () -> "P2 aborted: " + step);
    }

    private static <S, R> Step.Done<S, R> done(Step<S, R> step) {
        return assertInstanceOf(Step.Done.class, step, () -> "P2 aborted: " + step);
    }

    private static <T extends GatewayReply> T expect(Class<T> type, GatewayReply r) {
        return assertInstanceOf(type, r, r::toString);
    }

    @Test
    void keygenSurvivesARestartOnPostgresqlAndThenSigns() throws Exception {
        // 1. keygen with the first process
        Child first = launch();
        P2KeyShare p2;
        try (RemoteSignerGateway remote = tls.remote(first.port())) {
            assertTrue(remote.healthy());
            byte[] sid = TestKeys.sid("process-keygen");
            Env env2 = TestKeys.env("process-keygen/p2");
            GatewayReply.Continue k1 = expect(GatewayReply.Continue.class, remote.keygenStart(KEYSET, sid));
            Step<KeygenP2.State, P2KeyShare> b1 = KeygenP2.next(KeygenP2.start(sid, TestKeys.deviceParams()), k1.outbound(), env2);
            GatewayReply.Continue k3 = expect(GatewayReply.Continue.class,
                    remote.next(k1.handle(), continued(b1).outbound()));
            Step.Done<KeygenP2.State, P2KeyShare> b2 = done(KeygenP2.next(continued(b1).state(), k3.outbound(), env2));
            GatewayReply.KeysetDone fin = expect(GatewayReply.KeysetDone.class,
                    remote.next(k3.handle(), b2.outbound()));
            p2 = b2.result();
            assertEquals(HexFormat.of().formatHex(p2.publicKey().encodeUncompressed()), fin.keyset().publicKeyHex());
        }
        assertEquals(143, first.terminate(), "SIGTERM ends the process through its shutdown hook");
        assertTrue(first.err().toString().contains("bank-signer stopped"), first.err()::toString);
        assertTrue(first.err().toString().contains("bank-signer: schema at version 5 (5 migration(s) applied now)"),
                first.err()::toString);
        try (Connection c = pg.getPostgresDatabase().getConnection(); Statement s = c.createStatement();
                ResultSet rs = s.executeQuery("select count(*) from keyset_share where keyset_id = '" + KEYSET + "'")) {
            assertTrue(rs.next());
            assertEquals(1, rs.getInt(1), "the sealed share is in PostgreSQL");
        }

        // 2. a new process on the same database loads the share and signs under a permit
        Child second = launch();
        try (RemoteSignerGateway remote = tls.remote(second.port())) {
            GatewayKeyset k = remote.keyset(KEYSET);
            assertNotNull(k);
            assertEquals(HexFormat.of().formatHex(p2.publicKey().encodeUncompressed()), k.publicKeyHex());
            Eip1559Transaction tx = TestKeys.tx(11);
            long now = System.currentTimeMillis();
            byte[] nonce = new byte[16];
            nonce[3] = 0x77;
            SigningPermit permit = SigningPermit.forTransaction("req-process", KEYSET, KEYSET, tx, now - 500,
                    now + 30_000, nonce, TestKeys.controls(), new byte[32]);
            byte[] permitSig = new PermitSigner(orchestrator.getPrivate()).sign(permit);
            byte[] sid = TestKeys.sid("process-sign");
            Env env2 = TestKeys.env("process-sign/p2");
            GatewayReply.Continue s1 = expect(GatewayReply.Continue.class,
                    remote.signStart(KEYSET, sid, permit.encode(), permitSig));
            Step<SignP2.State, SignP2.Sent> b1 = SignP2.next(SignP2.start(p2, sid, tx.signingHash()), s1.outbound(),
                    env2);
            GatewayReply.Continue s3 = expect(GatewayReply.Continue.class,
                    remote.next(s1.handle(), continued(b1).outbound()));
            Step.Done<SignP2.State, SignP2.Sent> b2 = done(SignP2.next(continued(b1).state(), s3.outbound(), env2));
            GatewayReply.Signed fin = expect(GatewayReply.Signed.class, remote.next(s3.handle(), b2.outbound()));
            EcdsaSignature sig = new EcdsaSignature(fin.signature().r(), fin.signature().s(),
                    fin.signature().recoveryId());
            assertTrue(Ecdsa.verify(tx.signingHash(), sig, p2.publicKey()));
            // the nonce is consumed durably: the same permit is refused
            GatewayReply replay = remote.signStart(KEYSET, TestKeys.sid("process-sign-2"), permit.encode(),
                    permitSig);
            assertEquals("REPLAYED", expect(GatewayReply.Failure.class, replay).kindName());
        } finally {
            assertEquals(143, second.terminate());
        }
        assertTrue(second.err().toString().contains("bank-signer: schema at version 5 (0 migration(s) applied now)"),
                second.err()::toString);
        try (Connection c = pg.getPostgresDatabase().getConnection(); Statement s = c.createStatement();
                ResultSet rs = s.executeQuery("select string_agg(version, ',' order by installed_rank) "
                        + "from signer_schema_history where success")) {
            assertTrue(rs.next());
            assertEquals("0,1,2,3,4,5", rs.getString(1), "the signer's own history");
        }
        String logs = first.err() + "\n" + second.err();
        assertFalse(logs.contains(TlsFixture.PASSWORD), "no store password in the signer's output");
        assertFalse(logs.contains("5c".repeat(32)), "no KEK in the signer's output");
    }
}
