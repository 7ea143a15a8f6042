package org.mpcwallet.bank.auth.app;

import com.nimbusds.jose.JWSAlgorithm;
import io.micronaut.context.annotation.Factory;
import io.micronaut.security.token.jwt.signature.SignatureGeneratorConfiguration;
import io.micronaut.security.token.jwt.signature.secret.SecretSignature;
import io.micronaut.security.token.jwt.signature.secret.SecretSignatureConfiguration;
import jakarta.inject.Named;
import jakarta.inject.Singleton;

/**
 * Signs and verifies access tokens with HS256 and the {@link JwtSecret}. Only HS256 verifies: Micronaut's secret
 * signature would accept any HMAC algorithm (HS384, HS512) under the same secret (docs/controls-hardening.md §2).
 */
@Factory
class JwtSigningFactory {

    @Singleton
    @Named("generator")
    SignatureGeneratorConfiguration generator(JwtSecret secret) {
        SecretSignatureConfiguration c = new SecretSignatureConfiguration("generator");
        c.setJwsAlgorithm(JWSAlgorithm.HS256);
        c.setSecret(secret.value());
        return new SecretSignature(c) {
            @Override
            public boolean supports(JWSAlgorithm algorithm) {
                return JWSAlgorithm.HS256.equals(algorithm);
            }

            @Override
            public boolean verify(com.nimbusds.jwt.SignedJWT jwt) throws com.nimbusds.jose.JOSEException {
                return JWSAlgorithm.HS256.equals(jwt.getHeader().getAlgorithm()) && super.verify(jwt);
            }

            @Override
            public String supportedAlgorithmsMessage() {
                return "Only the HS256 algorithm is supported";
            }
        };
    }
}
