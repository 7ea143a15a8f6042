package org.mpcwallet.signer.service;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.InputStream;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.KeyStore;
import java.security.cert.X509Certificate;
import java.security.interfaces.ECPublicKey;
import java.time.Duration;
import java.util.Collections;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class DevCertsTest {
    private static final char[] PW = "dev-pw".toCharArray();

    @TempDir
    Path dir;

    private static KeyStore load(Path p) throws Exception {
        KeyStore ks = KeyStore.getInstance("PKCS12");
        try (InputStream in = Files.newInputStream(p)) {
            ks.load(in, PW);
        }
        return ks;
    }

    @Test
    void writesACaTruststoreAndTwoLeafKeystoresIssuedByIt() throws Exception {
        DevCerts.Stores s = DevCerts.create(dir, PW);
        KeyStore trust = load(s.truststore());
        assertEquals(List.of(DevCerts.CA_ALIAS), Collections.list(trust.aliases()));
        assertTrue(trust.isCertificateEntry(DevCerts.CA_ALIAS));
        X509Certificate ca = (X509Certificate) trust.getCertificate(DevCerts.CA_ALIAS);
        assertEquals(0, ca.getBasicConstraints());
        ca.verify(ca.getPublicKey());

        KeyStore signer = load(s.signerKeystore());
        X509Certificate server = (X509Certificate) signer.getCertificateChain(DevCerts.SIGNER_ALIAS)[0];
        server.verify(ca.getPublicKey());
        assertTrue(signer.isKeyEntry(DevCerts.SIGNER_ALIAS));
        assertEquals(List.of("1.3.6.1.5.5.7.3.1"), server.getExtendedKeyUsage());
        Set<String> sans = new TreeSet<>();
        for (List<?> san : server.getSubjectAlternativeNames()) {
            sans.add(san.get(0) + ":" + san.get(1));
        }
        assertEquals(Set.of("2:localhost", "7:127.0.0.1"), sans);
        assertEquals(-1, server.getBasicConstraints());
        assertEquals("secp256r1", ((ECPublicKey) server.getPublicKey()).getParams().toString().split(" ")[0]);

        KeyStore client = load(s.clientKeystore());
        X509Certificate cert = (X509Certificate) client.getCertificateChain(DevCerts.CLIENT_ALIAS)[0];
        cert.verify(ca.getPublicKey());
        assertEquals(List.of("1.3.6.1.5.5.7.3.2"), cert.getExtendedKeyUsage());

        long days = Duration.between(cert.getNotBefore().toInstant(), cert.getNotAfter().toInstant()).toDays();
        assertTrue(days >= 365 && days <= 366, "one year: " + days);
        assertEquals(PosixFilePermissions.fromString("rw-------"),
                Files.getPosixFilePermissions(s.signerKeystore()));
    }

    @Test
    void refusesToOverwrite() throws Exception {
        DevCerts.create(dir, PW);
        assertThrows(FileAlreadyExistsException.class, () -> DevCerts.create(dir, PW));
    }
}
