package org.mpcwallet.bank.auth.app;

import com.nimbusds.jose.JWSAlgorithm;
import io.micronaut.context.annotation.Factory;
import io.micronaut.security.token.jwt.signature.SignatureGeneratorConfiguration;
import io.micronaut.security.token.jwt.signature.secret.SecretSignature;
import io.micronaut.security.token.jwt.signature.secret.SecretSignatureConfiguration;
import jakarta.inject.Named;
import jakarta.inject.Singleton;

/** Signs and verifies access tokens with HS256 and the {@link JwtSecret}. */
@Factory
class JwtSigningFactory {

    @Singleton
    @Named("generator")
    SignatureGeneratorConfiguration generator(JwtSecret secret) {
        SecretSignatureConfiguration c = new SecretSignatureConfiguration("generator");
        c.setJwsAlgorithm(JWSAlgorithm.HS256);
        c.setSecret(secret.value());
        return new SecretSignature(c);
    }
}
