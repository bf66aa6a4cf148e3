// Validates docs/openapi.yaml against the OpenAPI 3.1 schema and resolves every $ref (swagger-parser).
import SwaggerParser from '@apidevtools/swagger-parser';

const file = process.argv[2] ?? 'docs/openapi.yaml';
try {
  const api = await SwaggerParser.validate(file);
  console.log(`openapi: ${file} is valid OpenAPI ${api.openapi} with ${Object.keys(api.paths).length} paths`);
} catch (e) {
  console.error(`openapi: ${file} is not valid: ${e.message}`);
  process.exit(1);
}
