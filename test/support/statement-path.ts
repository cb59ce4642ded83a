/**
 * The JSON route of a statement from its statement_url, which is the affected user's page
 * in the console (/statements/{token}); the API has it at /v1/statements/{token}.
 */
export const statementApiPath = (statementUrl: string): string =>
  `/v1/statements/${new URL(statementUrl, 'http://x').pathname.split('/').pop()}`;
