package org.mpcwallet.bank.web;

import java.lang.annotation.Documented;
import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

/**
 * An action that a signed-in member of staff confirms with a fresh passkey assertion (docs/admin-console.md
 * "Step-up"): the request carries header {@code Step-Up} with a token from {@code POST /v1/auth/step-up}, good for
 * one action for two minutes. Customers and API clients (signed requests) are not asked. Checked by the auth
 * feature's step-up filter; {@link #value()} names the action in the audit log.
 */
@Documented
@Retention(RetentionPolicy.RUNTIME)
@Target(ElementType.METHOD)
public @interface RequiresStepUp {
    /** The action's name in the audit log, e.g. {@code approval.vote}. */
    String value();
}
