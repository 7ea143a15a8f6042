// The interactive API reference at /docs (docs/integration.md "OpenAPI"): Swagger UI on the bank's own
// /openapi.yml. Served from the bank, no third-party origin; this file instead of an inline script keeps the
// Content-Security-Policy free of 'unsafe-inline' for scripts.
window.addEventListener('load', () => {
  window.ui = SwaggerUIBundle({
    url: '/openapi.yml',
    dom_id: '#api',
    deepLinking: true,
    docExpansion: 'list',
    defaultModelsExpandDepth: 0,
    displayRequestDuration: true,
    persistAuthorization: false,
    validatorUrl: null,
  });
});
