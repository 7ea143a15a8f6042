package org.mpcwallet.signer.service;

import java.io.IOException;
import java.io.OutputStream;
import java.math.BigInteger;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.GeneralSecurityException;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.KeyStore;
import java.security.PrivateKey;
import java.security.PublicKey;
import java.security.SecureRandom;
import java.security.cert.Certificate;
import java.security.cert.X509Certificate;
import java.security.spec.ECGenParameterSpec;
import java.time.Duration;
import java.time.Instant;
import java.util.Arrays;
import java.util.Date;
import java.util.List;
import org.bouncycastle.asn1.x500.X500Name;
import org.bouncycastle.asn1.x509.BasicConstraints;
import org.bouncycastle.asn1.x509.ExtendedKeyUsage;
import org.bouncycastle.asn1.x509.Extension;
import org.bouncycastle.asn1.x509.GeneralName;
import org.bouncycastle.asn1.x509.GeneralNames;
import org.bouncycastle.asn1.x509.KeyPurposeId;
import org.bouncycastle.asn1.x509.KeyUsage;
import org.bouncycastle.cert.CertIOException;
import org.bouncycastle.cert.X509v3CertificateBuilder;
import org.bouncycastle.cert.jcajce.JcaX509CertificateConverter;
import org.bouncycastle.cert.jcajce.JcaX509ExtensionUtils;
import org.bouncycastle.cert.jcajce.JcaX509v3CertificateBuilder;
import org.bouncycastle.operator.OperatorCreationException;
import org.bouncycastle.operator.jcajce.JcaContentSignerBuilder;

/**
 * Development certificates for the signer service's mutual TLS (docs/bank-signer.md "Signer service"): a fresh CA
 * and two leaf certificates it issues, EC P-256 keys, SHA256withECDSA, valid for one year. Writes three PKCS#12
 * stores protected by one password:
 * <ul>
 *   <li>{@code ca.p12}: the CA certificate only (a truststore for both sides; the CA's private key is discarded,
 *       so nothing more can be issued under it);</li>
 *   <li>{@code signer.p12}: the signer's key and chain (serverAuth; SAN DNS:localhost, IP:127.0.0.1);</li>
 *   <li>{@code bank-server.p12}: bank-server's client key and chain (clientAuth).</li>
 * </ul>
 * For development and tests only: production certificates come from the bank's PKI. Uses Bouncy Castle's
 * certificate builder with the JDK's own EC provider (no global provider registration).
 */
public final class DevCerts {
    public static final String CA_FILE = "ca.p12";
    public static final String SIGNER_FILE = "signer.p12";
    public static final String CLIENT_FILE = "bank-server.p12";
    public static final String CA_ALIAS = "mpcwallet-dev-ca";
    public static final String SIGNER_ALIAS = "bank-signer";
    public static final String CLIENT_ALIAS = "bank-server";
    static final Duration VALIDITY = Duration.ofDays(365);

    private DevCerts() {}

    /** The three stores written. */
    public record Stores(Path truststore, Path signerKeystore, Path clientKeystore) {}

    /**
     * Writes {@code ca.p12}, {@code signer.p12} and {@code bank-server.p12} into {@code dir} (created if missing),
     * each protected by {@code password}; refuses to overwrite an existing file. Files get POSIX mode 600 where
     * the file system has POSIX permissions.
     */
    public static Stores create(Path dir, char[] password) throws IOException {
        if (dir == null || password == null || password.length == 0) {
            throw new IllegalArgumentException("directory and a non-empty password are required");
        }
        Files.createDirectories(dir);
        Stores out = new Stores(dir.resolve(CA_FILE), dir.resolve(SIGNER_FILE), dir.resolve(CLIENT_FILE));
        for (Path p : List.of(out.truststore, out.signerKeystore, out.clientKeystore)) {
            if (Files.exists(p)) {
                throw new FileAlreadyExistsException(p.toString(), null, "refusing to overwrite; delete it first");
            }
        }
        try {
            SecureRandom random = new SecureRandom();
            Instant now = Instant.now();
            KeyPair ca = ecKey(random);
            X500Name caName = new X500Name("CN=mpcwallet development CA,O=mpcwallet (development only)");
            X509Certificate caCert = caCertificate(caName, ca, now, random);
            KeyPair signer = ecKey(random);
            X509Certificate signerCert = leaf(new X500Name("CN=bank-signer,O=mpcwallet (development only)"),
                    signer.getPublic(), caName, caCert, ca.getPrivate(), KeyPurposeId.id_kp_serverAuth,
                    new GeneralNames(new GeneralName[] {new GeneralName(GeneralName.dNSName, "localhost"),
                            new GeneralName(GeneralName.iPAddress, "127.0.0.1")}), now, random);
            KeyPair client = ecKey(random);
            X509Certificate clientCert = leaf(new X500Name("CN=bank-server,O=mpcwallet (development only)"),
                    client.getPublic(), caName, caCert, ca.getPrivate(), KeyPurposeId.id_kp_clientAuth, null, now,
                    random);

            KeyStore trust = emptyStore();
            trust.setCertificateEntry(CA_ALIAS, caCert);
            KeyStore signerStore = emptyStore();
            signerStore.setKeyEntry(SIGNER_ALIAS, signer.getPrivate(), password,
                    new Certificate[] {signerCert, caCert});
            KeyStore clientStore = emptyStore();
            clientStore.setKeyEntry(CLIENT_ALIAS, client.getPrivate(), password,
                    new Certificate[] {clientCert, caCert});
            write(trust, out.truststore, password);
            write(signerStore, out.signerKeystore, password);
            write(clientStore, out.clientKeystore, password);
            return out;
        } catch (GeneralSecurityException | OperatorCreationException e) {
            throw new IllegalStateException("development certificates could not be made: "
                    + e.getClass().getSimpleName() + ": " + e.getMessage(), e);
        }
    }

    /**
     * {@code DevCerts <dir>}: writes the stores with the password from {@code DEV_CERT_PASSWORD} (default
     * {@code changeit}). Exit codes: 0 done, 1 failed (e.g. a file exists), 2 usage.
     */
    public static void main(String[] args) {
        if (args.length != 1 || args[0].isBlank()) {
            System.err.println("usage: DevCerts <dir>   (password from DEV_CERT_PASSWORD, default changeit)");
            System.exit(2);
            return;
        }
        String env = System.getenv("DEV_CERT_PASSWORD");
        char[] password = (env == null || env.isEmpty() ? "changeit" : env).toCharArray();
        System.err.println("WARNING: these are DEVELOPMENT certificates (a throw-away CA" + (env == null
                || env.isEmpty() ? ", store password 'changeit'" : "") + "); never use them in production.");
        try {
            Stores s = create(Path.of(args[0]), password);
            System.out.println("truststore (dev CA):      " + s.truststore);
            System.out.println("signer keystore:          " + s.signerKeystore + "  (SAN localhost, 127.0.0.1)");
            System.out.println("bank-server keystore:     " + s.clientKeystore + "  (client certificate)");
            System.out.println("valid until:              " + Instant.now().plus(VALIDITY));
        } catch (IOException | RuntimeException e) {
            System.err.println("DevCerts: " + (e instanceof FileAlreadyExistsException f
                    ? f.getFile() + " already exists; refusing to overwrite (delete it first)"
                    : e.getClass().getSimpleName() + ": " + e.getMessage()));
            System.exit(1);
        } finally {
            Arrays.fill(password, '\0');
        }
    }

    private static KeyPair ecKey(SecureRandom random) throws GeneralSecurityException {
        KeyPairGenerator g = KeyPairGenerator.getInstance("EC");
        g.initialize(new ECGenParameterSpec("secp256r1"), random);
        return g.generateKeyPair();
    }

    private static X509Certificate caCertificate(X500Name name, KeyPair ca, Instant now, SecureRandom random)
            throws GeneralSecurityException, OperatorCreationException, CertIOException {
        JcaX509ExtensionUtils ext = new JcaX509ExtensionUtils();
        X509v3CertificateBuilder b = new JcaX509v3CertificateBuilder(name, serial(random), notBefore(now),
                notAfter(now), name, ca.getPublic())
                .addExtension(Extension.basicConstraints, true, new BasicConstraints(0))
                .addExtension(Extension.keyUsage, true, new KeyUsage(KeyUsage.keyCertSign | KeyUsage.cRLSign))
                .addExtension(Extension.subjectKeyIdentifier, false, ext.createSubjectKeyIdentifier(ca.getPublic()));
        return sign(b, ca.getPrivate());
    }

    private static X509Certificate leaf(X500Name subject, PublicKey key, X500Name issuer, X509Certificate caCert,
            PrivateKey caKey, KeyPurposeId purpose, GeneralNames san, Instant now, SecureRandom random)
            throws GeneralSecurityException, OperatorCreationException, CertIOException {
        JcaX509ExtensionUtils ext = new JcaX509ExtensionUtils();
        X509v3CertificateBuilder b = new JcaX509v3CertificateBuilder(issuer, serial(random), notBefore(now),
                notAfter(now), subject, key)
                .addExtension(Extension.basicConstraints, true, new BasicConstraints(false))
                .addExtension(Extension.keyUsage, true, new KeyUsage(KeyUsage.digitalSignature))
                .addExtension(Extension.extendedKeyUsage, false, new ExtendedKeyUsage(purpose))
                .addExtension(Extension.subjectKeyIdentifier, false, ext.createSubjectKeyIdentifier(key))
                .addExtension(Extension.authorityKeyIdentifier, false, ext.createAuthorityKeyIdentifier(caCert));
        if (san != null) {
            b.addExtension(Extension.subjectAlternativeName, false, san);
        }
        return sign(b, caKey);
    }

    private static X509Certificate sign(X509v3CertificateBuilder b, PrivateKey key)
            throws GeneralSecurityException, OperatorCreationException {
        X509Certificate cert = new JcaX509CertificateConverter()
                .getCertificate(b.build(new JcaContentSignerBuilder("SHA256withECDSA").build(key)));
        cert.checkValidity();
        return cert;
    }

    private static BigInteger serial(SecureRandom random) {
        return new BigInteger(127, random).setBit(126);
    }

    private static Date notBefore(Instant now) {
        return Date.from(now.minus(Duration.ofMinutes(5)));
    }

    private static Date notAfter(Instant now) {
        return Date.from(now.plus(VALIDITY));
    }

    private static KeyStore emptyStore() throws GeneralSecurityException, IOException {
        KeyStore ks = KeyStore.getInstance("PKCS12");
        ks.load(null, null);
        return ks;
    }

    private static void write(KeyStore ks, Path file, char[] password) throws IOException, GeneralSecurityException {
        try (OutputStream out = Files.newOutputStream(file, StandardOpenOption.CREATE_NEW,
                StandardOpenOption.WRITE)) {
            restrict(file);
            ks.store(out, password);
        }
    }

    private static void restrict(Path file) throws IOException {
        try {
            Files.setPosixFilePermissions(file, PosixFilePermissions.fromString("rw-------"));
        } catch (UnsupportedOperationException e) {
            // not a POSIX file system: the directory's own protection applies
        }
    }
}
